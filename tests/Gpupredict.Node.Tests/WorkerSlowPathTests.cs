using Gpupredict.Core.Apps;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Node.Tests.Support;

namespace Gpupredict.Node.Tests;

/// <summary>The live slow path: actions run in order off the caller's thread; a throwing backend fails the action, not the worker.</summary>
public sealed class WorkerSlowPathTests
{
    private static SlowAction Suspend(int pid) => new(SlowActionKind.Suspend, new AppId(pid, 1), 0, 0, 0, 0, 0, "test");

    [Fact]
    public async Task Submit_ThreeActions_CompletedInOrderAndDrainedOnce()
    {
        var backend = new RecordingBackend();
        await using var path = new WorkerSlowPath(backend);

        path.Submit(Suspend(1), 7, "a");
        path.Submit(Suspend(2), 7, "b");
        path.Submit(Suspend(3), 8, "c");
        var done = new List<SlowCompletion>();
        for (int i = 0; i < 500 && done.Count < 3; i++)
        {
            path.Drain(done);
            await Task.Delay(5);
        }

        Assert.Equal([1, 2, 3], done.Select(c => c.Action.App.Pid));
        Assert.Equal([7L, 7, 8], done.Select(c => c.IssuedStep));
        Assert.Equal(0, path.Pending);
        Assert.Equal(0, path.Drain(done));
    }

    [Fact]
    public async Task Submit_BackendThrows_FailedCompletionAndTheWorkerGoesOn()
    {
        var backend = new RecordingBackend { OnExecute = a => a.App.Pid == 1 ? throw new InvalidOperationException("tool crashed") : null };
        await using var path = new WorkerSlowPath(backend);

        path.Submit(Suspend(1), 1, "a");
        path.Submit(Suspend(2), 1, "b");
        var done = new List<SlowCompletion>();
        for (int i = 0; i < 500 && done.Count < 2; i++)
        {
            path.Drain(done);
            await Task.Delay(5);
        }

        Assert.False(done[0].Result.Applied);
        Assert.Contains("threw InvalidOperationException: tool crashed", done[0].Result.Error, StringComparison.Ordinal);
        Assert.True(done[1].Result.Applied);
    }

    [Fact]
    public async Task Submit_AfterDispose_Throws()
    {
        var path = new WorkerSlowPath(new RecordingBackend());
        await path.DisposeAsync();

        Assert.Throws<InvalidOperationException>(() => path.Submit(Suspend(1), 1, "a"));
    }
}
