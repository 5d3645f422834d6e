using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>A managed instance the SSM simulator knows, with its Patch Manager state.</summary>
public sealed class SimulatedManagedInstance
{
    internal SimulatedManagedInstance(string instanceId, string patchGroup, string ipAddress, string computerName)
    {
        InstanceId = instanceId;
        PatchGroup = patchGroup;
        IpAddress = ipAddress;
        ComputerName = computerName;
    }

    /// <summary>The EC2 instance id.</summary>
    public string InstanceId { get; }

    /// <summary>Its <c>Patch Group</c> tag.</summary>
    public string PatchGroup { get; }

    /// <summary>The private IP address the agent reports.</summary>
    public string IpAddress { get; }

    /// <summary>The host name the agent reports.</summary>
    public string ComputerName { get; }

    /// <summary>The agent's ping status (<c>Online</c>, <c>ConnectionLost</c>, <c>Inactive</c>).</summary>
    public string PingStatus { get; set; } = "Online";

    /// <summary>Approved patches not installed.</summary>
    public int Missing { get; set; }

    /// <summary>Patches installed.</summary>
    public int Installed { get; set; } = 100;

    /// <summary>Patches whose installation failed.</summary>
    public int Failed { get; set; }

    /// <summary>Missing patches of compliance level CRITICAL.</summary>
    public int CriticalNonCompliant { get; set; }

    /// <summary>When set, the next <c>AWS-RunPatchBaseline</c> on this instance ends with this status (<c>Failed</c>, <c>TimedOut</c>) and standard error.</summary>
    public (string Status, string StandardError)? FailNext { get; set; }

    /// <summary>How long (virtual time) a command runs on this instance; 3 minutes.</summary>
    public TimeSpan CommandDuration { get; set; } = TimeSpan.FromMinutes(3);
}

/// <summary>One command invocation (one instance of one <c>SendCommand</c>).</summary>
/// <param name="CommandId">The command id.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="Operation">The document's <c>Operation</c> parameter (<c>Scan</c>/<c>Install</c>).</param>
/// <param name="RequestedAt">When it was sent.</param>
public sealed record SimulatedInvocation(string CommandId, string InstanceId, string Operation, DateTimeOffset RequestedAt)
{
    /// <summary>The final status once it completes (<c>Success</c>, <c>Failed</c>…).</summary>
    public string FinalStatus { get; internal set; } = "Success";

    /// <summary>Standard error of a failed run.</summary>
    public string StandardError { get; internal set; } = string.Empty;

    /// <summary>When it completes.</summary>
    public DateTimeOffset CompletesAt { get; internal set; }

    /// <summary>Whether its completion was already applied (patch state updated, hook called).</summary>
    public bool Completed { get; internal set; }
}

