using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>One metric datum a simulator received through <c>PutMetricData</c>.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="MetricName">The metric.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">The unit, when given.</param>
/// <param name="Dimensions">The dimensions, by name.</param>
/// <param name="Principal">The access key that signed the call.</param>
public sealed record ReceivedMetricDatum(string Namespace, string MetricName, double? Value, string? Unit, IReadOnlyDictionary<string, string> Dimensions, string? Principal);

/// <summary>
/// A loopback CloudWatch endpoint (AWS query protocol, version 2010-08-01) serving <c>PutMetricData</c> (recorded in
/// <see cref="Metrics"/>; with IAM, authorized on <c>*</c> with the <c>cloudwatch:namespace</c> condition key) and <c>DescribeAlarms</c> for the
/// metric alarms of an <see cref="EcsSimulator"/>: a service's deployment alarms, whose state follows the tasks
/// they watch (ALARM while an alarm-tripping image runs, OK otherwise), or a state a test forces. Shares the ECS
/// simulator's clock and region. Test infrastructure, not CloudWatch.
/// </summary>
public sealed class CloudWatchSimulator : AwsSimulator
{
    private const string Version = "2010-08-01";
    private static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private readonly EcsSimulator _ecs;
    private readonly System.Collections.Concurrent.ConcurrentQueue<ReceivedMetricDatum> _metrics = new();

    private CloudWatchSimulator(EcsSimulator ecs, FaultInjector? faults)
        : base(ecs.Options with { Clock = ecs.Clock, Faults = faults ?? new FaultInjector() }, "monitoring") => _ecs = ecs;

    /// <summary>Starts a CloudWatch simulator over <paramref name="ecs"/>'s alarms on a free loopback port.</summary>
    /// <param name="ecs">The ECS simulator whose alarms are served.</param>
    /// <param name="faults">This endpoint's own fault injector; a new, empty one when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<CloudWatchSimulator> StartAsync(EcsSimulator ecs, FaultInjector? faults = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ecs);
        var simulator = new CloudWatchSimulator(ecs, faults);
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>Every datum received by <c>PutMetricData</c>, in order.</summary>
    public IReadOnlyList<ReceivedMetricDatum> Metrics => [.. _metrics];

    private protected override string ThrottlingCode => "Throttling";

    private protected override string IamPrefix => "cloudwatch";

    private protected override IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body)
    {
        var form = QueryForm.Parse(body);
        if (operation == "PutMetricData")
        {
            return [new("cloudwatch:PutMetricData", "*", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["cloudwatch:namespace"] = form.GetValueOrDefault("Namespace") ?? string.Empty })];
        }

        var names = QueryForm.Members(form, "AlarmNames");
        return operation == "DescribeAlarms" && names.Count > 0
            ? names.Select(n => new Iam.IamRequest("cloudwatch:DescribeAlarms", Arn("cloudwatch", $"alarm:{n}")))
            : [new($"cloudwatch:{operation}", "*")];
    }

    private protected override string InternalErrorCode => "InternalServiceError";

    private protected override string? ReadOperation(HttpRequest request, byte[] body) => QueryForm.Parse(body).GetValueOrDefault("Action");

    private protected override (string Code, int Status) SignatureError(SignatureFailureKind kind) => QueryForm.SignatureError(kind);

    private protected override SimulatorResponse Error(string code, string message, int statusCode, bool senderFault) =>
        QueryForm.Error(Ns, code, message, statusCode, senderFault);

    private protected override Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, byte[] body)
    {
        var form = QueryForm.Parse(body);
        if (form.GetValueOrDefault("Version") != Version)
        {
            throw new AwsSimulatorException("InvalidAction", $"Could not find operation {operation} for version {form.GetValueOrDefault("Version") ?? "NO_VERSION_SPECIFIED"}");
        }

        if (operation == "PutMetricData")
        {
            return Task.FromResult(PutMetricData(form, request));
        }

        if (operation != "DescribeAlarms")
        {
            throw new AwsSimulatorException("InvalidAction", $"Could not find operation {operation} for version {Version}");
        }

        var names = QueryForm.Members(form, "AlarmNames");
        if (names.Count > 100)
        {
            throw new AwsSimulatorException("ValidationError", "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100");
        }

        var alarms = new XElement(Ns + "MetricAlarms");
        foreach (var alarm in _ecs.Alarms(names))
        {
            alarms.Add(new XElement(Ns + "member",
                new XElement(Ns + "AlarmName", alarm.Name),
                new XElement(Ns + "AlarmArn", alarm.Arn),
                new XElement(Ns + "AlarmConfigurationUpdatedTimestamp", QueryForm.Timestamp(alarm.ConfiguredAt)),
                new XElement(Ns + "ActionsEnabled", "true"),
                new XElement(Ns + "StateValue", alarm.State),
                new XElement(Ns + "StateReason", alarm.Reason),
                new XElement(Ns + "StateUpdatedTimestamp", QueryForm.Timestamp(alarm.UpdatedAt)),
                new XElement(Ns + "StateTransitionedTimestamp", QueryForm.Timestamp(alarm.UpdatedAt)),
                new XElement(Ns + "MetricName", "HTTPCode_Target_5XX_Count"),
                new XElement(Ns + "Namespace", "AWS/ApplicationELB"),
                new XElement(Ns + "Statistic", "Sum"),
                new XElement(Ns + "Period", 60),
                new XElement(Ns + "EvaluationPeriods", 2),
                new XElement(Ns + "DatapointsToAlarm", 2),
                new XElement(Ns + "Threshold", "10.0"),
                new XElement(Ns + "ComparisonOperator", "GreaterThanThreshold"),
                new XElement(Ns + "TreatMissingData", "notBreaching")));
        }

        return Task.FromResult(QueryForm.Result(Ns, operation, new XElement(Ns + "DescribeAlarmsResult", alarms, new XElement(Ns + "CompositeAlarms"))));
    }

    private SimulatorResponse PutMetricData(Dictionary<string, string> form, HttpRequest request)
    {
        var ns = form.GetValueOrDefault("Namespace");
        if (string.IsNullOrEmpty(ns))
        {
            throw new AwsSimulatorException("MissingParameter", "The parameter Namespace is required.");
        }

        if (ns.StartsWith("AWS/", StringComparison.Ordinal))
        {
            throw new AwsSimulatorException("InvalidParameterValue", "The value AWS/ for parameter Namespace is invalid.");
        }

        var authorization = request.Headers.Authorization.ToString();
        var marker = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        var principal = marker < 0 ? null : authorization[(marker + 11)..].Split('/')[0];
        for (var i = 1; form.TryGetValue($"MetricData.member.{i}.MetricName", out var name); i++)
        {
            var prefix = $"MetricData.member.{i}.";
            var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var d = 1; form.TryGetValue($"{prefix}Dimensions.member.{d}.Name", out var dimension); d++)
            {
                dimensions[dimension] = form.GetValueOrDefault($"{prefix}Dimensions.member.{d}.Value") ?? string.Empty;
            }

            double? value = form.TryGetValue(prefix + "Value", out var text) ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
            _metrics.Enqueue(new ReceivedMetricDatum(ns, name, value, form.GetValueOrDefault(prefix + "Unit"), dimensions, principal));
        }

        var response = new XElement(Ns + "PutMetricDataResponse", new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", NewRequestId())));
        return new SimulatorResponse(200, "text/xml", response.ToString(SaveOptions.DisableFormatting));
    }
}
