namespace Gpupredict.Interop.Nvml;

/// <summary>A process holding device memory on one GPU, as NVML reports it.</summary>
/// <param name="Pid">Process id (in the host's PID namespace).</param>
/// <param name="UsedBytes">Device memory it holds, bytes; null when the driver cannot tell (e.g. MIG without privilege).</param>
/// <param name="GpuInstanceId">Its MIG GPU instance; null when the GPU is not in MIG mode.</param>
/// <param name="ComputeInstanceId">Its MIG compute instance; null when the GPU is not in MIG mode.</param>
public readonly record struct GpuProcessMemory(int Pid, ulong? UsedBytes, uint? GpuInstanceId, uint? ComputeInstanceId);
