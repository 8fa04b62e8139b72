using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class PolicyPlanningTests
{
    private const long TenMs = TimeBase.StepNs;
    private const long AlibabaStep = 57_000_000_000;
    private const ulong MiB = 1UL << 20;

    private static PolicySet Shipped(params string[] relative) => PolicyLoader.Load(Path.Combine([RepoPaths.Root, "policies", .. relative]));

    [Fact]
    public void Options_MlNode_TenMsSteps()
    {
        ForecastPlannerOptions o = PolicyPlanning.Options(Shipped("examples", "ml-node.yaml").Node, TenMs);

        Assert.Equal(new ResourceVector(0.05, 0, 2 * GiB), o.Reserve);
        Assert.Equal(1.5, o.MaxOversubscription);
        Assert.Equal(0.99, o.OversubscriptionQuantile);
        Assert.Equal(30_000, o.SuspendAfterSteps);
        Assert.Equal(50, o.RestoreLeadSteps);
        Assert.True(o.MigrationEnabled);
        Assert.Equal(2_000_000_000, o.MaxMigrationPauseNs);
        Assert.Equal(0.10, o.MinMigrationGain);
    }

    [Fact]
    public void Options_HpcSimulation_TenMsSteps()
    {
        ForecastPlannerOptions o = PolicyPlanning.Options(Shipped("examples", "hpc-simulation.yaml").Node, TenMs);

        Assert.Equal(new ResourceVector(0.02, 0, 1 * GiB), o.Reserve);
        Assert.Equal(1.25, o.MaxOversubscription);
        Assert.Equal(0.995, o.OversubscriptionQuantile);
        Assert.Equal(12_000, o.SuspendAfterSteps);
        Assert.Equal(100, o.RestoreLeadSteps);
        Assert.Equal(5_000_000_000, o.MaxMigrationPauseNs);
        Assert.Equal(0.25, o.MinMigrationGain);
    }

    [Fact]
    public void Options_AlibabaSteps_IdleAfterRoundsUp()
    {
        // 5 min / 57 s = 5.26 -> 6 steps; 2 min / 57 s = 2.1 -> 3; a 0.5 s or 1 s lead is still one step.
        ForecastPlannerOptions ml = PolicyPlanning.Options(Shipped("examples", "ml-node.yaml").Node, AlibabaStep);
        ForecastPlannerOptions hpc = PolicyPlanning.Options(Shipped("examples", "hpc-simulation.yaml").Node, AlibabaStep);

        Assert.Equal((6, 1), (ml.SuspendAfterSteps, ml.RestoreLeadSteps));
        Assert.Equal((3, 1), (hpc.SuspendAfterSteps, hpc.RestoreLeadSteps));
        Assert.Equal((57_000_000_000, 1), (ml.StepNs, ml.WindowSteps)); // migration weighs a step's slowdown against a pause
        Assert.Equal(10_000_000, PolicyPlanning.Options(NodePolicy.Default, TenMs).StepNs);
    }

    [Fact]
    public void Options_SharedNodesStrict_EverythingOff()
    {
        ForecastPlannerOptions o = PolicyPlanning.Options(Shipped("examples", "shared-nodes-strict.yaml").Node, TenMs);

        Assert.Equal(new ResourceVector(0, 0, 512 * MiB), o.Reserve);
        Assert.Equal(1, o.MaxOversubscription);
        Assert.Equal(0, o.SuspendAfterSteps);
        Assert.False(o.MigrationEnabled);
    }

    [Fact]
    public void Options_KeepsTheTuningButNotNodeSettings()
    {
        var tuning = new ForecastPlannerOptions { UpperQuantile = 0.9, WindowSteps = 7, Headroom = 0.2, WorkConserving = false };

        ForecastPlannerOptions o = PolicyPlanning.Options(NodePolicy.Default, TenMs, tuning);

        Assert.Equal((7, 0.2), (o.WindowSteps, o.Headroom));
        Assert.Equal((0.99, true), (o.UpperQuantile, o.WorkConserving)); // node settings come from the node policy alone
        Assert.Equal(0, o.SuspendAfterSteps); // the built-in policy does not suspend
        Assert.Equal(30_000, PolicyPlanning.Options(NodePolicy.Default with { Suspend = SuspendPolicy.Default with { Enabled = true } }, TenMs, tuning).SuspendAfterSteps);
    }

    [Fact]
    public void Options_BuiltInPolicy_EqualsThePlannersDefaults()
    {
        // One set of node defaults: a planner built without a policy is the built-in policy's planner.
        Assert.Equal(new ForecastPlannerOptions(), PolicyPlanning.Options(NodePolicy.Default, TimeBase.StepNs));
        Assert.Equal(new ForecastPlannerOptions(), PolicyPlanning.Options(PolicySet.BuiltIn.Node, TimeBase.StepNs));
    }

    [Fact]
    public void Options_UpperQuantileKey_IsThePlannersUpperQuantile()
    {
        ForecastPlannerOptions o = PolicyPlanning.Options(NodePolicy.Default with { UpperQuantile = 0.95 }, TenMs);

        Assert.Equal(0.95, o.UpperQuantile);
        Assert.Equal(0.95, new ForecastPlanner(o).Quantiles.Upper);
    }

    [Fact]
    public void Options_IdleAfterShorterThanAStep_AtLeastOne()
    {
        NodePolicy node = NodePolicy.Default with { Suspend = new SuspendPolicy(true, TimeSpan.FromMilliseconds(1), TimeSpan.Zero) };

        ForecastPlannerOptions o = PolicyPlanning.Options(node, TenMs);

        Assert.Equal((1, 1), (o.SuspendAfterSteps, o.RestoreLeadSteps));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Options_NonPositiveStep_Throws(long stepNs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyPlanning.Options(NodePolicy.Default, stepNs));

    [Fact]
    public void Constraints_MlTraining_NoCeilingIsWholeGpu()
    {
        AppPolicy training = Shipped("examples", "ml-node.yaml").For(App("python3", user: "mlops", env: ("GPUPREDICT_ROLE", "training")));
        Assert.Null(training.Ceiling);

        PlanConstraints c = PolicyPlanning.Constraints(training);

        Assert.Equal(new PlanConstraints(40 * GiB, 0.6, ulong.MaxValue, 1.0, MaySuspend: false, MayMigrate: true), c);
        Assert.Null(c.Validate());
    }

    [Fact]
    public void Constraints_MlInference_FloorAndCeiling()
    {
        AppPolicy inference = Shipped("examples", "ml-node.yaml").For(App("tritonserver", user: "triton", executable: "/opt/tritonserver/bin/tritonserver"));

        PlanConstraints c = PolicyPlanning.Constraints(inference);

        Assert.Equal(new PlanConstraints(12 * GiB, 0.2, 48 * GiB, 0.8, MaySuspend: true, MayMigrate: true), c);
    }

    [Fact]
    public void Constraints_HpcProduction_NeitherSuspendNorMigrate()
    {
        AppPolicy production = Shipped("examples", "hpc-simulation.yaml")
            .For(App("lmp_mpi", gid: 300, cgroup: "/system.slice/slurmstepd.scope/job_42/step_0", executable: "/opt/lammps/2Aug2023/bin/lmp_mpi"));

        PlanConstraints c = PolicyPlanning.Constraints(production);

        Assert.Equal("production-simulations", production.RuleName);
        Assert.Equal((16 * GiB, 0.5), (c.FloorVramBytes, c.FloorSmShare));
        Assert.Equal((false, false), (c.MaySuspend, c.MayMigrate));
    }

    [Fact]
    public void Constraints_BuiltInDefault_IsNone()
    {
        Assert.Equal(PlanConstraints.None, PolicyPlanning.Constraints(AppPolicy.Default));
    }

    [Fact]
    public void Constraints_FloorAboveCeiling_CeilingRaisedToFloor()
    {
        AppPolicy policy = AppPolicy.Default with { Floor = new ResourceLimits(8 * GiB, 0.6), Ceiling = new ResourceLimits(4 * GiB, 0.25) };

        PlanConstraints c = PolicyPlanning.Constraints(policy);

        Assert.Equal((8 * GiB, 0.6), (c.CeilingVramBytes, c.CeilingSmShare));
        Assert.Null(c.Validate());
    }

    [Fact]
    public void Options_MpsAndWorkConserving_Mapped()
    {
        PolicySet set = Parse("version: 1", "node:", "  mps: { enabled: true, repartition_points: 25 }", "  work_conserving: true");

        ForecastPlannerOptions o = PolicyPlanning.Options(set.Node, TenMs);

        Assert.Equal((true, 25, true), (o.MpsPartitions, o.MpsRepartitionPoints, o.WorkConserving));
        Assert.Equal((false, true), (PolicyPlanning.Options(PolicySet.BuiltIn.Node, TenMs).MpsPartitions, PolicyPlanning.Options(PolicySet.BuiltIn.Node, TenMs).WorkConserving));
    }

    [Fact]
    public void Options_ZeroMigrationGain_IsAValidPlanner()
    {
        PolicySet set = Parse("version: 1", "node:", "  migration: { min_gain: 0 }");

        Assert.Equal(0, new ForecastPlanner(PolicyPlanning.Options(set.Node, TenMs)).Options.MinMigrationGain);
    }

    [Theory]
    [InlineData("  mps: { repartition_points: 0 }", "node.mps.repartition_points")]
    [InlineData("  mps: { repartition_points: 2.5 }", "node.mps.repartition_points")]
    [InlineData("  work_conserving: sometimes", "node.work_conserving")]
    public void Parse_BadMpsOrWorkConserving_NamesTheField(string line, string field)
    {
        PolicyFormatException e = Fail("version: 1", "node:", line);

        Assert.Equal(field, e.Field);
    }
}
