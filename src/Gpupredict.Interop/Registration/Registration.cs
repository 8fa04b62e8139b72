using Gpupredict.Core.Apps;
using Gpupredict.Interop.Control;
using Gpupredict.Interop.Rings;

namespace Gpupredict.Interop.Registration;

/// <summary>
/// One registered application: who it is (from the kernel), the event ring it produces into and
/// the control block the daemon writes, both memfds the daemon created and owns. Handed to the
/// <see cref="IRegistrationSink"/> when the application registers and again when its connection
/// hangs up; from then the sink owns it and disposes it once the ring is drained for the last time.
/// </summary>
public sealed class Registration : IDisposable
{
    internal Registration(PeerIdentity peer, EventRingReader ring, ControlBlockWriter control, long registeredNs)
    {
        Peer = peer;
        Ring = ring;
        Control = control;
        RegisteredNs = registeredNs;
    }

    /// <summary>Who it is.</summary>
    public PeerIdentity Peer { get; }

    /// <summary>Its key on the node: pid and start time.</summary>
    public AppId App => Peer.App;

    /// <summary>Its event ring (the daemon's geometry; sealed against resizing where the kernel allows).</summary>
    public EventRingReader Ring { get; }

    /// <summary>Its control block.</summary>
    public ControlBlockWriter Control { get; }

    /// <summary>CLOCK_MONOTONIC when it registered, ns.</summary>
    public long RegisteredNs { get; }

    /// <summary>CLOCK_MONOTONIC when its connection hung up, ns; 0 while it is connected.</summary>
    public long DepartedNs { get; internal set; }

    /// <summary>Unmaps and closes the ring and the control block (the application keeps its own mappings).</summary>
    public void Dispose()
    {
        Ring.Dispose();
        Control.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Peer.Identity.ProcessName}[{Peer.Pid}] uid {Peer.Uid}";
}

/// <summary>Receives registrations and hang-ups from the <see cref="RegistrationServer"/>'s thread; must not block.</summary>
public interface IRegistrationSink
{
    /// <summary>An application registered: its ring and control block are ready.</summary>
    void Registered(Registration registration);

    /// <summary>Its connection hung up (the process exited, or closed it): release it; the sink disposes it.</summary>
    void Departed(Registration registration);
}
