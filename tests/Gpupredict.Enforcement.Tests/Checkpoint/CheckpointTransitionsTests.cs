using Gpupredict.Enforcement.Checkpoint;

namespace Gpupredict.Enforcement.Tests.Checkpoint;

public sealed class CheckpointTransitionsTests
{
    [Theory]
    [InlineData(CheckpointState.Running, CheckpointStep.Lock, CheckpointState.Locked)]
    [InlineData(CheckpointState.Locked, CheckpointStep.Checkpoint, CheckpointState.Checkpointed)]
    [InlineData(CheckpointState.Checkpointed, CheckpointStep.Restore, CheckpointState.Locked)]
    [InlineData(CheckpointState.Locked, CheckpointStep.Unlock, CheckpointState.Running)]
    [InlineData(CheckpointState.Running, CheckpointStep.Toggle, CheckpointState.Checkpointed)]
    [InlineData(CheckpointState.Checkpointed, CheckpointStep.Toggle, CheckpointState.Running)]
    public void Next_AllowedStep_LeadsToTheDriverState(CheckpointState from, CheckpointStep step, CheckpointState to) =>
        Assert.Equal(to, CheckpointTransitions.Next(from, step));

    [Fact]
    public void Next_EveryOtherPair_IsRefused()
    {
        int refused = 0;
        foreach (CheckpointState from in Enum.GetValues<CheckpointState>())
        {
            foreach (CheckpointStep step in Enum.GetValues<CheckpointStep>())
            {
                bool listed = CheckpointTransitions.All.Any(t => t.From == from && t.Step == step);
                Assert.Equal(listed, CheckpointTransitions.Next(from, step) is not null);
                refused += listed ? 0 : 1;
            }
        }

        Assert.Equal((3 * 5) - 6, refused); // 3 states × 5 steps, 6 allowed
    }
}
