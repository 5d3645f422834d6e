using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Workmates.OttKit.Mongo.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OttKit health checks on an <see cref="IHealthChecksBuilder"/>.</summary>
public static partial class OttKitHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a MongoDB replica-set health check. It reads the set through the <see cref="IReplicaSetStatusSource"/> registered
    /// in the container (keyed by <paramref name="name"/> first, then unkeyed) and needs only the <c>clusterMonitor</c> role.
    /// </summary>
    /// <param name="builder">The health-checks builder.</param>
    /// <param name="name">The health-check name; it also names the options instance and keys the status source.</param>
    /// <param name="configure">Adjusts the thresholds; the defaults apply to anything it leaves alone.</param>
    /// <param name="failureStatus">The status reported when the set cannot be evaluated (timeout, not authorized, error); <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter health checks by.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or blank.</exception>
    /// <example>
    /// <code>
    /// services.AddHealthChecks().AddMongoReplicaSet("mongo", options => options.EnvironmentName = "prod");
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddMongoReplicaSet(
        this IHealthChecksBuilder builder,
        string name,
        Action<ReplicaSetHealthCheckOptions> configure,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        _ = builder.Services.AddOptionsWithValidateOnStart<ReplicaSetHealthCheckOptions, ReplicaSetHealthCheckOptionsValidator>(name).Configure(configure);
        return AddReplicaSetRegistration(builder, name, failureStatus, tags);
    }

    /// <summary>Adds a MongoDB replica-set health check whose thresholds are bound from configuration.</summary>
    /// <param name="builder">The health-checks builder.</param>
    /// <param name="name">The health-check name; it also names the options instance and keys the status source.</param>
    /// <param name="configuration">A section holding <see cref="ReplicaSetHealthCheckOptions"/> properties (durations as <c>hh:mm:ss</c>).</param>
    /// <param name="failureStatus">The status reported when the set cannot be evaluated; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter health checks by.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or blank.</exception>
    public static IHealthChecksBuilder AddMongoReplicaSet(
        this IHealthChecksBuilder builder,
        string name,
        IConfiguration configuration,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);

        _ = builder.Services.AddOptionsWithValidateOnStart<ReplicaSetHealthCheckOptions, ReplicaSetHealthCheckOptionsValidator>(name).Bind(configuration);
        return AddReplicaSetRegistration(builder, name, failureStatus, tags);
    }

    private static IHealthChecksBuilder AddReplicaSetRegistration(IHealthChecksBuilder builder, string name, HealthStatus? failureStatus, IEnumerable<string>? tags)
    {
        // One state per registration, kept by the container: health-check instances are created for every run.
        _ = builder.Services.AddKeyedSingleton(name, static (_, _) => new ReplicaSetHealthState());
        return builder.Add(new HealthCheckRegistration(name, services => CreateReplicaSetHealthCheck(services, name), failureStatus, tags));
    }

    private static ReplicaSetHealthCheck CreateReplicaSetHealthCheck(IServiceProvider services, string name)
    {
        var source = services.GetKeyedService<IReplicaSetStatusSource>(name) ?? services.GetService<IReplicaSetStatusSource>()
            ?? throw new InvalidOperationException(
                $"No {nameof(IReplicaSetStatusSource)} is registered for the MongoDB replica-set health check '{name}'. Register one keyed by '{name}' or unkeyed (the OttKit MongoDB client provides it).");
        return new ReplicaSetHealthCheck(
            name,
            source,
            services.GetRequiredService<IOptionsMonitor<ReplicaSetHealthCheckOptions>>().Get(name),
            services.GetRequiredKeyedService<ReplicaSetHealthState>(name),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILogger<ReplicaSetHealthCheck>>() ?? NullLogger<ReplicaSetHealthCheck>.Instance,
            services.GetServices<IHealthMetricsPublisher>());
    }
}
