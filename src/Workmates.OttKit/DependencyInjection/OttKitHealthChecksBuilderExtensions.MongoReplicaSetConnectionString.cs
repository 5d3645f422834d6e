using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Mongo.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OttKit health checks on an <see cref="IHealthChecksBuilder"/>.</summary>
public static partial class OttKitHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a MongoDB replica-set health check that observes the set through its own client, created from
    /// <paramref name="connectionString"/> once (on the first check) and disposed with the container. The user needs only
    /// the <c>clusterMonitor</c> role (plus <c>read</c> on <c>local</c> for the oplog window).
    /// </summary>
    /// <param name="builder">The health-checks builder.</param>
    /// <param name="name">The health-check name; it also names the options instance and keys the status source.</param>
    /// <param name="connectionString">A <c>mongodb://</c> URI with an explicit seed list; it is parsed here, so a mistake fails at registration.</param>
    /// <param name="configure">Adjusts the thresholds; the defaults apply to anything it leaves alone.</param>
    /// <param name="failureStatus">The status reported when the set cannot be evaluated; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter health checks by.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="connectionString"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or blank.</exception>
    /// <exception cref="MongoConfigurationException">The connection string is invalid; the message never contains the password (<c>mongodb+srv://</c> is accepted and resolved by the driver).</exception>
    /// <example>
    /// <code>
    /// services.AddHealthChecks().AddMongoReplicaSet("mongo", configuration["Mongo:Uri"]!, options => options.EnvironmentName = "prod");
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddMongoReplicaSet(
        this IHealthChecksBuilder builder,
        string name,
        string connectionString,
        Action<ReplicaSetHealthCheckOptions> configure,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(configure);

        // mongodb+srv:// is accepted: the driver resolves the SRV and TXT records when the check first runs.
        var parsed = MongoConnectionString.Parse(connectionString);

        // Keyed by the check's name, so that several sets can be checked side by side; the container owns the client.
        _ = builder.Services.AddKeyedSingleton<IReplicaSetStatusSource>(
            name,
            (services, _) => new ConnectionStringStatusSource(
                parsed,
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                services.GetService<ILoggerFactory>()?.CreateLogger<MongoDriverClient>()));
        return builder.AddMongoReplicaSet(name, configure, failureStatus, tags);
    }
}
