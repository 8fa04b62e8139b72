namespace Gpupredict.Interop.SharedMemory;

/// <summary>What statx(2) says about an open shared-memory object.</summary>
/// <param name="Length">Size in bytes.</param>
/// <param name="OwnerUid">The owner's user id: a ring should belong to its process's user.</param>
/// <param name="Mode">Permission bits.</param>
/// <param name="LinkCount">Hard links; 1 for every object this project creates.</param>
public readonly record struct SharedMemoryFileInfo(long Length, uint OwnerUid, UnixFileMode Mode, uint LinkCount);
