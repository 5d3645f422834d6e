using Microsoft.Extensions.Logging;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>Log messages of the replica-set client. Connection strings are logged redacted; passwords never.</summary>
internal static partial class MongoClientLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "MongoDB client starting for {ConnectionString}")]
    public static partial void Starting(ILogger logger, string connectionString);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "MongoDB connection string warning: {Warning}")]
    public static partial void ConnectionStringWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "MongoDB server {Address} is now {ServerType}")]
    public static partial void ServerChanged(ILogger logger, string address, string serverType);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "MongoDB check of {Address} failed: {Error}")]
    public static partial void CheckFailed(ILogger logger, string address, string error);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "MongoDB server selection failed after {TimeoutMs} ms: {Topology}")]
    public static partial void SelectionFailed(ILogger logger, double timeoutMs, string topology);
}
