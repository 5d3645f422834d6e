using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// A loopback Elastic Load Balancing v2 endpoint (AWS query protocol, version 2015-12-01) serving
/// <c>DescribeTargetHealth</c> and <c>DescribeTargetGroups</c> for the target groups of an <see cref="EcsSimulator"/>'s
/// services: a task's <c>ip</c> target appears when the task is RUNNING, is <c>initial</c> until its first health
/// check, then <c>healthy</c> or <c>unhealthy</c> (<c>Target.ResponseCodeMismatch</c>) by its image, and
/// <c>draining</c> while it stops. Shares the ECS simulator's clock and region. Test infrastructure, not ELB.
/// </summary>
public sealed class ElbV2Simulator : AwsSimulator
{
    private const string Version = "2015-12-01";
    private static readonly XNamespace Ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private readonly EcsSimulator _ecs;

    private ElbV2Simulator(EcsSimulator ecs, FaultInjector? faults)
        : base(ecs.Options with { Clock = ecs.Clock, Faults = faults ?? new FaultInjector() }, "elasticloadbalancing") => _ecs = ecs;

    /// <summary>Starts an ELBv2 simulator over <paramref name="ecs"/>'s services on a free loopback port.</summary>
    /// <param name="ecs">The ECS simulator whose services' target groups are served.</param>
    /// <param name="faults">This endpoint's own fault injector; a new, empty one when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ElbV2Simulator> StartAsync(EcsSimulator ecs, FaultInjector? faults = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ecs);
        var simulator = new ElbV2Simulator(ecs, faults);
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    private protected override string ThrottlingCode => "Throttling";

    private protected override string InternalErrorCode => "InternalFailure";

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

        var result = operation switch
        {
            "DescribeTargetHealth" => DescribeTargetHealth(form),
            "DescribeTargetGroups" => DescribeTargetGroups(form),
            _ => throw new AwsSimulatorException("InvalidAction", $"Could not find operation {operation} for version {Version}"),
        };
        return Task.FromResult(QueryForm.Result(Ns, operation, result));
    }

    private XElement DescribeTargetHealth(Dictionary<string, string> form)
    {
        var arn = form.GetValueOrDefault("TargetGroupArn");
        if (string.IsNullOrEmpty(arn))
        {
            throw new AwsSimulatorException("ValidationError", "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null");
        }

        var targets = _ecs.TargetHealthOf(arn)
            ?? throw new AwsSimulatorException("TargetGroupNotFound", $"Target groups '{arn}' not found");
        var asked = form.Keys.Where(k => k.StartsWith("Targets.member.", StringComparison.Ordinal) && k.EndsWith(".Id", StringComparison.Ordinal))
            .Select(k => form[k]).ToHashSet(StringComparer.Ordinal);
        var descriptions = new XElement(Ns + "TargetHealthDescriptions");
        foreach (var target in targets.Where(t => asked.Count == 0 || asked.Contains(t.Id)))
        {
            var health = new XElement(Ns + "TargetHealth", new XElement(Ns + "State", target.State));
            if (target.Reason is not null)
            {
                health.Add(new XElement(Ns + "Reason", target.Reason), new XElement(Ns + "Description", target.Description));
            }

            descriptions.Add(new XElement(Ns + "member",
                new XElement(Ns + "Target", new XElement(Ns + "Id", target.Id), new XElement(Ns + "Port", target.Port), new XElement(Ns + "AvailabilityZone", $"{Region}a")),
                new XElement(Ns + "HealthCheckPort", target.Port),
                health));
        }

        return new XElement(Ns + "DescribeTargetHealthResult", descriptions);
    }

    private XElement DescribeTargetGroups(Dictionary<string, string> form)
    {
        var asked = QueryForm.Members(form, "TargetGroupArns");
        var known = _ecs.TargetGroups();
        var missing = asked.Where(a => !known.Contains(a)).ToList();
        if (missing.Count > 0)
        {
            throw new AwsSimulatorException("TargetGroupNotFound", $"Target groups '{string.Join(", ", missing)}' not found");
        }

        var groups = new XElement(Ns + "TargetGroups");
        foreach (var arn in asked.Count == 0 ? known : asked)
        {
            var name = arn.Split('/') is { Length: >= 2 } parts ? parts[^2] : arn;
            groups.Add(new XElement(Ns + "member",
                new XElement(Ns + "TargetGroupArn", arn),
                new XElement(Ns + "TargetGroupName", name),
                new XElement(Ns + "Protocol", "HTTP"),
                new XElement(Ns + "TargetType", "ip"),
                new XElement(Ns + "HealthCheckPath", "/health"),
                new XElement(Ns + "HealthCheckIntervalSeconds", 30),
                new XElement(Ns + "HealthyThresholdCount", 2),
                new XElement(Ns + "UnhealthyThresholdCount", 2)));
        }

        return new XElement(Ns + "DescribeTargetGroupsResult", groups);
    }
}
