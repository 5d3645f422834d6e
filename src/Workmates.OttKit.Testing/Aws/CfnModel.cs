using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Aws;

internal sealed record CfnEvent(
    string EventId,
    DateTimeOffset Timestamp,
    string LogicalResourceId,
    string? PhysicalResourceId,
    string ResourceType,
    string ResourceStatus,
    string? ResourceStatusReason,
    string? ResourceProperties,
    string? ClientRequestToken);

internal sealed class CfnResource(string logicalId, string type)
{
    public string LogicalId { get; } = logicalId;

    public string Type { get; set; } = type;

    public string? PhysicalId { get; set; }

    public string Status { get; set; } = "CREATE_IN_PROGRESS";

    public string? StatusReason { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public string? Properties { get; set; }

    public bool Drifted { get; set; }
}

internal sealed record CfnDetail(string Attribute, string? Name, string RequiresRecreation, string Evaluation, string ChangeSource, string? CausingEntity);

internal sealed record CfnChange(string Action, string LogicalId, string? PhysicalId, string ResourceType, string? Replacement, IReadOnlyList<string> Scope, IReadOnlyList<CfnDetail> Details, string? PolicyAction);

internal sealed class CfnChangeSet
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required CfnStack Stack { get; init; }

    public required string Type { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required DateTimeOffset ReadyAt { get; init; }

    public required CfnTemplate Template { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required IReadOnlyList<string> Capabilities { get; init; }

    public required IReadOnlyList<(string Key, string Value)> Tags { get; init; }

    public string? Description { get; init; }

    public string? OnStackFailure { get; init; }

    public string? RoleArn { get; init; }

    public required List<CfnChange> Changes { get; init; }

    public required string FinalStatus { get; init; }

    public string? FinalReason { get; init; }

    public string? ExecutionOverride { get; set; }

    public bool Deleted { get; set; }

    public bool IsReady(DateTimeOffset now) => now >= ReadyAt;

    public string Status(DateTimeOffset now) => IsReady(now) ? FinalStatus : "CREATE_IN_PROGRESS";

    public string ExecutionStatus(DateTimeOffset now) =>
        ExecutionOverride ?? (IsReady(now) && FinalStatus == "CREATE_COMPLETE" ? "AVAILABLE" : "UNAVAILABLE");
}

internal sealed class CfnOperation
{
    public string? Token { get; init; }

    public CfnTemplate? OldTemplate { get; init; }

    public IReadOnlyDictionary<string, string> OldParameters { get; init; } = new Dictionary<string, string>();

    public required CfnTemplate NewTemplate { get; init; }

    public required IReadOnlyDictionary<string, string> NewParameters { get; init; }

    public List<CfnChange> Plan { get; init; } = [];

    public List<(string Id, string Kind, string? OldProperties, string? OldPhysicalId, string OldType)> Journal { get; } = [];

    public HashSet<string> Reverted { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Skip { get; } = new(StringComparer.Ordinal);

    public List<(string Id, string PhysicalId, string Type)> ReplacedToDelete { get; } = [];

    public string? Failed { get; set; }

    public string? InFlight { get; set; }

    public bool DisableRollback { get; init; }
}

internal sealed class CfnStack
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public string Status { get; set; } = "REVIEW_IN_PROGRESS";

    public string? StatusReason { get; set; }

    public DateTimeOffset? LastUpdatedTime { get; set; }

    public DateTimeOffset? DeletionTime { get; set; }

    public CfnTemplate? Template { get; set; }

    public IReadOnlyDictionary<string, string> Parameters { get; set; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Capabilities { get; set; } = [];

    public IReadOnlyList<(string Key, string Value)> Tags { get; set; } = [];

    public bool TerminationProtection { get; set; }

    public bool DisableRollback { get; set; }

    public string? ChangeSetId { get; set; }

    public string? PolicyBody { get; set; }

    public string? RoleArn { get; set; }

    public Dictionary<string, CfnResource> Resources { get; } = new(StringComparer.Ordinal);

    public List<string> ResourceOrder { get; } = [];

    public List<CfnEvent> Events { get; } = [];

    public List<CfnChangeSet> ChangeSets { get; } = [];

    public CfnOperation? Operation { get; set; }

    public IEnumerator<TimeSpan>? Running { get; set; }

    public DateTimeOffset NextAt { get; set; }

    public DateTimeOffset OperationTime { get; set; }

    public string DriftStatus { get; set; } = "NOT_CHECKED";

    public DateTimeOffset? DriftCheckedAt { get; set; }

    public bool IsDeleted => Status == "DELETE_COMPLETE";
}

internal sealed class CfnDriftDetection
{
    public required string Id { get; init; }

    public required CfnStack Stack { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset ReadyAt { get; init; }

    public required int DriftedCount { get; init; }
}
