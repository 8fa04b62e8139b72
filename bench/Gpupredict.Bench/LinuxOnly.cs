using System.Runtime.Versioning;

// The daemon benchmarks need Linux as the daemon does: memfds, Unix sockets, /proc, sched_setaffinity.
[assembly: SupportedOSPlatform("linux")]
