using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Aws;

internal sealed class EcsCluster(string name, string arn)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public Dictionary<string, EcsService> Services { get; } = new(StringComparer.Ordinal);

    public List<EcsTask> Tasks { get; } = [];
}

internal sealed class EcsTaskDefinition(string family, int revision, string arn, JsonObject body, DateTimeOffset registeredAt)
{
    public string Family { get; } = family;

    public int Revision { get; } = revision;

    public string Arn { get; } = arn;

    public JsonObject Body { get; } = body;

    public JsonArray? Tags { get; init; }

    public DateTimeOffset RegisteredAt { get; } = registeredAt;

    public DateTimeOffset? DeregisteredAt { get; set; }

    public string Status { get; set; } = "ACTIVE";

    public IEnumerable<(string Name, string Image)> Containers =>
        (Body["containerDefinitions"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .Select(c => (c["name"]?.GetValue<string>() ?? "app", c["image"]?.GetValue<string>() ?? string.Empty));
}

internal sealed class EcsServiceRevision(string arn, EcsTaskDefinition taskDefinition, DateTimeOffset createdAt)
{
    public string Arn { get; } = arn;

    public EcsTaskDefinition TaskDefinition { get; } = taskDefinition;

    public DateTimeOffset CreatedAt { get; } = createdAt;
}

internal sealed class EcsDeployment(string id, EcsServiceRevision revision, EcsServiceDeployment serviceDeployment, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public EcsServiceRevision Revision { get; } = revision;

    public EcsTaskDefinition TaskDefinition => Revision.TaskDefinition;

    public EcsServiceDeployment ServiceDeployment { get; } = serviceDeployment;

    public string Status { get; set; } = "PRIMARY";

    public int DesiredCount { get; set; }

    public int FailedTasks { get; set; }

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    public string RolloutState { get; set; } = "IN_PROGRESS";

    public string RolloutStateReason { get; set; } = string.Empty;

    public bool IsRollback { get; init; }

    public DateTimeOffset? FirstHealthyAt { get; set; }

    public DateTimeOffset? SteadySince { get; set; }
}

internal sealed class EcsServiceDeployment(string arn, DateTimeOffset createdAt)
{
    public string Arn { get; } = arn;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    public List<EcsDeployment> SourceDeployments { get; } = [];

    public EcsDeployment? Target { get; set; }

    public string Status { get; set; } = "PENDING";

    public string? StatusReason { get; set; }

    public JsonNode? DeploymentConfiguration { get; set; }

    public string? RollbackReason { get; set; }

    public DateTimeOffset? RollbackStartedAt { get; set; }

    public string? RollbackRevisionArn { get; set; }

    public string CircuitBreakerStatus { get; set; } = "DISABLED";

    public int Threshold { get; set; }

    public string AlarmStatus { get; set; } = "DISABLED";

    public List<string> AlarmNames { get; } = [];

    public List<string> TriggeredAlarms { get; } = [];

    public string? PendingStop { get; set; }

    public bool IsTerminal => Status is "SUCCESSFUL" or "STOPPED" or "ROLLBACK_SUCCESSFUL" or "ROLLBACK_FAILED";
}

internal sealed record EcsServiceEvent(string Id, DateTimeOffset CreatedAt, string Message);

internal sealed class EcsService(EcsCluster cluster, string name, string arn, DateTimeOffset createdAt)
{
    public EcsCluster Cluster { get; } = cluster;

    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public int DesiredCount { get; set; }

    public string LaunchType { get; set; } = "EC2";

    public JsonObject DeploymentConfiguration { get; set; } = [];

    public int? HealthCheckGracePeriodSeconds { get; set; }

    public string? TargetGroupArn { get; set; }

    public string ContainerName { get; set; } = "app";

    public int ContainerPort { get; set; } = 8080;

    public List<EcsDeployment> Deployments { get; } = [];

    public List<EcsServiceDeployment> ServiceDeployments { get; } = [];

    public List<EcsServiceEvent> Events { get; } = [];

    public EcsDeployment? LastCompleted { get; set; }

    public EcsDeployment Primary => Deployments.Last(d => d.Status == "PRIMARY");

    public IEnumerable<EcsDeployment> Listed => Deployments.Where(d => d.Status != "INACTIVE");

    public IEnumerable<EcsTask> Tasks => Cluster.Tasks.Where(t => t.ServiceName == Name);

    public EcsServiceDeployment? Current => ServiceDeployments.LastOrDefault();
}

internal sealed class EcsTask(string id, string arn, EcsTaskDefinition taskDefinition, EcsDeployment? deployment, string? serviceName, ImageBehavior behavior, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public string Arn { get; } = arn;

    public EcsTaskDefinition TaskDefinition { get; } = taskDefinition;

    public EcsDeployment? Deployment { get; } = deployment;

    public string? ServiceName { get; } = serviceName;

    public ImageBehavior Behavior { get; } = behavior;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public string LastStatus { get; set; } = "PROVISIONING";

    public string DesiredStatus { get; set; } = "RUNNING";

    public string HealthStatus { get; set; } = "UNKNOWN";

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? HealthyAt { get; set; }

    public DateTimeOffset? StoppingAt { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }

    public string? StopCode { get; set; }

    public string? StoppedReason { get; set; }

    public int? ExitCode { get; set; }

    public long Version { get; set; } = 1;

    public string PrivateIp { get; init; } = "10.0.0.1";

    public bool IsActive => DesiredStatus == "RUNNING" && LastStatus != "STOPPED";

    public bool IsRunning => IsActive && LastStatus == "RUNNING";

    public bool IsPending => IsActive && LastStatus is "PROVISIONING" or "PENDING";
}
