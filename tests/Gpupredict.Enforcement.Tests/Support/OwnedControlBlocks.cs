using Gpupredict.Core.Apps;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Interop.Control;

namespace Gpupredict.Enforcement.Tests.Support;

/// <summary>
/// TEST DOUBLE: the control blocks a registration server would hold, each a daemon-owned memfd
/// (<see cref="ControlBlockWriter.CreateOwned"/>). <see cref="Register"/> is an application
/// registering, <see cref="Depart"/> it going away (its block closed with its registration).
/// </summary>
internal sealed class OwnedControlBlocks : IControlBlocks, IDisposable
{
    private readonly Dictionary<AppId, ControlBlockWriter> _blocks = [];

    public ControlBlockWriter Register(AppId app)
    {
        var writer = ControlBlockWriter.CreateOwned(app.Pid);
        _blocks.Add(app, writer);
        return writer;
    }

    public void Depart(AppId app)
    {
        if (_blocks.Remove(app, out ControlBlockWriter? writer))
        {
            writer.Dispose();
        }
    }

    public ControlBlockWriter? Find(AppId app) => _blocks.GetValueOrDefault(app);

    public void Dispose()
    {
        foreach (ControlBlockWriter writer in _blocks.Values)
        {
            writer.Dispose();
        }

        _blocks.Clear();
    }
}
