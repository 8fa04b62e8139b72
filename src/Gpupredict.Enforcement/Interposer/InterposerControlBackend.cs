using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Control;

namespace Gpupredict.Enforcement.Interposer;

/// <summary>
/// Enforces grants through the interposer: writes each application's control block
/// (<c>abi.h</c>, <c>struct gp_control_block</c>), the memfd the daemon created when the application
/// registered (<see cref="IControlBlocks"/>); the block and its writer belong to the registration.
/// Slow-path actions are not this backend's: MPS partitions are the mps backend's, suspend, restore
/// and migration the checkpoint backend's.
/// </summary>
/// <remarks>
/// What a grant becomes: quota and virtual total = <see cref="GpuAllocation.VramQuotaBytes"/>
/// (<see cref="ControlFlags.EnforceQuota"/>), pre-map target with its window
/// [FromStep, UntilStep) in CLOCK_MONOTONIC ns (<see cref="ControlFlags.Premap"/> when the target is
/// above 0), SM share in parts per million (<see cref="ControlFlags.Throttle"/> when below the whole
/// GPU), device = <see cref="GpuAllocation.Gpu"/>. The ABI reads a quota of 0 as "no limit", so a
/// grant of 0 bytes is written as a 1-byte quota: every allocation is refused, as granted.
/// </remarks>
public sealed class InterposerControlBackend : IEnforcementBackend, IDisposable
{
    /// <summary>The backend name.</summary>
    public const string BackendName = "interposer";

    private const uint WholeGpuPpm = 1_000_000;

    private readonly IControlBlocks _blocks;
    private readonly IStepClock _clock;
    private readonly RequestMemo _memo;
    private readonly Dictionary<AppId, Tenant> _tenants = [];

    /// <summary>
    /// A backend writing the control blocks the daemon created at registration (<paramref name="blocks"/>),
    /// with windows mapped through <paramref name="clock"/>. A grant for an application without a block
    /// fails; a release writes a pass-through block and leaves the block to its registration.
    /// </summary>
    public InterposerControlBackend(IControlBlocks blocks, IStepClock clock, int rememberedRequests = RequestMemo.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(clock);
        _blocks = blocks;
        _clock = clock;
        _memo = new RequestMemo(rememberedRequests);
    }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <summary>Applications granted and not released.</summary>
    public IReadOnlyCollection<AppId> Applications
    {
        get
        {
            lock (_tenants)
            {
                return [.. _tenants.Keys];
            }
        }
    }

    /// <summary>The block a grant becomes (header and <see cref="ControlBlock.UpdatedNs"/> left for the writer).</summary>
    public static ControlBlock BlockFor(in GpuAllocation grant, IStepClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        uint ppm = (uint)Math.Clamp(Math.Round(grant.SmShare * WholeGpuPpm), 0, WholeGpuPpm);
        ControlFlags flags = ControlFlags.EnforceQuota;
        if (grant.PremapTargetBytes > 0)
        {
            flags |= ControlFlags.Premap;
        }

        if (ppm < WholeGpuPpm)
        {
            flags |= ControlFlags.Throttle;
        }

        return new ControlBlock
        {
            Flags = flags,
            VramQuotaBytes = Math.Max(grant.VramQuotaBytes, 1),
            VirtualTotalBytes = grant.VramQuotaBytes,
            PremapTargetBytes = grant.PremapTargetBytes,
            PremapFromNs = clock.StepStartNs(grant.FromStep),
            PremapUntilNs = clock.StepStartNs(grant.UntilStep),
            SmSharePpm = ppm,
            Device = grant.Gpu,
        };
    }

    /// <inheritdoc />
    public EnforcementResult Apply(GpuAllocation allocation, string requestId) => _memo.Once(requestId, () =>
    {
        if (allocation.Validate() is { } problem)
        {
            return EnforcementResult.Failed(requestId, problem);
        }

        if (allocation.App.Pid <= 0)
        {
            return EnforcementResult.Failed(requestId, $"{allocation.App} has no valid pid");
        }

        ControlBlock block = BlockFor(allocation, _clock);
        lock (_tenants)
        {
            try
            {
                if (!_tenants.TryGetValue(allocation.App, out Tenant? tenant))
                {
                    if (_blocks.Find(allocation.App) is not { } writer)
                    {
                        return EnforcementResult.Failed(requestId, $"{allocation.App} has no control block (not registered, or gone)");
                    }

                    tenant = new Tenant(writer);
                    _tenants.Add(allocation.App, tenant);
                }

                // Only a change to what the interposer enforces is written: UpdatedNs alone is not one.
                if (tenant.Last is { } last && last.SameLimits(block))
                {
                    return EnforcementResult.Ok(requestId, changed: false);
                }

                block.UpdatedNs = _clock.NowNs();
                tenant.Writer.Write(block);
                tenant.Last = block;
                return EnforcementResult.Ok(requestId, changed: true);
            }
            catch (ObjectDisposedException e) // the registration departed between Find and Write
            {
                return EnforcementResult.Failed(requestId, e.Message);
            }
        }
    });

    /// <inheritdoc />
    /// <remarks>
    /// Writes a pass-through block (flags 0: the application runs unconstrained) into the block its
    /// registration still holds; once the registration is gone there is nothing to write.
    /// </remarks>
    public EnforcementResult Release(AppId app, string requestId) => _memo.Once(requestId, () =>
    {
        if (app.Pid <= 0)
        {
            return EnforcementResult.Failed(requestId, $"{app} has no valid pid");
        }

        lock (_tenants)
        {
            try
            {
                _tenants.Remove(app);
                if (_blocks.Find(app) is not { } block)
                {
                    return EnforcementResult.Ok(requestId, changed: false); // gone with its registration
                }

                block.Write(ControlBlock.PassThrough(_clock.NowNs()));
                return EnforcementResult.Ok(requestId, changed: true);
            }
            catch (ObjectDisposedException e) // the registration departed between Find and Write
            {
                return EnforcementResult.Failed(requestId, e.Message);
            }
        }
    });

    /// <inheritdoc />
    public EnforcementResult Execute(SlowAction action, string requestId)
    {
        ArgumentNullException.ThrowIfNull(action);
        return _memo.Once(requestId, () => EnforcementResult.Failed(
            requestId, $"the interposer backend does not perform {action.Kind}; use mps/checkpoint"));
    }

    /// <summary>Forgets every application; the writers and their blocks stay their registrations'.</summary>
    public void Dispose()
    {
        lock (_tenants)
        {
            _tenants.Clear();
        }
    }

    private sealed class Tenant(ControlBlockWriter writer)
    {
        public ControlBlockWriter Writer { get; } = writer;

        public ControlBlock? Last { get; set; }
    }
}
