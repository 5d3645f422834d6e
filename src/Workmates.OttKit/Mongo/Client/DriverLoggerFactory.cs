using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// The <see cref="ILoggerFactory"/> handed to the official driver (<c>MongoClientSettings.LoggingSettings</c>): every
/// category the driver logs under (<c>MongoDB.SDAM</c>, <c>MongoDB.ServerSelection</c>, <c>MongoDB.Connection</c>…) is
/// written to the one <see cref="ILogger"/> the caller gave <see cref="MongoDriverClient"/>, so its diagnostics sit next
/// to the client's own. <c>MongoDB.Command</c> is left out: its events carry command and reply documents, which for
/// backups and restores are the customer's data.
/// </summary>
internal sealed class DriverLoggerFactory(ILogger logger) : ILoggerFactory
{
    /// <summary>The driver's category for command started/succeeded/failed events (documents included).</summary>
    public const string CommandCategory = "MongoDB.Command";

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(CommandCategory, StringComparison.Ordinal) ? NullLogger.Instance : logger;

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
        // The caller's logger is the only destination.
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The caller owns its logger.
    }
}
