using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>Log messages of the replica-set health check; event ids 4100–4199 belong to it.</summary>
internal static partial class Log
{
    [LoggerMessage(4101, LogLevel.Debug, "Replica-set health check {CheckName}: {Status}. {Description}")]
    public static partial void Evaluated(ILogger logger, string checkName, HealthStatus status, string description);

    [LoggerMessage(4102, LogLevel.Warning, "Replica-set health check {CheckName}: {Status}. {Description}")]
    public static partial void NotHealthy(ILogger logger, string checkName, HealthStatus status, string description);

    [LoggerMessage(4103, LogLevel.Warning, "Replica-set health check {CheckName} could not evaluate: no observation within {Timeout}")]
    public static partial void TimedOut(ILogger logger, string checkName, TimeSpan timeout);

    [LoggerMessage(4104, LogLevel.Error, "Replica-set health check {CheckName} is not authorized to run {CommandName}: {Remedy}")]
    public static partial void NotAuthorized(ILogger logger, string checkName, string? commandName, string remedy);

    [LoggerMessage(4105, LogLevel.Error, "Replica-set health check {CheckName} could not observe the replica set")]
    public static partial void ObservationFailed(ILogger logger, string checkName, Exception exception);

    [LoggerMessage(4106, LogLevel.Warning, "Replica-set health check {CheckName} could not publish its metrics")]
    public static partial void MetricsPublishFailed(ILogger logger, string checkName, Exception exception);
}
