namespace Gpupredict.Manager.Policies;

/// <summary>
/// Shell-style wildcard matching, ordinal and case-sensitive: <c>*</c> matches any run of characters
/// (also none, also <c>/</c>), <c>?</c> exactly one; every other character matches itself. There are
/// no character classes and no escapes.
/// </summary>
internal static class Glob
{
    /// <summary>True when all of <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0;
        int t = 0;

        // Where to resume after the last '*': retrying it with one more character swallowed keeps
        // the match linear in practice and never exponential.
        int starAt = -1;
        int resumeText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starAt = p++;
                resumeText = t;
            }
            else if (starAt >= 0)
            {
                p = starAt + 1;
                t = ++resumeText;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>The fewest characters a text matching <paramref name="pattern"/> can have.</summary>
    public static int MinimumLength(ReadOnlySpan<char> pattern) => pattern.Length - pattern.Count('*');
}
