using System.Globalization;

namespace Gpupredict.Ctl;

/// <summary>
/// A small, strict reader of "--name value" options and positional arguments. Unknown options and
/// malformed values are usage errors naming the option, the expected form and what was given.
/// </summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ArgReader(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        using IEnumerator<string> e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string a = e.Current;
            if (a == "--")
            {
                while (e.MoveNext())
                {
                    _positional.Add(e.Current);
                }

                break;
            }

            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                _positional.Add(a);
                continue;
            }

            string name = a;
            string? value = null;
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = a[..eq];
                value = a[(eq + 1)..];
            }
            else if (!flags.Contains(name))
            {
                value = e.MoveNext() ? e.Current : throw new UsageException($"option {name} needs a value");
            }

            _options[name] = value;
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out string? v) ? v : null;
    }

    public int Int(string name, int fallback, int min, int max)
    {
        string? s = String(name);
        if (s is null)
        {
            return fallback;
        }

        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new UsageException($"option {name}: expected an integer in [{min}, {max}], got '{s}'");
    }

    public double Double(string name, double fallback, double min, double max)
    {
        string? s = String(name);
        if (s is null)
        {
            return fallback;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= min && v <= max
            ? v
            : throw new UsageException($"option {name}: expected a number in [{min}, {max}], got '{s}'");
    }

    /// <summary>Fails on any option no command asked for.</summary>
    public void RejectUnknown()
    {
        foreach (string name in _options.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new UsageException($"unknown option {name}");
            }
        }
    }
}
