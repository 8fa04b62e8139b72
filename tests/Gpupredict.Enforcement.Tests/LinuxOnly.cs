using System.Runtime.Versioning;

// These tests use Linux shared memory, file modes and /bin/sh test doubles.
[assembly: SupportedOSPlatform("linux")]
