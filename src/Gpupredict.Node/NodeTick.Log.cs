using Gpupredict.Core.Apps;
using Gpupredict.Core.Planning;
using Microsoft.Extensions.Logging;

namespace Gpupredict.Node;

/// <summary>What the loop says, with stable event ids (1xx: applications, 2xx: enforcement, 3xx: source faults).</summary>
public sealed partial class NodeTick
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "application {App} ({Name}) admitted by {Rule}: {PriorityClass}, weight {Weight}")]
    private partial void LogAdmitted(AppId app, string name, string rule, PriorityClass priorityClass, int weight);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "application {App} ({Name}) released ({Why})")]
    private partial void LogReleased(AppId app, string name, string why);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "application {App}: enforcement refused: {What}")]
    private partial void LogEnforcementRefused(AppId app, string what);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "application {App}: {Kind} failed: {Error}")]
    private partial void LogSlowActionFailed(AppId app, SlowActionKind kind, string? error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "application {App}: release failed: {Error}")]
    private partial void LogReleaseFailed(AppId app, string? error);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "the source reported {App} ({Name}) arriving twice; the second arrival is ignored")]
    private partial void LogDuplicateArrival(AppId app, string name);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "the source reported demand of {App}, which never arrived; ignored")]
    private partial void LogUnknownApplication(AppId app);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "the source reported {App} twice in one step; the second observation is ignored")]
    private partial void LogDuplicateObservation(AppId app);
}
