using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Cli.Commands;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Patching;

namespace Workmates.OttKit.Cli;

/// <summary>
/// The blueprint's scheduled database tasks (ECS tasks on a schedule): what the backup image's entry point
/// (<c>samples/BackupTask</c>) runs, and what <c>Workmates.OttKit.Testing</c>'s rehearsal runs in process with the
/// environment it resolves from the synthesized task definition. One image, three modes named by the first argument:
/// <see cref="BackupTaskEnvironment.BackupMode"/> (the default; back up, prune, publish the backup age),
/// <see cref="BackupTaskEnvironment.HealthMode"/> (check the replica set once, publish its metrics) and
/// <see cref="BackupTaskEnvironment.PatchMode"/> (patch the members one at a time). Each mode reads only the variables
/// <see cref="BackupTaskEnvironment.Settings(string)"/> declares for it (the blueprint generates the task definitions
/// from that declaration); the AWS clients read <c>AWS_REGION</c>, the <c>AWS_ACCESS_KEY_ID</c> family and
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> from the same variables (else the SDK's chain: the container's credentials).
/// </summary>
/// <remarks>
/// Exit codes. backup: 0 backed up and pruned; 1 the backup failed; 2 the prune or the metric failed.
/// health: 0 checked and published, whatever the verdict (the alarms judge it); 2 the metrics were not published;
/// 3 the set could not be evaluated (nothing published: the "no primary" alarm treats missing data as breaching).
/// patch: 0 every member patched; 1 the run stopped. All modes: 64 bad configuration.
/// </remarks>
public static class ScheduledDatabaseTask
{
    private const string CheckName = "mongo";

    /// <summary>Runs one scheduled task and returns its exit code.</summary>
    /// <param name="arguments">The container's command: none (backup), or one of <c>backup</c>, <c>health</c>, <c>patch</c>.</param>
    /// <param name="variables">The task's environment as ECS gives it (the task definition's <c>Environment</c> and resolved <c>secrets</c>, the region, credentials).</param>
    /// <param name="time">The task's clock: backup ids, retention, the published age (the image passes the system clock).</param>
    /// <param name="temporaryDirectory">Where the TLS CA certificate is written as a file (the image passes its tmpfs).</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="cancellationToken">Cancels the task.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> variables,
        TimeProvider time,
        string temporaryDirectory,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var mode = arguments.Count == 0 ? BackupTaskEnvironment.BackupMode : arguments[0];
        if (arguments.Count > 1 || mode is not (BackupTaskEnvironment.BackupMode or BackupTaskEnvironment.HealthMode or BackupTaskEnvironment.PatchMode))
        {
            await error.WriteLineAsync($"error: expected one argument, '{BackupTaskEnvironment.BackupMode}' (the default), '{BackupTaskEnvironment.HealthMode}' or '{BackupTaskEnvironment.PatchMode}'.").ConfigureAwait(false);
            return 64;
        }

        var cli = new CliEnvironment(variables, time, OutputIsTerminal: false);
        var env = BackupTaskEnvironment.Reader(mode, cli.Variable);
        string? uri;
        try
        {
            // With TLS the CA certificate (OTTKIT_MONGO_TLS_CA, a PEM) becomes a tlsCAFile in the temporary directory.
            uri = BackupTaskEnvironment.ConnectionUri(env, temporaryDirectory);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 64;
        }

