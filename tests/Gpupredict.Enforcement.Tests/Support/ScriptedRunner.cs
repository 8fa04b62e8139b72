using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement.Tests.Support;

/// <summary>An in-memory <see cref="IProcessRunner"/> double: records every request and answers from a function.</summary>
internal sealed class ScriptedRunner(Func<ProcessRequest, ProcessResult> answer) : IProcessRunner
{
    public List<ProcessRequest> Requests { get; } = [];

    /// <summary>Each request as one line: stdin for the MPS tool, else the arguments.</summary>
    public IEnumerable<string> Lines => Requests.Select(static r => r.StandardInput?.Trim() ?? string.Join(' ', r.Arguments));

    public static ProcessResult Ok(string stdout = "") => new(0, stdout, string.Empty, false, null);

    public ProcessResult Run(ProcessRequest request)
    {
        Requests.Add(request);
        return answer(request);
    }
}
