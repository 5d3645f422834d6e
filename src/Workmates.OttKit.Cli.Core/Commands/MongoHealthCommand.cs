using System.Collections;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit mongo health --uri URI</c>: one run of the replica-set health check (the same registration a host uses),
/// every rule with its status and numbers; exit 0 healthy, 1 degraded, 2 unhealthy, 3 could not evaluate.
/// </summary>
internal static class MongoHealthCommand
{
    private const string CheckName = "mongo";

    /// <summary>Creates the <c>mongo</c> command with its <c>health</c> subcommand.</summary>
    public static Command CreateMongoCommand() => new("mongo", "Operate the MongoDB replica set: health, backup, restore and the backups in S3.") { Create() };

    /// <summary>Creates the <c>health</c> command.</summary>
    public static Command Create()
    {
        var uri = new Option<string>("--uri")
        {
            Description = "The replica set's mongodb:// connection string (a user with the clusterMonitor role is enough).",
            Required = true,
        };
        var publishMetrics = new Option<bool>("--publish-metrics")
        {
            Description = "Also publish the numbers as CloudWatch custom metrics (namespace OttKit/MongoDB); needs --environment.",
        };
        var environment = new Option<string?>("--environment")
        {
            Description = "The environment name: the Environment dimension of published metrics.",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds the check may take before it reports 'could not evaluate' (default 10).",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command(
            "health",
            "Check a MongoDB replica set: primary, write majority, replication lag, oplog window, heartbeats, member states, " +
            "elections, restarts and availability-zone spread.\n" +
            "Exit codes: 0 healthy, 1 degraded, 2 unhealthy, 3 could not evaluate.\n\n" +
            "Examples:\n  ottkit mongo health --uri \"mongodb://monitor:PASSWORD@db1:27017,db2:27017/?replicaSet=rs0\"\n" +
            "  ottkit mongo health --uri \"$MONGO_URI\" --publish-metrics --environment prod --output json")
        {
            uri,
            publishMetrics,
            environment,
            timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            OttKitCommandLine.ContextOf(parse),
            new MongoHealthArguments(parse.GetRequiredValue(uri), parse.GetValue(publishMetrics), parse.GetValue(environment), parse.GetValue(timeout)),
            static () => new AwsClientFactory().CreateCloudWatch(),
            cancellationToken));
        return command;
    }

    /// <summary>Runs one check and prints it; <paramref name="cloudWatch"/> is called only with <c>--publish-metrics</c>.</summary>
    public static async Task<int> RunAsync(CliContext context, MongoHealthArguments arguments, Func<ICloudWatchApi> cloudWatch, CancellationToken cancellationToken)
    {
        MongoConnectionString connectionString;
        try
        {
            connectionString = MongoConnectionString.Parse(arguments.Uri); // mongodb+srv:// included: the driver resolves it
        }
        catch (MongoConfigurationException ex)
        {
            // The parser's messages never contain the password, so the URI itself is not repeated.
            _ = context.UserError($"--uri is not a usable MongoDB connection string: {ex.Message}", "bad-uri");
            return ExitCodes.UsageError;
        }

        if (arguments.Timeout <= 0 || double.IsNaN(arguments.Timeout))
        {
            _ = context.UserError("--timeout must be a positive number of seconds, such as 10.", "bad-timeout");
            return ExitCodes.UsageError;
        }

        if (arguments.PublishMetrics && string.IsNullOrWhiteSpace(arguments.Environment))
        {
            _ = context.UserError("--publish-metrics needs --environment NAME (the Environment dimension of the metrics), for example --environment prod.", "missing-environment");
            return ExitCodes.UsageError;
        }

        var publisher = arguments.PublishMetrics ? new RecordingHealthPublisher(new CloudWatchHealthMetricsPublisher(cloudWatch())) : null;
        var services = new ServiceCollection();

        // HealthCheckService needs loggers; the command reports through its own output instead.
        _ = services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        _ = services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        if (publisher is not null)
        {
            _ = services.AddSingleton<IHealthMetricsPublisher>(publisher);
        }

        _ = services.AddHealthChecks().AddMongoReplicaSet(CheckName, arguments.Uri, options =>
        {
            options.Timeout = TimeSpan.FromSeconds(arguments.Timeout);
            options.EnvironmentName = arguments.PublishMetrics ? arguments.Environment : null;
        });

        HealthReportEntry entry;
        var provider = services.BuildServiceProvider();
        await using (provider.ConfigureAwait(false))
        {
            var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            entry = health.Entries[CheckName];
        }

        // The check's typed verdict: every rule with its status and numbers, and the overall status.
        var report = entry.GetReplicaSetReport();
        var exitCode = report is null ? ExitCodes.MongoHealthCouldNotEvaluate : report.Status switch
        {
            HealthStatus.Healthy => ExitCodes.Success,
            HealthStatus.Degraded => ExitCodes.MongoHealthDegraded,
            _ => ExitCodes.MongoHealthUnhealthy,
        };
        IReadOnlyList<ReplicaSetRuleResult> rules = report?.Rules ?? [];
        var statusText = report is null ? "CouldNotEvaluate" : report.Status.ToString();

        context.Result(new JsonObject
        {
            ["ok"] = exitCode == ExitCodes.Success,
            ["uri"] = connectionString.Redacted,
            ["status"] = statusText,
            ["exitCode"] = exitCode,
            ["evaluated"] = report is not null,
            ["set"] = report?.SetName,
            ["description"] = entry.Description,
            ["reason"] = entry.GetNotEvaluatedReason(),
            ["rules"] = new JsonArray([.. rules.Select(rule => (JsonNode)new JsonObject
            {
                ["rule"] = rule.Rule,
                ["status"] = rule.Status.ToString(),
                ["message"] = rule.Message,
                ["data"] = new JsonObject([.. rule.Data.Select(pair => KeyValuePair.Create(pair.Key, ToJson(pair.Value)))]),
            })]),
            ["metrics"] = publisher is null ? null : new JsonObject
            {
                ["published"] = publisher.Published,
                ["error"] = publisher.Failure?.Message,
            },
        });

        context.Line($"{connectionString.Redacted}: {statusText}");
        context.Line($"  {entry.Description}");
        foreach (var rule in rules)
        {
            context.Line($"  {rule.Rule,-15} {rule.Status,-9} {rule.Message}");
            if (rule.Data.Count > 0)
            {
                context.Line($"  {string.Empty,-15} {string.Empty,-9} {string.Join(", ", rule.Data.Select(pair => $"{pair.Key}={ToText(pair.Value)}"))}");
            }
        }

        if (publisher is not null && context.Format == OutputFormat.Text)
        {
            if (publisher.Failure is { } failure)
            {
                await context.Error.WriteLineAsync($"warning: metrics not published: {failure.Message}").ConfigureAwait(false);
            }
            else if (publisher.Published > 0)
            {
                context.Line($"published {publisher.Published} metric data points to CloudWatch ({ReplicaSetHealthMetricNames.Namespace}, Environment={arguments.Environment})");
            }
        }

        return exitCode;
    }

    private static string ToText(object? value) => value switch
    {
        null => "null",
        string text => text,
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        float number => number.ToString("0.###", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IDictionary dictionary => "{" + string.Join(", ", dictionary.Keys.Cast<object>().Select(k => $"{k}={ToText(dictionary[k])}")) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(ToText)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        double number => JsonValue.Create(number),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        DateTimeOffset time => JsonValue.Create(time),
        IDictionary dictionary => new JsonObject([.. dictionary.Keys.Cast<object>().Select(k => KeyValuePair.Create(Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty, ToJson(dictionary[k])))]),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(ToJson)]),
        TimeSpan span => JsonValue.Create(span.TotalSeconds),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}

/// <summary>The arguments of <c>ottkit mongo health</c>.</summary>
/// <param name="Uri">The connection string as typed (never printed: only its redacted form is).</param>
/// <param name="PublishMetrics">Whether to publish CloudWatch metrics.</param>
/// <param name="Environment">The Environment dimension.</param>
/// <param name="Timeout">The check's timeout in seconds.</param>
internal sealed record MongoHealthArguments(string Uri, bool PublishMetrics = false, string? Environment = null, double Timeout = 10);
