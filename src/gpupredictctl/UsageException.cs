namespace Gpupredict.Ctl;

/// <summary>The command line itself is wrong; printed with a hint to --help, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
