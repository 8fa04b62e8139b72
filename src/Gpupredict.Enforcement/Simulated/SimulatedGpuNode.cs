using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;

namespace Gpupredict.Enforcement.Simulated;

/// <summary>
/// A GPU node in memory, for replay. It enforces grants the way the interposer will: a VRAM quota,
/// a pre-map target (chunks mapped before the application asks, kept as a pool, unmapped when the
/// target falls) and an SM share; then it plays each application's demand against them, step by
/// step, and says what each step cost (<see cref="StepOutcome"/>).
/// Mapping is in whole <see cref="VramGranularity.ChunkBytes"/> chunks and never exceeds a GPU's memory;
/// demand that the GPU cannot back is still played (so the replay continues) but flagged as a real
/// OOM in every step it stays unbacked.
/// </summary>
public sealed class SimulatedGpuNode : ISimulatedNode
{
    /// <summary>The backend name.</summary>
    public const string BackendName = "simulated";

    private const int RememberedRequests = 65_536;

    private readonly Dictionary<AppId, Tenant> _tenants = [];
    private readonly Dictionary<string, EnforcementResult> _results = [];
    private readonly Queue<string> _resultOrder = new();
    private readonly ulong[] _mappedOnGpu;

    /// <summary>Creates a node with the given GPUs and cost model.</summary>
    public SimulatedGpuNode(IReadOnlyList<GpuCapacity> gpus, SimulatedCosts costs)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        ArgumentNullException.ThrowIfNull(costs);
        if (gpus.Count == 0)
        {
            throw new ArgumentException("a node needs at least one GPU", nameof(gpus));
        }

        for (int g = 0; g < gpus.Count; g++)
        {
            if (gpus[g].Index != g)
            {
                throw new ArgumentException($"GPU indexes must be 0..{gpus.Count - 1} in order; position {g} has index {gpus[g].Index}", nameof(gpus));
            }
        }

