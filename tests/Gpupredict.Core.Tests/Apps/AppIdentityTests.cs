using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Tests.Apps;

public class AppIdentityTests
{
    [Fact]
    public void Recorded_Name_OnlyNameKnownIdsZero()
    {
        AppIdentity app = AppIdentity.Recorded("lmp_mpi");

        Assert.Equal(("lmp_mpi", (string?)null, 0u, 0u, (string?)null, (string?)null), (app.ProcessName, app.Executable, app.Uid, app.Gid, app.User, app.Cgroup));
        Assert.Empty(app.Environment);
    }

    [Fact]
    public void Recorded_Null_Throws() => Assert.Throws<ArgumentNullException>(() => AppIdentity.Recorded(null!));
}