        using var aws = new AwsConnection(cli, cli.Variable("AWS_REGION") ?? cli.Variable("AWS_DEFAULT_REGION") ?? string.Empty, profile: null);
        return mode switch
        {
            BackupTaskEnvironment.HealthMode => await HealthAsync(uri, env, aws, output, error, cancellationToken).ConfigureAwait(false),
            BackupTaskEnvironment.PatchMode => await PatchAsync(uri, env, aws, time, output, error, cancellationToken).ConfigureAwait(false),
            _ => await BackupAsync(uri, env, aws, time, output, error, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<int> BackupAsync(string? uri, Func<string, string?> env, AwsConnection aws, TimeProvider clock, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var bucket = env(BackupTaskEnvironment.BucketVariable);
        if (uri is null || bucket is null)
        {
            await error.WriteLineAsync("error: set OTTKIT_BACKUP_BUCKET and either OTTKIT_MONGO_URI or OTTKIT_MONGO_CONNECTION_STRING with OTTKIT_MONGO_USERNAME and OTTKIT_MONGO_PASSWORD.").ConfigureAwait(false);
            return 64;
        }

        if (!int.TryParse(env(BackupTaskEnvironment.RetentionDaysVariable) ?? "15", NumberStyles.None, CultureInfo.InvariantCulture, out var retentionDays) || retentionDays < 1
            || !int.TryParse(env(BackupTaskEnvironment.MinimumKeptVariable) ?? "3", NumberStyles.None, CultureInfo.InvariantCulture, out var minimumKept) || minimumKept < 1)
        {
            await error.WriteLineAsync("error: OTTKIT_BACKUP_RETENTION_DAYS and OTTKIT_BACKUP_MIN_KEEP must be whole numbers of at least 1.").ConfigureAwait(false);
            return 64;
        }

        MongoConnectionString connectionString;
        try
        {
            connectionString = MongoConnectionString.Parse(uri);
        }
        catch (MongoConfigurationException e)
        {
            await error.WriteLineAsync($"error: OTTKIT_MONGO_URI is not usable: {e.Message}").ConfigureAwait(false);
            return 64;
        }

        var prefix = env(BackupTaskEnvironment.PrefixVariable) ?? "mongo";
        var environment = env(BackupTaskEnvironment.EnvironmentVariable) ?? "default";
        var store = new S3BackupObjectStore(aws.S3(), bucket, new S3BackupObjectStoreOptions { KmsKeyId = env(BackupTaskEnvironment.KmsKeyIdVariable) });
        var exitCode = 0;
        try
        {
            var result = await new BackupRunner(store, clock).RunAsync(
                new BackupOptions
                {
                    ConnectionString = connectionString,
                    Prefix = prefix,
                    KmsKeyId = env(BackupTaskEnvironment.KmsKeyIdVariable),
                    Progress = new SynchronousProgress<BackupProgress>(p => output.WriteLine($"[{p.Stage}] {p.Message}")),
                },
                cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"backup {result.Manifest.BackupId}: {result.Manifest.CompressedBytes} bytes, SHA-256 {result.Manifest.Sha256}").ConfigureAwait(false);
        }
        catch (MongoBackupException e)
        {
            await error.WriteLineAsync($"error: backup failed ({e.Code}): {e.Message}").ConfigureAwait(false);
            exitCode = 1;
        }

        var catalog = new BackupCatalog(store, prefix);
        try
        {
            var report = await catalog.PruneAsync(TimeSpan.FromDays(retentionDays), minimumKept, clock.GetUtcNow(), dryRun: false, cancellationToken).ConfigureAwait(false);
            foreach (var decision in report.Decisions)
            {
                await output.WriteLineAsync($"prune: {decision.Action} {decision.BackupId}: {decision.Reason}{(decision.Error is { } failure ? " — " + failure : string.Empty)}").ConfigureAwait(false);
            }

            exitCode = exitCode == 0 && report.HasFailures ? 2 : exitCode;
        }
        catch (Exception e) when (e is BackupStorageException or IOException)
        {
            await error.WriteLineAsync($"error: prune failed: {e.Message}").ConfigureAwait(false);
            exitCode = exitCode == 0 ? 2 : exitCode;
        }

        // Published whatever happened above: after a failure the age keeps growing and the alarm on it fires.
        try
        {
            var listing = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
            // No complete backup at all reads as a billion seconds (CloudWatch refuses values above about 1e108).
            var age = listing.Latest is { } latest ? (clock.GetUtcNow() - latest.Manifest.CompletedAt).TotalSeconds : 1e9;
            // The library's CloudWatch publisher (the one the health mode uses) sends any namespace's data points.
            await new CloudWatchHealthMetricsPublisher(aws.CloudWatch()).PublishAsync(
                BackupMetricNames.Namespace,
                [
                    new HealthMetricDatum(
                        BackupMetricNames.LastSuccessfulBackupAgeSeconds,
                        age,
                        HealthMetricUnit.Seconds,
                        new Dictionary<string, string> { [BackupMetricNames.EnvironmentDimension] = environment },
                        clock.GetUtcNow()),
                ],
                cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"metric OttKit/Backup LastSuccessfulBackupAgeSeconds = {age:0} (Environment={environment})")).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CloudWatchException or BackupStorageException or IOException or HttpRequestException)
        {
            await error.WriteLineAsync($"error: the backup age metric was not published: {e.Message}").ConfigureAwait(false);
            exitCode = exitCode == 0 ? 2 : exitCode;
        }

        return exitCode;
    }

    /// <summary>The health mode: one replica-set check through the library's health check, its metrics published to CloudWatch.</summary>
    private static async Task<int> HealthAsync(string? uri, Func<string, string?> env, AwsConnection aws, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var environment = env(BackupTaskEnvironment.EnvironmentVariable) ?? "default";
        if (uri is null)
        {
            await error.WriteLineAsync("error: set OTTKIT_MONGO_URI, or OTTKIT_MONGO_CONNECTION_STRING with OTTKIT_MONGO_USERNAME and OTTKIT_MONGO_PASSWORD.").ConfigureAwait(false);
            return 64;
        }

        if (!double.TryParse(env(BackupTaskEnvironment.HealthTimeoutVariable) ?? "10", NumberStyles.Float, CultureInfo.InvariantCulture, out var timeout) || !(timeout > 0))
        {
            await error.WriteLineAsync($"error: {BackupTaskEnvironment.HealthTimeoutVariable} must be a positive number of seconds, such as 10.").ConfigureAwait(false);
            return 64;
        }

        var publisher = new RecordingHealthPublisher(new CloudWatchHealthMetricsPublisher(aws.CloudWatch()));
        var services = new ServiceCollection();
        _ = services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        _ = services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        _ = services.AddSingleton<IHealthMetricsPublisher>(publisher);
        try
        {
            _ = services.AddHealthChecks().AddMongoReplicaSet(CheckName, uri, options =>
            {
                options.Timeout = TimeSpan.FromSeconds(timeout);
                options.EnvironmentName = environment;
            });
        }
        catch (MongoConfigurationException e)
        {
            await error.WriteLineAsync($"error: the MongoDB connection string is not usable: {e.Message}").ConfigureAwait(false);
            return 64;
        }

        HealthReportEntry entry;
        var provider = services.BuildServiceProvider();
        await using (provider.ConfigureAwait(false))
        {
            var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            entry = report.Entries[CheckName];
        }

        var verdict = entry.GetReplicaSetReport();
        await output.WriteLineAsync($"health {(verdict is null ? "CouldNotEvaluate" : verdict.Status.ToString())}: {entry.Description}").ConfigureAwait(false);
        if (verdict is null)
        {
            await error.WriteLineAsync($"error: the replica set could not be evaluated ({entry.GetNotEvaluatedReason()}); nothing published.").ConfigureAwait(false);
            return 3;
        }

        if (publisher.Failure is { } failure)
        {
            await error.WriteLineAsync($"error: the health metrics were not published: {failure.Message}").ConfigureAwait(false);
            return 2;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"metrics {ReplicaSetHealthMetricNames.Namespace}: {publisher.Published} data points (Environment={environment})")).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The patch mode: the library's <see cref="PatchRunner"/> on the MongoDB members, in step-down order.</summary>
    private static async Task<int> PatchAsync(string? uri, Func<string, string?> env, AwsConnection aws, TimeProvider clock, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var environment = env(BackupTaskEnvironment.EnvironmentVariable);
        if (uri is null || environment is null)
        {
            await error.WriteLineAsync("error: set OTTKIT_ENVIRONMENT and OTTKIT_MONGO_URI, or OTTKIT_MONGO_CONNECTION_STRING with OTTKIT_MONGO_USERNAME and OTTKIT_MONGO_PASSWORD (the admin user).").ConfigureAwait(false);
            return 64;
        }

        MongoConnectionString connectionString;
        try
        {
            connectionString = MongoConnectionString.Parse(uri);
        }
        catch (MongoConfigurationException e)
        {
            await error.WriteLineAsync($"error: the MongoDB connection string is not usable: {e.Message}").ConfigureAwait(false);
            return 64;
        }

        var replicaSet = new MongoReplicaSetControl(connectionString, clock);
        await using (replicaSet.ConfigureAwait(false))
        {
            var runner = new PatchRunner(aws.Ssm(), drainer: null, replicaSet, clock);
            PatchResult result;
            try
            {
                result = await runner.InstallAsync(
                    new PatchOptions
                    {
                        Environment = environment,
                        Target = PatchTarget.Database,
                        Progress = new SynchronousProgress<PatchEvent>(e => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.At:O} {e}"))),
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (PatchException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            foreach (var instance in result.Instances)
            {
                await output.WriteLineAsync($"  {instance.InstanceId} {instance.Role} {instance.Status}{(instance.Details is null ? string.Empty : $": {instance.Details}")}").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{(result.Succeeded ? "ok" : "failed")}: {result.Verdict}{(result.ReplicaSetState is { } state ? $" (replica set: {state})" : string.Empty)}").ConfigureAwait(false);
            return result.Succeeded ? 0 : 1;
        }
    }

    /// <summary>Reports in the caller's order (<see cref="Progress{T}"/> would post to the thread pool and race the writer).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
