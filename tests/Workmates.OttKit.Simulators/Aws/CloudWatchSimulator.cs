using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// A loopback CloudWatch endpoint (AWS query protocol, version 2010-08-01) serving <c>DescribeAlarms</c> for the
/// metric alarms of an <see cref="EcsSimulator"/>: a service's deployment alarms, whose state follows the tasks
/// they watch (ALARM while an alarm-tripping image runs, OK otherwise), or a state a test forces. Shares the ECS
/// simulator's clock and region. Test infrastructure, not CloudWatch.
/// </summary>
public sealed class CloudWatchSimulator : AwsSimulator
{
    private const string Version = "2010-08-01";
    private static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private readonly EcsSimulator _ecs;

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

    private protected override string ThrottlingCode => "Throttling";

    private protected override string IamPrefix => "cloudwatch";

    private protected override IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body)
    {
        var names = QueryForm.Members(QueryForm.Parse(body), "AlarmNames");
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
}