        Gpus = gpus;
        Costs = costs;
        _mappedOnGpu = new ulong[gpus.Count];
    }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <inheritdoc />
    public IReadOnlyList<GpuCapacity> Gpus { get; }

    /// <summary>The cost model.</summary>
    public SimulatedCosts Costs { get; }

    /// <inheritdoc />
    public long StepNs => Costs.StepNs;

    /// <inheritdoc />
    public IReadOnlyDictionary<AppId, GpuAllocation> Grants =>
        _tenants.Where(t => t.Value.Grant is not null).ToDictionary(t => t.Key, t => t.Value.Grant!.Value);

    /// <inheritdoc />
    public IReadOnlyDictionary<AppId, int> Suspended =>
        _tenants.Where(t => t.Value.Suspended).ToDictionary(t => t.Key, t => t.Value.Gpu);

    /// <summary>The MPS active-thread percentage set for <paramref name="app"/>, or 100 when none was.</summary>
    public int MpsPercent(AppId app) => _tenants.TryGetValue(app, out Tenant? t) ? t.MpsPercent : 100;

    /// <summary>Bytes mapped on GPU <paramref name="gpu"/> for all applications.</summary>
    public ulong MappedBytes(int gpu) => _mappedOnGpu[gpu];

    /// <inheritdoc />
    public EnforcementResult Apply(GpuAllocation allocation, string requestId) => Once(requestId, () =>
    {
        if (allocation.Validate() is { } problem)
        {
            return EnforcementResult.Failed(requestId, problem);
        }

        if (allocation.Gpu >= Gpus.Count)
        {
            return EnforcementResult.Failed(requestId, $"GPU {allocation.Gpu} does not exist (the node has {Gpus.Count})");
        }

        Tenant tenant = TenantOf(allocation.App, allocation.Gpu);
        if (tenant.Suspended)
        {
            return EnforcementResult.Failed(requestId, $"{allocation.App} is suspended; restore it before granting it memory");
        }

        if (tenant.Gpu != allocation.Gpu && tenant.Grant is null)
        {
            // Still pass-through (no grant yet): the first plan decides where it lives; its few
            // steps of memory are counted on the chosen GPU from now on.
            _mappedOnGpu[tenant.Gpu] -= tenant.Mapped;
            _mappedOnGpu[allocation.Gpu] += tenant.Mapped;
            tenant.Gpu = allocation.Gpu;
        }

        if (tenant.Gpu != allocation.Gpu)
        {
            return EnforcementResult.Failed(requestId, $"{allocation.App} runs on GPU {tenant.Gpu}; moving it to GPU {allocation.Gpu} needs a migration first");
        }

        // Only what the interposer enforces counts as a change; a reservation is the planner's bookkeeping.
        bool changed = tenant.Grant is not { } old || old.VramQuotaBytes != allocation.VramQuotaBytes
            || old.PremapTargetBytes != allocation.PremapTargetBytes || old.SmShare != allocation.SmShare;
        tenant.Grant = allocation;
        Reconcile(tenant);
        return EnforcementResult.Ok(requestId, changed);
    });

    /// <inheritdoc />
    public EnforcementResult Release(AppId app, string requestId) => Once(requestId, () =>
    {
        if (!_tenants.Remove(app, out Tenant? tenant))
        {
            return EnforcementResult.Ok(requestId, changed: false);
        }

        _mappedOnGpu[tenant.Gpu] -= tenant.Mapped;
        return EnforcementResult.Ok(requestId, changed: true);
    });

    /// <inheritdoc />
    /// <remarks>
    /// Suspend unmaps everything the application has on its GPU and keeps its held bytes "on the host";
    /// restore maps them back (on the target GPU) and fails as a value when that GPU lacks the room;
    /// a migration moves the mapped bytes and the grant to the target GPU, also only when they fit. An
    /// MPS partition is recorded (<see cref="MpsPercent"/>): a simulated share is the grant's SM share.
    /// </remarks>
    public EnforcementResult Execute(SlowAction action, string requestId) => Once(requestId, () =>
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Validate() is { } problem)
        {
            return EnforcementResult.Failed(requestId, problem);
        }

        if (action.TargetGpu >= Gpus.Count || action.Gpu >= Gpus.Count)
        {
            return EnforcementResult.Failed(requestId, $"GPU {Math.Max(action.Gpu, action.TargetGpu)} does not exist (the node has {Gpus.Count})");
        }

        if (!_tenants.TryGetValue(action.App, out Tenant? tenant))
        {
            return EnforcementResult.Failed(requestId, $"{action.App} is not on this node");
        }

        return action.Kind switch
        {
            SlowActionKind.SetMpsPartition => SetMps(tenant, action.SmPercent, requestId),
            SlowActionKind.Suspend => Suspend(tenant, requestId),
            SlowActionKind.Restore => Restore(tenant, action.TargetGpu, requestId),
            _ => Migrate(tenant, action.TargetGpu, requestId),
        };
    });

    /// <inheritdoc />
    /// <remarks>Without a grant the application runs pass-through: no quota, nothing pre-mapped.</remarks>
    public StepOutcome Step(AppId app, ResourceVector demand, int gpuIfNew = 0)
    {
        Tenant tenant = TenantOf(app, gpuIfNew);
        ulong newHeld = (ulong)Math.Max(0, demand.VramBytes);
        ulong growth = newHeld > tenant.Held ? newHeld - tenant.Held : 0;
        if (tenant.Suspended)
        {
            // A suspended application cannot run: any GPU work or growth it has in this step is a stall.
            tenant.Held = newHeld;
            return new StepOutcome(false, 0, 0, 0, growth > 0, demand.SmFraction > 0, growth, 0, 0, 0, false, Suspended: true, Gpu: tenant.Gpu);
        }

        ulong needMapped = VramGranularity.RoundUp(newHeld);
        ulong fresh = needMapped > tenant.Mapped ? needMapped - tenant.Mapped : 0;
        ulong fromPool = growth - Math.Min(growth, fresh);
        long wait = growth == 0 ? 0 : fresh == 0 ? Costs.PoolHitNs : Costs.FreshAllocFixedNs + ((long)(fresh / VramGranularity.ChunkBytes) * Costs.FreshAllocPerChunkNs);

        // Only what the GPU has room for is mapped; the rest stays unbacked, an out-of-memory in every
        // step until it fits (after a migration or someone's release), not only in the step it grew.
        ulong backed = Math.Min(fresh, Free(tenant.Gpu) / VramGranularity.ChunkBytes * VramGranularity.ChunkBytes);
        bool gpuOom = backed < fresh;
        SetMapped(tenant, tenant.Mapped + backed);
        tenant.Held = newHeld;
        Reconcile(tenant);

        GpuAllocation? grant = tenant.Grant;
        return new StepOutcome(
            Granted: grant is not null,
            VramQuotaBytes: grant?.VramQuotaBytes ?? 0,
            MappedBytes: tenant.Mapped,
            SmShare: grant?.SmShare ?? 1.0,
            VramOverQuota: grant is { } g1 && newHeld > g1.VramQuotaBytes,
            SmOverShare: grant is { } g2 && demand.SmFraction > g2.SmShare + 1e-9,
            GrowthBytes: growth,
            PoolBytes: fromPool,
            FreshBytes: fresh,
            WaitNs: wait,
            GpuOutOfMemory: gpuOom,
            Gpu: tenant.Gpu,
            VramReservedBytes: grant?.VramReservation ?? 0,
            SmReserved: grant?.SmReservation ?? 0);
    }

    private static EnforcementResult SetMps(Tenant tenant, int percent, string requestId)
    {
        bool changed = tenant.MpsPercent != percent;
        tenant.MpsPercent = percent;
        return EnforcementResult.Ok(requestId, changed);
    }

    private EnforcementResult Suspend(Tenant tenant, string requestId)
    {
        if (tenant.Suspended)
        {
            return EnforcementResult.Ok(requestId, changed: false);
        }

        SetMapped(tenant, 0);
        tenant.Grant = null;
        tenant.Suspended = true;
        return EnforcementResult.Ok(requestId, changed: true);
    }

    private EnforcementResult Restore(Tenant tenant, int gpu, string requestId)
    {
        if (!tenant.Suspended)
        {
            return EnforcementResult.Ok(requestId, changed: false);
        }

        ulong need = VramGranularity.RoundUp(tenant.Held);
        if (!Fits(gpu, need))
        {
            return EnforcementResult.Failed(requestId, $"GPU {gpu} has {Free(gpu)} B unmapped; restoring needs {need} B");
        }

        tenant.Gpu = gpu;
        tenant.Suspended = false;
        SetMapped(tenant, need);
        return EnforcementResult.Ok(requestId, changed: true);
    }

    private EnforcementResult Migrate(Tenant tenant, int gpu, string requestId)
    {
        if (tenant.Suspended)
        {
            return EnforcementResult.Failed(requestId, "a suspended application is restored elsewhere, not migrated");
        }

        if (tenant.Gpu == gpu)
        {
            return EnforcementResult.Ok(requestId, changed: false);
        }

        ulong mapped = tenant.Mapped;
        if (!Fits(gpu, mapped))
        {
            return EnforcementResult.Failed(requestId, $"GPU {gpu} has {Free(gpu)} B unmapped; the move needs {mapped} B");
        }

        SetMapped(tenant, 0);
        tenant.Gpu = gpu;
        SetMapped(tenant, mapped);
        if (tenant.Grant is { } grant)
        {
            tenant.Grant = grant with { Gpu = gpu };
        }

        return EnforcementResult.Ok(requestId, changed: true);
    }

    private ulong Free(int gpu)
    {
        ulong capacity = (ulong)Gpus[gpu].Capacity.VramBytes;
        return capacity > _mappedOnGpu[gpu] ? capacity - _mappedOnGpu[gpu] : 0;
    }

    private bool Fits(int gpu, ulong bytes) => bytes <= Free(gpu);

    /// <summary>Maps up to the pre-map target (as far as the GPU has room) or unmaps free chunks down to it.</summary>
    private void Reconcile(Tenant tenant)
    {
        ulong inUse = VramGranularity.RoundUp(tenant.Held);
        ulong target = Math.Max(inUse, tenant.Grant?.PremapTargetBytes ?? 0);
        if (target > tenant.Mapped)
        {
            ulong capacity = (ulong)Gpus[tenant.Gpu].Capacity.VramBytes;
            ulong room = capacity > _mappedOnGpu[tenant.Gpu] ? capacity - _mappedOnGpu[tenant.Gpu] : 0;
            ulong grow = Math.Min(target - tenant.Mapped, room / VramGranularity.ChunkBytes * VramGranularity.ChunkBytes);
            SetMapped(tenant, tenant.Mapped + grow);
        }
        else if (target < tenant.Mapped)
        {
            SetMapped(tenant, Math.Max(target, inUse));
        }
    }

    private void SetMapped(Tenant tenant, ulong mapped)
    {
        _mappedOnGpu[tenant.Gpu] = _mappedOnGpu[tenant.Gpu] - tenant.Mapped + mapped;
        tenant.Mapped = mapped;
    }

    private Tenant TenantOf(AppId app, int gpu)
    {
        if (!_tenants.TryGetValue(app, out Tenant? tenant))
        {
            if (gpu < 0 || gpu >= Gpus.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(gpu), gpu, $"the node has GPUs 0..{Gpus.Count - 1}");
            }

            tenant = new Tenant(gpu);
            _tenants.Add(app, tenant);
        }

        return tenant;
    }

    private EnforcementResult Once(string requestId, Func<EnforcementResult> apply)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        if (_results.TryGetValue(requestId, out EnforcementResult earlier))
        {
            return earlier with { Changed = false };
        }

        EnforcementResult result = apply();
        _results.Add(requestId, result);
        _resultOrder.Enqueue(requestId);
        if (_resultOrder.Count > RememberedRequests)
        {
            _results.Remove(_resultOrder.Dequeue());
        }

        return result;
    }

    private sealed class Tenant(int gpu)
    {
        public int Gpu { get; set; } = gpu;

        public GpuAllocation? Grant { get; set; }

        public ulong Held { get; set; }

        public ulong Mapped { get; set; }

        public bool Suspended { get; set; }

        public int MpsPercent { get; set; } = 100;
    }
}
