using System.Runtime.Versioning;

// These tests exercise Linux shared memory (memfd_create(2), mmap(2), seals, /proc).
[assembly: SupportedOSPlatform("linux")]
