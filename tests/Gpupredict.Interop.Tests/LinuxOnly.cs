using System.Runtime.Versioning;

// These tests exercise Linux shared memory (/dev/shm semantics, open(2), mmap(2), /proc).
[assembly: SupportedOSPlatform("linux")]