/// <summary>
/// A loopback AWS Systems Manager endpoint (awsJson 1.1, <c>X-Amz-Target: AmazonSSM.&lt;Op&gt;</c>) serving what
/// <c>ottkit patch</c> calls: <c>DescribeInstanceInformation</c> (filter <c>tag:&lt;key&gt;</c>), <c>SendCommand</c> of
/// <c>AWS-RunPatchBaseline</c> (one invocation per instance, <c>Pending</c> → <c>InProgress</c> → final status after the
/// instance's <see cref="SimulatedManagedInstance.CommandDuration"/> of virtual time), <c>GetCommandInvocation</c>
/// (<c>InvocationDoesNotExist</c> for an unknown pair), <c>ListCommandInvocations</c> and
/// <c>DescribeInstancePatchStates</c>. Shapes and error codes follow the SSM API as AWSSDK.SimpleSystemsManagement
/// 4.1.1.1 marshals it. Test infrastructure, not SSM.
/// </summary>
public sealed class SsmSimulator : AwsJsonSimulator
{
    private const string TargetPrefix = "AmazonSSM.";
    private readonly ConcurrentDictionary<string, SimulatedManagedInstance> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Command, string Instance), SimulatedInvocation> _invocations = new();
    private readonly ConcurrentQueue<SimulatedInvocation> _sent = new();
    private readonly object _gate = new();
    private int _commands;

    private SsmSimulator(AwsSimulatorOptions options)
        : base(options, "ssm", TargetPrefix)
    {
    }

    /// <summary>Starts an SSM simulator on a free loopback port.</summary>
    /// <param name="options">Region, account, credentials, clock and IAM.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running simulator.</returns>
    public static async Task<SsmSimulator> StartAsync(AwsSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        var simulator = new SsmSimulator(options);
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>Called (on the serving thread) for each instance of a <c>SendCommand</c>, when the command starts.</summary>
    public Action<SimulatedInvocation>? CommandStarted { get; set; }

    /// <summary>Called once for each invocation when it completes (first observed complete), before its status is answered.</summary>
    public Action<SimulatedInvocation>? CommandCompleted { get; set; }

    /// <summary>The managed instances.</summary>
    public IReadOnlyCollection<SimulatedManagedInstance> Instances => [.. _instances.Values];

    /// <summary>Every invocation sent, in order.</summary>
    public IReadOnlyList<SimulatedInvocation> Invocations => [.. _sent];

    /// <summary>Registers a managed instance.</summary>
    /// <param name="instanceId">The EC2 instance id.</param>
    /// <param name="patchGroup">Its <c>Patch Group</c> tag.</param>
    /// <param name="ipAddress">Its private IP address.</param>
    /// <param name="computerName">Its host name; derived from the IP address when null.</param>
    /// <returns>The instance, to adjust its patch state and behaviour.</returns>
    public SimulatedManagedInstance AddInstance(string instanceId, string patchGroup, string ipAddress, string? computerName = null)
    {
        var instance = new SimulatedManagedInstance(instanceId, patchGroup, ipAddress, computerName ?? $"ip-{ipAddress.Replace('.', '-')}.ec2.internal");
        _instances[instanceId] = instance;
        return instance;
    }

    private protected override string ThrottlingCode => "ThrottlingException";

    private protected override string InternalErrorCode => "InternalServerError";

    private protected override (string Code, int Status) AccessDeniedError => ("AccessDeniedException", 400);

    private protected override IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body)
    {
        var input = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? [];
        if (operation != "SendCommand")
        {
            return [new($"ssm:{operation}", "*")];
        }

        // SendCommand is authorized on the document and on each instance (with the instance's tags as resource tags).
        var document = input["DocumentName"]?.GetValue<string>() ?? string.Empty;
        var requests = new List<Iam.IamRequest> { new("ssm:SendCommand", $"arn:aws:ssm:{Region}::document/{document}") };
        foreach (var id in Strings(input["InstanceIds"]))
        {
            var context = _instances.TryGetValue(id, out var instance)
                ? new Dictionary<string, string> { ["ssm:resourceTag/Patch Group"] = instance.PatchGroup }
                : null;
            requests.Add(new("ssm:SendCommand", Arn("ec2", $"instance/{id}"), context));
        }

        return requests;
    }

    private protected override Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, JsonObject input)
    {
        lock (_gate)
        {
            var output = operation switch
            {
                "DescribeInstanceInformation" => DescribeInstanceInformation(input),
                "SendCommand" => SendCommand(input),
                "GetCommandInvocation" => GetCommandInvocation(input),
                "ListCommandInvocations" => ListCommandInvocations(input),
                "DescribeInstancePatchStates" => DescribeInstancePatchStates(input),
                _ => throw new AwsSimulatorException("UnknownOperationException", string.Empty),
            };
            return Task.FromResult(Ok(output));
        }
    }

    private JsonObject DescribeInstanceInformation(JsonObject input)
    {
        if (input["MaxResults"] is { } max && max.GetValue<int>() is < 5 or > 50)
        {
            throw new AwsSimulatorException("ValidationException", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50");
        }

        IEnumerable<SimulatedManagedInstance> instances = _instances.Values.OrderBy(i => i.InstanceId, StringComparer.Ordinal);
        foreach (var filter in input["Filters"]?.AsArray() ?? [])
        {
            var key = filter!["Key"]!.GetValue<string>();
            var values = Strings(filter["Values"]).ToHashSet(StringComparer.Ordinal);
            instances = key switch
            {
                "tag:Patch Group" => instances.Where(i => values.Contains(i.PatchGroup)),
                "InstanceIds" => instances.Where(i => values.Contains(i.InstanceId)),
                "PingStatus" => instances.Where(i => values.Contains(i.PingStatus)),
                _ when key.StartsWith("tag:", StringComparison.Ordinal) => [],
                _ => throw new AwsSimulatorException("InvalidInstanceInformationFilterValue", $"The filter key {key} is not supported by the simulator."),
            };
        }

        var list = new JsonArray();
        foreach (var i in instances)
        {
            list.Add(new JsonObject
            {
                ["InstanceId"] = i.InstanceId,
                ["PingStatus"] = i.PingStatus,
                ["LastPingDateTime"] = Epoch(Clock.GetUtcNow()),
                ["AgentVersion"] = "3.3.1142.0",
                ["IsLatestVersion"] = true,
                ["PlatformType"] = "Linux",
                ["PlatformName"] = "Amazon Linux",
                ["PlatformVersion"] = "2023",
                ["ResourceType"] = "EC2Instance",
                ["IPAddress"] = i.IpAddress,
                ["ComputerName"] = i.ComputerName,
            });
        }

        return new JsonObject { ["InstanceInformationList"] = list };
    }

    private JsonObject SendCommand(JsonObject input)
    {
        var document = input["DocumentName"]?.GetValue<string>()
            ?? throw new AwsSimulatorException("ValidationException", "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null");
        if (document != "AWS-RunPatchBaseline")
        {
            throw new AwsSimulatorException("InvalidDocument", $"Document {document} does not exist in the simulator.");
        }

        var ids = Strings(input["InstanceIds"]).ToList();
        if (ids.Count is 0 or > 50)
        {
            throw new AwsSimulatorException("ValidationException", "InstanceIds must hold 1 to 50 instance ids (the simulator does not resolve Targets).");
        }

        if (ids.FirstOrDefault(id => !_instances.ContainsKey(id)) is { } unknown)
        {
            throw new AwsSimulatorException("InvalidInstanceId", $"Instances [[{unknown}]] not in a valid state for account {Options.AccountId}");
        }

        var parameters = input["Parameters"] as JsonObject;
        var operation = Strings(parameters?["Operation"]).FirstOrDefault() ?? "Scan";
        if (operation is not ("Scan" or "Install"))
        {
            throw new AwsSimulatorException("InvalidParameters", $"Operation {operation} is not Scan or Install.");
        }

        var now = Clock.GetUtcNow();
        var commandId = new Guid(Interlocked.Increment(ref _commands), 0, 0, new byte[8]).ToString();
        foreach (var id in ids)
        {
            var instance = _instances[id];
            var invocation = new SimulatedInvocation(commandId, id, operation, now) { CompletesAt = now + instance.CommandDuration };
            if (instance.FailNext is { } failure)
            {
                invocation.FinalStatus = failure.Status;
                invocation.StandardError = failure.StandardError;
                instance.FailNext = null;
            }

            _invocations[(commandId, id)] = invocation;
            _sent.Enqueue(invocation);
            CommandStarted?.Invoke(invocation);
        }

        return new JsonObject
        {
            ["Command"] = new JsonObject
            {
                ["CommandId"] = commandId,
                ["DocumentName"] = document,
                ["DocumentVersion"] = "$DEFAULT",
                ["Comment"] = input["Comment"]?.GetValue<string>() ?? string.Empty,
                ["Parameters"] = parameters?.DeepClone() ?? new JsonObject(),
                ["InstanceIds"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]),
                ["Targets"] = new JsonArray(),
                ["RequestedDateTime"] = Epoch(now),
                ["Status"] = "Pending",
                ["StatusDetails"] = "Pending",
                ["MaxConcurrency"] = "50",
                ["MaxErrors"] = "0",
                ["TargetCount"] = ids.Count,
                ["CompletedCount"] = 0,
                ["ErrorCount"] = 0,
                ["DeliveryTimedOutCount"] = 0,
                ["TimeoutSeconds"] = 3600,
            },
        };
    }

    private JsonObject GetCommandInvocation(JsonObject input)
    {
        var commandId = Required(input, "CommandId");
        var instanceId = Required(input, "InstanceId");
        if (!_invocations.TryGetValue((commandId, instanceId), out var invocation))
        {
            throw new AwsSimulatorException("InvocationDoesNotExist", string.Empty);
        }

        var (status, details) = Observe(invocation);
        return new JsonObject
        {
            ["CommandId"] = commandId,
            ["InstanceId"] = instanceId,
            ["Comment"] = string.Empty,
            ["DocumentName"] = "AWS-RunPatchBaseline",
            ["DocumentVersion"] = "$DEFAULT",
            ["PluginName"] = "PatchLinux",
            ["ResponseCode"] = status == "Success" ? 0 : status == "Failed" ? 1 : -1,
            ["ExecutionStartDateTime"] = invocation.RequestedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["Status"] = status,
            ["StatusDetails"] = details,
            ["StandardOutputContent"] = status == "Success" ? $"Patch operation {invocation.Operation} completed." : string.Empty,
            ["StandardErrorContent"] = status is "Success" or "Pending" or "InProgress" ? string.Empty : invocation.StandardError,
        };
    }

    private JsonObject ListCommandInvocations(JsonObject input)
    {
        var commandId = input["CommandId"]?.GetValue<string>();
        var instanceId = input["InstanceId"]?.GetValue<string>();
        var list = new JsonArray();
        foreach (var invocation in _sent.Where(i => (commandId is null || i.CommandId == commandId) && (instanceId is null || i.InstanceId == instanceId)))
        {
            var (status, details) = Observe(invocation);
            list.Add(new JsonObject
            {
                ["CommandId"] = invocation.CommandId,
                ["InstanceId"] = invocation.InstanceId,
                ["DocumentName"] = "AWS-RunPatchBaseline",
                ["DocumentVersion"] = "$DEFAULT",
                ["RequestedDateTime"] = Epoch(invocation.RequestedAt),
                ["Status"] = status,
                ["StatusDetails"] = details,
            });
        }

        return new JsonObject { ["CommandInvocations"] = list };
    }

    private JsonObject DescribeInstancePatchStates(JsonObject input)
    {
        var ids = Strings(input["InstanceIds"]).ToList();
        if (ids.Count is 0 or > 50)
        {
            throw new AwsSimulatorException("ValidationException", "1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: Member must have length between 0 and 50");
        }

        var states = new JsonArray();
        foreach (var id in ids.Where(_instances.ContainsKey))
        {
            var i = _instances[id];
            var last = _sent.LastOrDefault(s => s.InstanceId == id && s.Completed);
            states.Add(new JsonObject
            {
                ["InstanceId"] = id,
                ["PatchGroup"] = i.PatchGroup,
                ["BaselineId"] = "pb-0123456789abcdef0",
                ["Operation"] = last?.Operation ?? "Scan",
                ["OperationStartTime"] = Epoch(last?.RequestedAt ?? Clock.GetUtcNow()),
                ["OperationEndTime"] = Epoch(last?.CompletesAt ?? Clock.GetUtcNow()),
                ["InstalledCount"] = i.Installed,
                ["InstalledOtherCount"] = 0,
                ["MissingCount"] = i.Missing,
                ["FailedCount"] = i.Failed,
                ["NotApplicableCount"] = 0,
                ["CriticalNonCompliantCount"] = i.CriticalNonCompliant,
                ["SecurityNonCompliantCount"] = i.Missing,
                ["OtherNonCompliantCount"] = 0,
            });
        }

        return new JsonObject { ["InstancePatchStates"] = states };
    }

    private (string Status, string Details) Observe(SimulatedInvocation invocation)
    {
        var now = Clock.GetUtcNow();
        if (now < invocation.CompletesAt)
        {
            return now == invocation.RequestedAt ? ("Pending", "Pending") : ("InProgress", "InProgress");
        }

        if (!invocation.Completed)
        {
            invocation.Completed = true;
            if (invocation.FinalStatus == "Success" && invocation.Operation == "Install" && _instances.TryGetValue(invocation.InstanceId, out var instance))
            {
                instance.Installed += instance.Missing;
                instance.Missing = 0;
                instance.CriticalNonCompliant = 0;
            }

            CommandCompleted?.Invoke(invocation);
        }

        return (invocation.FinalStatus, invocation.FinalStatus switch
        {
            "Failed" => "Failed",
            "TimedOut" => "DeliveryTimedOut",
            _ => invocation.FinalStatus,
        });
    }

    private static string Required(JsonObject input, string name) =>
        input[name]?.GetValue<string>() is { Length: > 0 } value
            ? value
            : throw new AwsSimulatorException("ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(v => v!.GetValue<string>()) : [];

    private static double Epoch(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000d;
}
