using Gpupredict.Core.Enforcement;
using Gpupredict.Enforcement.Checkpoint;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gpupredict.Enforcement.Tests;

public sealed class BackendsTests
{
    [Fact]
    public void Names_AreTheThreeRealBackends() =>
        Assert.Equal(["interposer", "mps", "checkpoint"], Backends.Names);

    [Theory]
    [InlineData("interposer", typeof(InterposerControlBackend))]
    [InlineData("mps", typeof(MpsBackend))]
    [InlineData("checkpoint", typeof(CudaCheckpointBackend))]
    public void Create_KnownName_BuildsThatBackend(string name, Type type)
    {
        using var blocks = new OwnedControlBlocks();
        (IEnforcementBackend? backend, string? error) = Backends.Create(name, new BackendOptions(ControlBlocks: blocks));

        Assert.Null(error);
        Assert.IsType(type, backend);
        Assert.Equal(name, backend!.Name);
    }

    [Theory]
    [InlineData("MPS", "unknown enforcement backend 'MPS'; known: interposer, mps, checkpoint")]
    [InlineData("simulated", "unknown enforcement backend 'simulated' (the simulated node is built by the replay, with its GPUs); known: interposer, mps, checkpoint")]
    public void Create_UnknownName_ListsTheKnownNames(string name, string error) =>
        Assert.Equal((null, error), Backends.Create(name, new BackendOptions()));

    [Fact]
    public void Create_InterposerWithoutControlBlocks_IsAnErrorSayingWhatItNeeds() =>
        Assert.Equal(
            (null, "the interposer backend needs the registrations' control blocks (BackendOptions.ControlBlocks): it writes the blocks the daemon created when applications registered"),
            Backends.Create("interposer", new BackendOptions()));
}

/// <summary>Backends registered by name on a host's services.</summary>
public sealed class BackendCatalogTests
{
    [Fact]
    public void AddBackends_ResolvesTheBuiltInCatalog()
    {
        using ServiceProvider services = new ServiceCollection().AddBackends().BuildServiceProvider();

        var catalog = services.GetRequiredService<BackendCatalog>();

        Assert.Equal(Backends.Names, catalog.Names);
        Assert.IsType<MpsBackend>(catalog.Create("mps", new BackendOptions()).Backend);
    }
}
