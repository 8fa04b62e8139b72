using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Tests.SharedMemory;

/// <summary>A private temporary directory standing in for /dev/shm; deleted with everything in it on dispose.</summary>
internal sealed class TempShmRoot : IDisposable
{
    public TempShmRoot()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("gpupredict-shm-").FullName;
        Root = new ShmRoot(Directory);
    }

    public string Directory { get; }

    public ShmRoot Root { get; }

    /// <summary>A path in the directory.</summary>
    public string File(string name) => Path.Join(Directory, name);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
