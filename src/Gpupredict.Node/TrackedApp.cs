using Gpupredict.Core.Demand;
using Gpupredict.Core.Pipeline;

namespace Gpupredict.Node;

/// <summary>What the tick keeps about one admitted application between steps.</summary>
internal sealed class TrackedApp(string name, AppTerms terms, ResourceVector declaredPeak)
{
    /// <summary>Its human name.</summary>
    public string Name { get; } = name;

    /// <summary>What policy gave it at admission.</summary>
    public AppTerms Terms { get; } = terms;

    /// <summary>The largest demand declared or seen so far, per resource.</summary>
    public ResourceVector Peak { get; set; } = declaredPeak;

    /// <summary>The last step in which it was observed (a source reports each application once per step).</summary>
    public long ObservedAt { get; set; } = -1;

    /// <summary>The last step in which it was forecast and planned for (a plan may act only on those).</summary>
    public long RequestedAt { get; set; } = -1;
}
