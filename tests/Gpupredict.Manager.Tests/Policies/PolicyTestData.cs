using Gpupredict.Core.Apps;
using Gpupredict.Manager.Policies;

namespace Gpupredict.Manager.Tests.Policies;

/// <summary>Helpers shared by the policy tests.</summary>
internal static class PolicyTestData
{
    public const ulong GiB = 1UL << 30;

    /// <summary>Joins lines with '\n', so that a test states line numbers by position.</summary>
    public static string Yaml(params string[] lines) => string.Join('\n', lines) + "\n";

    public static PolicySet Parse(params string[] lines) => PolicyLoader.Parse(Yaml(lines), "p.yaml");

    public static PolicyFormatException Fail(params string[] lines) =>
        Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(Yaml(lines), "p.yaml"));

    /// <summary>Asserts where an error points.</summary>
    public static void At(PolicyFormatException e, int line, int column, string field)
    {
        Assert.Equal("p.yaml", e.Source);
        Assert.Equal((line, column, field), (e.Line, e.Column, e.Field));
    }

    public static AppIdentity App(
        string process = "app",
        uint uid = 1000,
        string? user = "alice",
        string? cgroup = null,
        uint gid = 1000,
        string? executable = null,
        params (string Name, string Value)[] env) =>
        new(process, executable, uid, gid, user, cgroup, env.ToDictionary(static p => p.Name, static p => p.Value, StringComparer.Ordinal));
}
