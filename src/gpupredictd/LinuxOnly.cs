using System.Runtime.Versioning;

// The daemon runs on Linux only: memfds, SO_PEERCRED, SCM_RIGHTS, /proc, systemd.
[assembly: SupportedOSPlatform("linux")]
