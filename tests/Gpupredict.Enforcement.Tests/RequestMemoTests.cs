using Gpupredict.Core.Enforcement;

namespace Gpupredict.Enforcement.Tests;

public sealed class RequestMemoTests
{
    [Fact]
    public void Once_RepeatedId_ReturnsTheFirstResultUnchangedWithoutActing()
    {
        var memo = new RequestMemo();
        int calls = 0;

        EnforcementResult first = memo.Once("a", () => EnforcementResult.Ok("a", changed: ++calls > 0));
        EnforcementResult second = memo.Once("a", () => EnforcementResult.Failed("a", $"{++calls}"));

        Assert.Equal((EnforcementResult.Ok("a", true), EnforcementResult.Ok("a", false), 1), (first, second, calls));
    }

    [Fact]
    public void Once_BeyondCapacity_ForgetsTheOldestId()
    {
        var memo = new RequestMemo(capacity: 2);
        int calls = 0;
        EnforcementResult Act() => EnforcementResult.Ok("x", changed: ++calls > 0);

        memo.Once("a", Act);
        memo.Once("b", Act);
        memo.Once("c", Act); // forgets a
        memo.Once("c", Act);
        memo.Once("a", Act); // acts again, forgets b

        Assert.Equal((4, 2), (calls, memo.Count));
    }

    [Fact]
    public void Once_EmptyId_IsACallerBug() =>
        Assert.Throws<ArgumentException>(() => new RequestMemo().Once(string.Empty, () => EnforcementResult.Ok("x", false)));
}
