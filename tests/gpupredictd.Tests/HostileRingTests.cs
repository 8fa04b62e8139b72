using CsCheck;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Events;
using Gpupredict.Core.Pipeline;
using Gpupredict.Daemon.Live;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Control;
using Gpupredict.Interop.Registration;
using Gpupredict.Interop.Rings;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Daemon.Tests;

/// <summary>
/// An application owns the bytes of its ring once mapped: whatever it writes there (random slots,
/// a scribbled header claiming a huge capacity or a head laps ahead) must not crash the live source,
/// make a drain do more than its budget, or change what another application is seen to use.
/// </summary>
public sealed unsafe class HostileRingTests
{
    private const uint Capacity = 256;
    private static readonly long StepNs = 10_000_000;

    [Fact]
    public void Read_FuzzedRingBytes_NeverThrowAndLeaveTheWellBehavedApplicationExact()
    {
        Gen.Byte.Array[(int)(AbiConstants.RingHeaderSize + (Capacity * AbiConstants.RingSlotSize))].Sample(garbage =>
        {
            using var source = new LiveDemandSource(0, StepNs, maxEventsPerStep: 1000);
            Registration hostile = Register(source, pid: 1_000_001);
            Registration good = Register(source, pid: 1_000_002);
            var frame = new DemandFrame();
            frame.Begin(0);
            source.Read(0, frame);

            // The hostile one scribbles over its whole ring, header included; the good one allocates 64 MiB.
            using MappedRegion view = hostile.Ring.Memfd!.Map(writable: true);
            garbage.CopyTo(new Span<byte>(view.BaseAddress, garbage.Length));
            Produce(good, new GpuEvent { Kind = GpuEventKind.Alloc, Pid = (uint)good.Peer.Pid, Bytes = 64UL << 20, TimestampNs = (ulong)(StepNs + 5), EndNs = (ulong)(StepNs + 5), Device = 0 });

            frame.Begin(1);
            source.Read(1, frame);
            AppObservation seen = Find(frame, good.App);
            Assert.Equal(64.0 * (1 << 20), seen.Demand.VramBytes);
            Assert.True(hostile.Ring.Consumed + hostile.Ring.Malformed <= 1000 + Capacity, "a drain did more than its budget and one lap");
        }, iter: 50);
    }

    [Fact]
    public void Read_HeaderClaimingAHugeCapacityAndAHeadFarAhead_DoesOneBoundedLap()
    {
        using var source = new LiveDemandSource(0, StepNs, maxEventsPerStep: 100_000);
        Registration hostile = Register(source, pid: 1_000_003);
        var frame = new DemandFrame();
        frame.Begin(0);
        source.Read(0, frame);
        using MappedRegion view = hostile.Ring.Memfd!.Map(writable: true);
        var header = (RingHeader*)view.BaseAddress;
        header->Capacity = 1u << 24;
        header->Head = ulong.MaxValue / 2;
        var slots = (RingSlot*)(view.BaseAddress + AbiConstants.RingHeaderSize);
        for (uint i = 0; i < Capacity; i++)
        {
            slots[i].Seq = ulong.MaxValue - i; // every slot scribbled
        }

        frame.Begin(1);
        source.Read(1, frame);
        Assert.InRange(hostile.Ring.Malformed, 1, Capacity);
        Assert.Equal(0, hostile.Ring.Consumed);
    }

    [Fact]
    public void Read_ApplicationFillingItsRing_IsCutAtTheBudgetAndOthersAreStillRead()
    {
        using var source = new LiveDemandSource(0, StepNs, maxEventsPerStep: 100);
        Registration flood = Register(source, pid: 1_000_004);
        Registration good = Register(source, pid: 1_000_005);
        var frame = new DemandFrame();
        frame.Begin(0);
        source.Read(0, frame);
        for (int i = 0; i < 200; i++)
        {
            Produce(flood, new GpuEvent { Kind = GpuEventKind.KernelLaunch, Pid = (uint)flood.Peer.Pid, TimestampNs = (ulong)StepNs + 10, EndNs = (ulong)StepNs + 10, Device = 0 });
        }

        Produce(good, new GpuEvent { Kind = GpuEventKind.Alloc, Pid = (uint)good.Peer.Pid, Bytes = 1 << 20, TimestampNs = (ulong)StepNs + 5, EndNs = (ulong)StepNs + 5, Device = 0 });
        frame.Begin(1);
        source.Read(1, frame);
        Assert.Equal(100, flood.Ring.Consumed);
        Assert.Equal(1.0 * (1 << 20), Find(frame, good.App).Demand.VramBytes);
        Assert.Equal(1, source.Snapshot().Single(s => s.App == flood.App).BudgetHits);
    }

    private static Registration Register(LiveDemandSource source, int pid)
    {
        var peer = new PeerIdentity(pid, 1000, 1000, 42, AppIdentity.Recorded("test"));
        var r = new Registration(peer, EventRingReader.CreateOwned(Capacity, pid, 42, 0), ControlBlockWriter.CreateOwned(pid), 0);
        source.Registered(r);
        return r;
    }

    /// <summary>The producer's side of the ring protocol (abi.h), on a mapping of the application's own.</summary>
    private static void Produce(Registration r, GpuEvent e)
    {
        using MappedRegion view = r.Ring.Memfd!.Map(writable: true);
        var header = (RingHeader*)view.BaseAddress;
        var slots = (RingSlot*)(view.BaseAddress + AbiConstants.RingHeaderSize);
        ulong head = header->Head;
        RingSlot* slot = slots + (head & (Capacity - 1));
        Assert.Equal(head, Volatile.Read(ref slot->Seq));
        slot->Event = e;
        header->Head = head + 1;
        Volatile.Write(ref slot->Seq, head + 1);
    }

    private static AppObservation Find(DemandFrame frame, AppId app)
    {
        foreach (AppObservation o in frame.Observations)
        {
            if (o.App == app)
            {
                return o;
            }
        }

        throw new InvalidOperationException($"{app} not observed");
    }
}
