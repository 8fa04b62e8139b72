namespace Gpupredict.Manager.Policies;

/// <summary>Node-wide constraints: what is held back on every GPU and which reclamation tools may run.</summary>
/// <param name="Reserve">Held back on every GPU and never granted to an application.</param>
/// <param name="Oversubscription">How far quotas may add up beyond a GPU's capacity.</param>
/// <param name="Suspend">When idle applications are checkpointed to free their VRAM.</param>
/// <param name="Migration">When applications are moved between GPUs.</param>
public sealed record NodePolicy(ResourceLimits Reserve, OversubscriptionPolicy Oversubscription, SuspendPolicy Suspend, MigrationPolicy Migration)
{
    /// <summary>The defaults: nothing reserved, every tool enabled with its default settings.</summary>
    public static NodePolicy Default { get; } = new(ResourceLimits.Zero, OversubscriptionPolicy.Default, SuspendPolicy.Default, MigrationPolicy.Default);
}
