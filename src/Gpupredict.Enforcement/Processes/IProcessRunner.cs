namespace Gpupredict.Enforcement.Processes;

/// <summary>
/// Runs an external tool to completion: the seam between the MPS and checkpoint backends and the
/// NVIDIA utilities they drive, so tests substitute a double. Never throws for the tool's own
/// failures (missing, non-zero exit, timeout): they come back in <see cref="ProcessResult"/>.
/// </summary>
public interface IProcessRunner
{
    /// <summary>Runs <paramref name="request"/> and waits for it, at most its timeout.</summary>
    ProcessResult Run(ProcessRequest request);
}
