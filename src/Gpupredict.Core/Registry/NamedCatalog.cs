namespace Gpupredict.Core.Registry;

/// <summary>
/// Registrations of one kind of named policy (forecasters, planners, backends), looked up by name:
/// a later registration of a name replaces an earlier one and keeps its place in <see cref="Names"/>;
/// an unknown name is an error that lists the known ones. What each feature's catalog shares.
/// </summary>
/// <typeparam name="T">The registration.</typeparam>
public sealed class NamedCatalog<T>
    where T : class
{
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    private readonly string _kind;

    /// <summary>A catalog of <paramref name="registrations"/>, each named by <paramref name="nameOf"/>.</summary>
    /// <param name="registrations">The registrations, in the order names are listed.</param>
    /// <param name="nameOf">A registration's name (non-empty).</param>
    /// <param name="kind">What they are, for messages ("forecaster", "planner", "enforcement backend").</param>
    /// <exception cref="ArgumentException">A registration has no name.</exception>
    public NamedCatalog(IEnumerable<T> registrations, Func<T, string> nameOf, string kind)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(nameOf);
        _kind = kind;
        var names = new List<string>();
        foreach (T r in registrations)
        {
            string name = nameOf(r);
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"a {kind} was registered without a name", nameof(registrations));
            }

            if (!_byName.ContainsKey(name))
            {
                names.Add(name);
            }

            _byName[name] = r;
        }

        Names = names;
    }

    /// <summary>The names, in registration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The registration called <paramref name="name"/>, or null.</summary>
    public T? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The registration called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">None has that name; the message lists the known ones.</exception>
    public T Get(string name) => Find(name) ?? throw new ArgumentException(Unknown(name), nameof(name));

    /// <summary>"unknown KIND 'NAME'; known: A, B, C".</summary>
    public string Unknown(string name) => $"unknown {_kind} '{name}'; known: {string.Join(", ", Names)}";
}
