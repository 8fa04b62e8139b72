using Gpupredict.Core.Apps;
using Gpupredict.Core.Pipeline;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// Admission by the loaded policy rules: an arriving application gets the priority and constraints
/// of the first rule its kernel-reported identity matches. A reload swaps the set whole
/// (<see cref="Replace"/>); applications already admitted keep their terms.
/// </summary>
public sealed class PolicyAdmission(PolicySet policies) : IAdmission
{
    private PolicySet _policies = policies ?? throw new ArgumentNullException(nameof(policies));

    /// <summary>The set in force.</summary>
    public PolicySet Policies => Volatile.Read(ref _policies);

    /// <inheritdoc />
    public AppTerms Admit(AppId app, AppIdentity identity) => Policies.Admit(identity);

    /// <summary>Puts <paramref name="policies"/> in force for applications that arrive from now on.</summary>
    public void Replace(PolicySet policies) => Volatile.Write(ref _policies, policies ?? throw new ArgumentNullException(nameof(policies)));
}
