using System.Runtime.Versioning;

// The daemon and these tests need Linux: Unix sockets, memfds, signals, /proc.
[assembly: SupportedOSPlatform("linux")]

// The integration tests start daemons and applications on a 2-core machine: one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
