using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// A loopback CloudFormation endpoint (AWS query protocol, XML responses) with stacks, change sets computed by
/// diffing templates, the real status lifecycle, stack events, scenario-chosen resource failures, termination
/// protection, stack policies and drift detection, all on a virtual clock. Test infrastructure, not CloudFormation.
/// </summary>
public sealed partial class CloudFormationSimulator : AwsSimulator
{
    private static readonly XNamespace Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private static readonly HashSet<string> Updatable =
        ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_FAILED", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"];

    private readonly Lock _state = new();
    private readonly List<CfnStack> _stacks = [];
    private readonly List<CfnResourceFailure> _failures = [];
    private readonly List<CfnDriftDetection> _detections = [];
    private readonly Random _ids = new(20100515);
    private readonly HttpClient _templates = new() { Timeout = TimeSpan.FromSeconds(10) };
    private EcsSimulator? _ecs;
    private CfnHandlerPermissions? _handlerPermissions;

    private CloudFormationSimulator(AwsSimulatorOptions options, CloudFormationScenario scenario)
        : base(options, "cloudformation") => Scenario = scenario;

    /// <summary>The simulation settings.</summary>
    public CloudFormationScenario Scenario { get; }

    /// <summary>Starts a CloudFormation simulator on a free loopback port.</summary>
    public static async Task<CloudFormationSimulator> StartAsync(AwsSimulatorOptions? options = null, CloudFormationScenario? scenario = null, CancellationToken cancellationToken = default)
    {
        var simulator = new CloudFormationSimulator(options ?? new AwsSimulatorOptions(), scenario ?? new CloudFormationScenario());
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>
    /// Links ECS resources to an ECS simulator, as in AWS: creating an AWS::ECS::Cluster, AWS::ECS::TaskDefinition or
    /// AWS::ECS::Service registers it there (physical ids are the ECS ARNs), and updating or rolling back a service's
    /// TaskDefinition or DesiredCount calls UpdateService, so a stack update can change which image a service runs.
    /// </summary>
    public void AttachEcs(EcsSimulator ecs)
    {
        lock (_state)
        {
            _ecs = ecs;
        }
    }

    /// <summary>
    /// With IAM enforced (<see cref="AwsSimulatorOptions.Iam"/>): a stack operation that has a service role (the
    /// <c>RoleARN</c> of its change set, CreateStack or UpdateStack, kept on the stack afterwards) provisions each
    /// resource AS that role, as CloudFormation does. Each action <paramref name="permissions"/> gives for the resource's
    /// type and handler (create for a new resource, update for a modified one or an update rollback, delete for a
    /// rollback or cleanup) is authorized against the role's policies (the <see cref="Iam.IamPrincipal"/> whose ARN is
    /// a session of that role): IAM role and instance-profile actions on the resource's own ARN, <c>iam:PassRole</c> on
    /// each role ARN the resource's properties name, every other action on <c>*</c>. The first denied action fails the
    /// resource with the handler's message (<c>Resource handler returned message: "User: … is not authorized to perform:
    /// … on resource: …"</c>) and the stack rolls back as for any resource failure. A role no principal holds is refused
    /// at CreateChangeSet/CreateStack/UpdateStack ("Role … is invalid or cannot be assumed").
    /// </summary>
    /// <param name="permissions">The handler permissions per resource type.</param>
    public void ExecuteAsServiceRole(CfnHandlerPermissions permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        lock (_state)
        {
            _handlerPermissions = permissions;
        }
    }

    /// <summary>
    /// Called when a stack creates an <c>AWS::S3::Bucket</c> (stack name, logical id, bucket name, resolved properties),
    /// under the simulator's lock: a rehearsal creates the bucket in its S3 server, as CloudFormation creates it in S3.
    /// </summary>
    public Action<string, string, string, JsonObject?>? BucketCreated { get; set; }

    /// <summary>Makes a resource fail an operation (until <see cref="ClearFailures"/>).</summary>
    public void FailResource(CfnResourceFailure failure)
    {
        lock (_state)
        {
            _failures.Add(failure);
        }
    }

    /// <summary>Removes every scenario failure.</summary>
    public void ClearFailures()
    {
        lock (_state)
        {
            _failures.Clear();
        }
    }

    /// <summary>Marks a deployed resource as drifted (seen by the next drift detection).</summary>
    public void MarkDrifted(string stackName, string logicalResourceId)
    {
        lock (_state)
        {
            Settle();
            FindStack(stackName).Resources[logicalResourceId].Drifted = true;
        }
    }

    /// <summary>The status of a stack by name after settling to the clock, or null when there is none.</summary>
    public string? StackStatus(string stackName)
    {
        lock (_state)
        {
            Settle();
            return _stacks.LastOrDefault(s => s.Name == stackName && !s.IsDeleted)?.Status;
        }
    }

    /// <summary>Brings every stack up to the clock's current time.</summary>
    public void Settle()
    {
        lock (_state)
        {
            var now = Clock.GetUtcNow();
            foreach (var stack in _stacks)
            {
                while (stack.Running is not null && stack.NextAt <= now)
                {
                    stack.OperationTime = stack.NextAt;
                    if (stack.Running.MoveNext())
                    {
                        stack.NextAt = stack.OperationTime + stack.Running.Current;
                    }
                    else
                    {
                        stack.Running = null;
                    }
                }
            }
        }
    }

    private protected override string ThrottlingCode => "Throttling";

    // Stack operations are authorized on the stack's ARN (its id is not known before the call: a fixed one stands in).
    private protected override IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body)
    {
        var name = Form(body).GetValueOrDefault("StackName");
        var stack = name is null ? "*"
            : name.StartsWith("arn:", StringComparison.Ordinal) ? name
            : Arn("cloudformation", $"stack/{name}/00000000-0000-0000-0000-000000000000");
        var requests = new List<Iam.IamRequest> { new($"cloudformation:{operation}", operation is "DescribeStackDriftDetectionStatus" or "ValidateTemplate" ? "*" : stack) };
        // Passing a service role: the caller needs iam:PassRole on it, for CloudFormation (ExecuteChangeSet passes none:
        // the role was passed when the change set was created).
        if (operation is "CreateChangeSet" or "CreateStack" or "UpdateStack" or "DeleteStack" or "ContinueUpdateRollback" or "RollbackStack"
            && Form(body).GetValueOrDefault("RoleARN") is { Length: > 0 } role)
        {
            requests.Add(new("iam:PassRole", role, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["iam:PassedToService"] = "cloudformation.amazonaws.com" }));
        }

        return requests;
    }

    private protected override void ReleaseResources() => _templates.Dispose();

    private protected override string InternalErrorCode => "InternalFailure";

    private protected override string? ReadOperation(HttpRequest request, byte[] body) =>
        Form(body).GetValueOrDefault("Action");

    private protected override (string Code, int Status) SignatureError(SignatureFailureKind kind) => kind switch
    {
        SignatureFailureKind.Missing => ("MissingAuthenticationToken", 403),
        SignatureFailureKind.UnknownAccessKey => ("InvalidClientTokenId", 403),
        SignatureFailureKind.Incomplete => ("IncompleteSignature", 400),
        _ => ("SignatureDoesNotMatch", 403),
    };

    private protected override SimulatorResponse Error(string code, string message, int statusCode, bool senderFault)
    {
        var document = new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", senderFault ? "Sender" : "Receiver"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", NewRequestId()));
        return new SimulatorResponse(statusCode, "text/xml", document.ToString(SaveOptions.DisableFormatting), code);
    }

    private protected override async Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, byte[] body)
    {
        var form = Form(body);
        if (form.GetValueOrDefault("Version") != "2010-05-15")
        {
            throw new AwsSimulatorException("InvalidAction", $"Could not find operation {operation} for version {form.GetValueOrDefault("Version") ?? "NO_VERSION_SPECIFIED"}");
        }

        // Template bodies behind TemplateURL are fetched before taking the state lock (plain GET, as from s3rver).
        var fetched = form.TryGetValue("TemplateURL", out var url) && !form.ContainsKey("TemplateBody") ? await FetchTemplateAsync(url, request).ConfigureAwait(false) : null;
        XElement? result;
        lock (_state)
        {
            Settle();
            result = operation switch
            {
                "CreateChangeSet" => CreateChangeSet(form, fetched),
                "DescribeChangeSet" => DescribeChangeSet(form),
                "ExecuteChangeSet" => ExecuteChangeSet(form),
                "DeleteChangeSet" => DeleteChangeSet(form),
                "ListChangeSets" => ListChangeSets(form),
                "DescribeStacks" => DescribeStacks(form),
                "DescribeStackEvents" => DescribeStackEvents(form),
                "DescribeStackResources" => DescribeStackResources(form),
                "GetTemplate" => GetTemplate(form),
                "ValidateTemplate" => ValidateTemplate(form, fetched),
                "ContinueUpdateRollback" => ContinueUpdateRollback(form),
                "CancelUpdateStack" => CancelUpdateStack(form),
                "RollbackStack" => RollbackStack(form),
                "DeleteStack" => DeleteStack(form),
                "UpdateTerminationProtection" => UpdateTerminationProtection(form),
                "SetStackPolicy" => SetStackPolicy(form),
                "DetectStackDrift" => DetectStackDrift(form),
                "DescribeStackDriftDetectionStatus" => DescribeStackDriftDetectionStatus(form),
                "CreateStack" => CreateStack(form, fetched),
                "UpdateStack" => UpdateStack(form, fetched),
                _ => throw new AwsSimulatorException("InvalidAction", $"Could not find operation {operation} for version 2010-05-15"),
            };
            Settle();
        }

        var response = new XElement(Ns + operation + "Response");
        if (result is not null)
        {
            response.Add(result);
        }

        response.Add(new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", NewRequestId())));
        return new SimulatorResponse(200, "text/xml", response.ToString(SaveOptions.DisableFormatting));
    }

    // ---- change sets ------------------------------------------------------------------------------------------

    private XElement CreateChangeSet(Dictionary<string, string> form, string? fetched)
    {
        var stackName = Required(form, "StackName");
        var name = Required(form, "ChangeSetName");
        if (!NamePattern().IsMatch(name) || name.Length > 128)
        {
            throw Constraint(name, "changeSetName", "[a-zA-Z][-a-zA-Z0-9]*");
        }

        var type = form.GetValueOrDefault("ChangeSetType", "UPDATE");
        var now = Clock.GetUtcNow();
        var stack = TryFindStack(stackName);
        if (type == "CREATE")
        {
            if (stack is not null && stack.Status != "REVIEW_IN_PROGRESS")
            {
                throw CfnTemplate.Validation($"Stack [{stackName}] already exists and cannot be created again with the changeSet [{name}].");
            }

            if (!NamePattern().IsMatch(stackName) || stackName.Length > 128)
            {
                throw Constraint(stackName, "stackName", "[a-zA-Z][-a-zA-Z0-9]*");
            }
        }
        else if (type == "UPDATE")
        {
            if (stack is null)
            {
                throw CfnTemplate.Validation($"Stack [{stackName}] does not exist");
            }

            if (!Updatable.Contains(stack.Status))
            {
                throw CfnTemplate.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
            }
        }
        else
        {
            throw CfnTemplate.Validation($"ChangeSetType {type} is not supported by the simulator.");
        }

        var role = ServiceRole(form, stack);
        var template = TemplateFrom(form, fetched, stack);
        var parameters = ResolveParameters(template, form, stack);
        var capabilities = Members(form, "Capabilities");
        CheckCapabilities(template, capabilities);
        if (stack?.ChangeSets.Any(c => c.Name == name && !c.Deleted) == true)
        {
            throw new AwsSimulatorException("AlreadyExistsException", $"ChangeSet {name} already exists");
        }

        if (stack is null)
        {
            stack = new CfnStack { Id = StackArn(stackName), Name = stackName, CreationTime = now, StatusReason = "User Initiated" };
            _stacks.Add(stack);
            stack.OperationTime = now;
            AddStackEvent(stack, "REVIEW_IN_PROGRESS", "User Initiated", null);
        }

        var changes = CfnChangeCalculator.Compute(stack, type == "CREATE" ? null : stack.Template, stack.Parameters, template, parameters, Pseudo(stack), Scenario.ReplacementRules);
        var unchanged = type == "UPDATE" && changes.Count == 0
            && CfnTemplate.Canonical(stack.Template?.Root["Outputs"]) == CfnTemplate.Canonical(template.Root["Outputs"])
            && stack.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        var changeSet = new CfnChangeSet
        {
            Id = $"arn:aws:cloudformation:{Region}:{Options.AccountId}:changeSet/{name}/{NewGuid()}",
            Name = name,
            Stack = stack,
            Type = type,
            CreationTime = now,
            ReadyAt = now + Scenario.ChangeSetCreationTime,
            Template = template,
            Parameters = parameters,
            Capabilities = capabilities,
            Tags = Tags(form),
            Description = form.GetValueOrDefault("Description"),
            OnStackFailure = form.GetValueOrDefault("OnStackFailure"),
            RoleArn = role,
            Changes = changes,
            FinalStatus = unchanged ? "FAILED" : "CREATE_COMPLETE",
            FinalReason = unchanged ? "The submitted information didn't contain changes. Submit different information to create a change set." : null,
        };
        stack.ChangeSets.Add(changeSet);
        return Result("CreateChangeSet", E("Id", changeSet.Id), E("StackId", stack.Id));
    }

    private XElement DescribeChangeSet(Dictionary<string, string> form)
    {
        var changeSet = FindChangeSet(form);
        var now = Clock.GetUtcNow();
        var start = Token(form);
        var page = changeSet.Changes.Skip(start).Take(Scenario.ChangesPageSize).ToList();
        var next = start + page.Count < changeSet.Changes.Count ? NextToken(start + page.Count) : null;
        return Result("DescribeChangeSet",
            E("ChangeSetName", changeSet.Name),
            E("ChangeSetId", changeSet.Id),
            E("StackId", changeSet.Stack.Id),
            E("StackName", changeSet.Stack.Name),
            Opt("Description", changeSet.Description),
            ParametersXml(changeSet.Template, changeSet.Parameters),
            E("CreationTime", Iso(changeSet.CreationTime)),
            E("ExecutionStatus", changeSet.ExecutionStatus(now)),
            E("Status", changeSet.Status(now)),
            changeSet.IsReady(now) ? Opt("StatusReason", changeSet.FinalReason) : null,
            E("NotificationARNs"),
            E("RollbackConfiguration"),
            E("Capabilities", changeSet.Capabilities.Select(c => E("member", c))),
            E("Tags", changeSet.Tags.Select(t => E("member", E("Key", t.Key), E("Value", t.Value)))),
            E("Changes", changeSet.IsReady(now) ? page.Select(ChangeXml) : []),
            Opt("NextToken", changeSet.IsReady(now) ? next : null),
            E("IncludeNestedStacks", "false"),
            Opt("OnStackFailure", changeSet.OnStackFailure));
    }

    private XElement ExecuteChangeSet(Dictionary<string, string> form)
    {
        var changeSet = FindChangeSet(form);
        var now = Clock.GetUtcNow();
        var stack = changeSet.Stack;
        if (changeSet.Status(now) != "CREATE_COMPLETE" || changeSet.ExecutionStatus(now) != "AVAILABLE")
        {
            throw new AwsSimulatorException("InvalidChangeSetStatus",
                $"ChangeSet [{changeSet.Id}] cannot be executed in its current status of [{changeSet.Status(now)}]");
        }

        if (stack.Running is not null)
        {
            throw CfnTemplate.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
        }

        var token = form.GetValueOrDefault("ClientRequestToken");
        CheckToken(stack, token);
        changeSet.ExecutionOverride = "EXECUTE_IN_PROGRESS";
        foreach (var other in stack.ChangeSets.Where(c => c != changeSet && !c.Deleted))
        {
            other.ExecutionOverride = "OBSOLETE";
        }

        var disableRollback = bool.TryParse(form.GetValueOrDefault("DisableRollback"), out var d) ? d : changeSet.OnStackFailure == "DO_NOTHING";
        var operation = new CfnOperation
        {
            Token = token,
            OldTemplate = stack.Template,
            OldParameters = stack.Parameters,
            NewTemplate = changeSet.Template,
            NewParameters = changeSet.Parameters,
            Plan = changeSet.Changes,
            DisableRollback = disableRollback,
        };
        stack.ChangeSetId = changeSet.Id;
        stack.RoleArn = changeSet.RoleArn;
        stack.Capabilities = changeSet.Capabilities;
        stack.Tags = changeSet.Tags;
        stack.DisableRollback = disableRollback;
        Start(stack, operation, changeSet.Type == "CREATE" ? CreateFlow(stack, operation, changeSet) : UpdateFlow(stack, operation, changeSet));
        return Result("ExecuteChangeSet");
    }

    private XElement DeleteChangeSet(Dictionary<string, string> form)
    {
        var changeSet = FindChangeSet(form);
        if (changeSet.ExecutionStatus(Clock.GetUtcNow()) == "EXECUTE_IN_PROGRESS")
        {
            throw new AwsSimulatorException("InvalidChangeSetStatus", $"Cannot delete ChangeSet in status {changeSet.ExecutionStatus(Clock.GetUtcNow())}");
        }

        changeSet.Deleted = true;
        return Result("DeleteChangeSet");
    }

    private XElement ListChangeSets(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        var now = Clock.GetUtcNow();
        var all = stack.ChangeSets.Where(c => !c.Deleted).ToList();
        var start = Token(form);
        var page = all.Skip(start).Take(Scenario.StacksPageSize).ToList();
        return Result("ListChangeSets",
            E("Summaries", page.Select(c => E("member",
                E("StackId", stack.Id), E("StackName", stack.Name), E("ChangeSetId", c.Id), E("ChangeSetName", c.Name),
                E("ExecutionStatus", c.ExecutionStatus(now)), E("Status", c.Status(now)),
                c.IsReady(now) ? Opt("StatusReason", c.FinalReason) : null,
                E("CreationTime", Iso(c.CreationTime)), Opt("Description", c.Description), E("IncludeNestedStacks", "false")))),
            Opt("NextToken", start + page.Count < all.Count ? NextToken(start + page.Count) : null));
    }

    // ---- stacks -----------------------------------------------------------------------------------------------

    private XElement DescribeStacks(Dictionary<string, string> form)
    {
        var name = form.GetValueOrDefault("StackName");
        var stacks = name is null ? _stacks.Where(s => !s.IsDeleted).ToList() : [FindStack(name)];
        var start = Token(form);
        var page = stacks.Skip(start).Take(Scenario.StacksPageSize).ToList();
        return Result("DescribeStacks",
            E("Stacks", page.Select(StackXml)),
            Opt("NextToken", start + page.Count < stacks.Count ? NextToken(start + page.Count) : null));
    }

    private XElement DescribeStackEvents(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        var newestFirst = Enumerable.Reverse(stack.Events).ToList();
        var start = Token(form);
        var page = newestFirst.Skip(start).Take(Scenario.EventsPageSize).ToList();
        return Result("DescribeStackEvents",
            E("StackEvents", page.Select(e => E("member",
                E("StackId", stack.Id), E("EventId", e.EventId), E("StackName", stack.Name), E("LogicalResourceId", e.LogicalResourceId),
                Opt("PhysicalResourceId", e.PhysicalResourceId), E("ResourceType", e.ResourceType), E("Timestamp", Iso(e.Timestamp)),
                E("ResourceStatus", e.ResourceStatus), Opt("ResourceStatusReason", e.ResourceStatusReason),
                Opt("ResourceProperties", e.ResourceProperties), Opt("ClientRequestToken", e.ClientRequestToken)))),
            Opt("NextToken", start + page.Count < newestFirst.Count ? NextToken(start + page.Count) : null));
    }

    private XElement DescribeStackResources(Dictionary<string, string> form)
    {
        var logical = form.GetValueOrDefault("LogicalResourceId");
        var physical = form.GetValueOrDefault("PhysicalResourceId");
        CfnStack stack;
        if (form.GetValueOrDefault("StackName") is { } name)
        {
            stack = FindStack(name);
        }
        else if (physical is not null)
        {
            stack = _stacks.LastOrDefault(s => s.Resources.Values.Any(r => r.PhysicalId == physical))
                    ?? throw CfnTemplate.Validation($"Stack for {physical} does not exist");
        }
        else
        {
            throw CfnTemplate.Validation("Either StackName or PhysicalResourceId must be specified.");
        }

        var resources = stack.ResourceOrder.Where(stack.Resources.ContainsKey).Select(id => stack.Resources[id])
            .Where(r => (logical is null || r.LogicalId == logical) && (physical is null || r.PhysicalId == physical));
        return Result("DescribeStackResources",
            E("StackResources", resources.Select(r => E("member",
                E("StackName", stack.Name), E("StackId", stack.Id), E("LogicalResourceId", r.LogicalId), Opt("PhysicalResourceId", r.PhysicalId),
                E("ResourceType", r.Type), E("Timestamp", Iso(r.Timestamp)), E("ResourceStatus", r.Status), Opt("ResourceStatusReason", r.StatusReason),
                E("DriftInformation", E("StackResourceDriftStatus", stack.DriftCheckedAt is null ? "NOT_CHECKED" : r.Drifted ? "MODIFIED" : "IN_SYNC"))))));
    }

    private XElement GetTemplate(Dictionary<string, string> form)
    {
        CfnTemplate? template;
        if (form.ContainsKey("ChangeSetName"))
        {
            template = FindChangeSet(form).Template;
        }
        else
        {
            var stack = FindStack(Required(form, "StackName"));
            template = stack.Template ?? stack.ChangeSets.LastOrDefault(c => !c.Deleted)?.Template;
        }

        return Result("GetTemplate",
            E("TemplateBody", template?.Text ?? string.Empty),
            E("StagesAvailable", E("member", "Original"), E("member", "Processed")));
    }

    private static XElement ValidateTemplate(Dictionary<string, string> form, string? fetched)
    {
        var template = TemplateFrom(form, fetched, null);
        var (capabilities, reason) = RequiredCapabilities(template);
        return Result("ValidateTemplate",
            E("Parameters", template.Parameters.Select(p => E("member",
                E("ParameterKey", p.Key),
                p.Value["Default"] is { } def ? E("DefaultValue", CfnTemplate.ScalarText(def)) : null,
                E("NoEcho", p.Value["NoEcho"] is { } echo && CfnTemplate.ScalarText(echo).Equals("true", StringComparison.OrdinalIgnoreCase) ? "true" : "false"),
                Opt("Description", p.Value["Description"]?.ToString())))),
            Opt("Description", template.Description),
            E("Capabilities", capabilities.Select(c => E("member", c))),
            Opt("CapabilitiesReason", reason),
            E("DeclaredTransforms", template.Transforms.Select(t => E("member", t))));
    }

    private XElement ContinueUpdateRollback(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        if (stack.Status != "UPDATE_ROLLBACK_FAILED" || stack.Operation is null)
        {
            throw CfnTemplate.Validation("ContinueUpdateRollback cannot be called from current stack status.");
        }

        var token = form.GetValueOrDefault("ClientRequestToken");
        CheckToken(stack, token);
        var skip = Members(form, "ResourcesToSkip");
        foreach (var id in skip)
        {
            if (!stack.Resources.TryGetValue(id, out var resource) || resource.Status != "UPDATE_FAILED")
            {
                throw CfnTemplate.Validation($"Resources to skip must be in UPDATE_FAILED state: [{id}]");
            }
        }

        var operation = new CfnOperation
        {
            Token = token,
            OldTemplate = stack.Operation.OldTemplate,
            OldParameters = stack.Operation.OldParameters,
            NewTemplate = stack.Operation.NewTemplate,
            NewParameters = stack.Operation.NewParameters,
            Plan = stack.Operation.Plan,
        };
        operation.Journal.AddRange(stack.Operation.Journal);
        operation.Reverted.UnionWith(stack.Operation.Reverted);
        operation.ReplacedToDelete.AddRange(stack.Operation.ReplacedToDelete);
        operation.Failed = stack.Operation.Failed;
        operation.Skip.UnionWith(skip);
        Start(stack, operation, Resume(stack, operation, "UPDATE_ROLLBACK_IN_PROGRESS", "User Initiated", UpdateRollback(stack, operation)));
        return Result("ContinueUpdateRollback");
    }

    private XElement? CancelUpdateStack(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        if (stack.Status != "UPDATE_IN_PROGRESS" || stack.Operation is null)
        {
            throw CfnTemplate.Validation("CancelUpdateStack cannot be called from current stack status.");
        }

        var operation = stack.Operation;
        if (operation.InFlight is { } inFlight && stack.Resources.TryGetValue(inFlight, out var resource))
        {
            operation.Failed = inFlight;
            stack.OperationTime = Clock.GetUtcNow();
            AddResourceEvent(stack, resource, resource.Status.StartsWith("CREATE", StringComparison.Ordinal) ? "CREATE_FAILED" : "UPDATE_FAILED", "Resource update cancelled", null);
        }

        Start(stack, operation, Resume(stack, operation, "UPDATE_ROLLBACK_IN_PROGRESS", "Stack update cancelled", UpdateRollback(stack, operation)));
        return null;
    }

    private XElement RollbackStack(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        var token = form.GetValueOrDefault("ClientRequestToken");
        CheckToken(stack, token);
        if (stack.Status == "CREATE_FAILED")
        {
            var operation = stack.Operation ?? new CfnOperation { NewTemplate = stack.Template!, NewParameters = stack.Parameters };
            Start(stack, new CfnOperation { Token = token, NewTemplate = operation.NewTemplate, NewParameters = operation.NewParameters },
                Resume(stack, operation, "ROLLBACK_IN_PROGRESS", "User Initiated", DeleteAllForRollback(stack, "ROLLBACK")));
        }
        else if (stack.Status == "UPDATE_FAILED" && stack.Operation is not null)
        {
            Start(stack, stack.Operation, Resume(stack, stack.Operation, "UPDATE_ROLLBACK_IN_PROGRESS", "User Initiated", UpdateRollback(stack, stack.Operation)));
        }
        else
        {
            throw CfnTemplate.Validation($"Stack {stack.Id} is in {stack.Status} state and cannot be rolled back.");
        }

        return Result("RollbackStack", E("StackId", stack.Id));
    }

    private XElement? DeleteStack(Dictionary<string, string> form)
    {
        var stack = TryFindStack(Required(form, "StackName"));
        if (stack is null || stack.IsDeleted)
        {
            return null;
        }

        if (stack.TerminationProtection)
        {
            throw CfnTemplate.Validation($"Stack [{stack.Name}] cannot be deleted while TerminationProtection is enabled");
        }

        if (stack.Running is not null && stack.Status != "REVIEW_IN_PROGRESS")
        {
            throw CfnTemplate.Validation($"Stack [{stack.Name}] cannot be deleted while in status {stack.Status}");
        }

        var token = form.GetValueOrDefault("ClientRequestToken");
        var retain = Members(form, "RetainResources").ToHashSet(StringComparer.Ordinal);
        if (retain.Count > 0 && stack.Status != "DELETE_FAILED")
        {
            throw CfnTemplate.Validation("Invalid operation on stack: RetainResources can only be specified when the stack is in the DELETE_FAILED state.");
        }

        Start(stack, new CfnOperation { Token = token, NewTemplate = stack.Template ?? CfnTemplate.Parse("{\"Resources\":{\"None\":{\"Type\":\"AWS::CloudFormation::WaitConditionHandle\"}}}"), NewParameters = stack.Parameters },
            DeleteFlow(stack, retain));
        return null;
    }

    private XElement UpdateTerminationProtection(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        stack.TerminationProtection = bool.Parse(Required(form, "EnableTerminationProtection"));
        return Result("UpdateTerminationProtection", E("StackId", stack.Id));
    }

    private XElement? SetStackPolicy(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        var body = form.GetValueOrDefault("StackPolicyBody") ?? throw CfnTemplate.Validation("Either StackPolicyBody or StackPolicyURL must be specified.");
        try
        {
            if (JsonNode.Parse(body)?["Statement"] is not JsonArray)
            {
                throw CfnTemplate.Validation("Error validating stack policy: Statement is required");
            }
        }
        catch (JsonException)
        {
            throw CfnTemplate.Validation("Error validating stack policy: Invalid stack policy");
        }

        stack.PolicyBody = body;
        return null;
    }

    private XElement DetectStackDrift(Dictionary<string, string> form)
    {
        var stack = FindStack(Required(form, "StackName"));
        if (stack.Running is not null)
        {
            throw CfnTemplate.Validation($"Drift detection cannot be performed on stack [{stack.Name}] in status {stack.Status}");
        }

        var now = Clock.GetUtcNow();
        var detection = new CfnDriftDetection
        {
            Id = NewGuid(),
            Stack = stack,
            StartedAt = now,
            ReadyAt = now + Scenario.DriftDetectionTime,
            DriftedCount = stack.Resources.Values.Count(r => r.Drifted),
        };
        _detections.Add(detection);
        return Result("DetectStackDrift", E("StackDriftDetectionId", detection.Id));
    }

    private XElement DescribeStackDriftDetectionStatus(Dictionary<string, string> form)
    {
        var id = Required(form, "StackDriftDetectionId");
        var detection = _detections.FirstOrDefault(d => d.Id == id) ?? throw CfnTemplate.Validation($"Drift detection [{id}] does not exist");
        var now = Clock.GetUtcNow();
        var done = now >= detection.ReadyAt;
        if (done)
        {
            detection.Stack.DriftStatus = detection.DriftedCount > 0 ? "DRIFTED" : "IN_SYNC";
            detection.Stack.DriftCheckedAt = detection.StartedAt;
        }

        return Result("DescribeStackDriftDetectionStatus",
            E("StackId", detection.Stack.Id),
            E("StackDriftDetectionId", detection.Id),
            done ? E("StackDriftStatus", detection.DriftedCount > 0 ? "DRIFTED" : "IN_SYNC") : null,
            E("DetectionStatus", done ? "DETECTION_COMPLETE" : "DETECTION_IN_PROGRESS"),
            done ? E("DriftedStackResourceCount", detection.DriftedCount.ToString(CultureInfo.InvariantCulture)) : null,
            E("Timestamp", Iso(detection.StartedAt)));
    }

    private XElement CreateStack(Dictionary<string, string> form, string? fetched)
    {
        var name = Required(form, "StackName");
        if (TryFindStack(name) is { } existing && !existing.IsDeleted)
        {
            throw new AwsSimulatorException("AlreadyExistsException", $"Stack [{name}] already exists");
        }

        var changeSetName = "stack-create-" + NewGuid()[..8];
        form["ChangeSetName"] = changeSetName;
        form["ChangeSetType"] = "CREATE";
        form["DisableRollback"] = form.GetValueOrDefault("DisableRollback", "false");
        CreateChangeSet(form, fetched);
        var stack = FindStack(name);
        var changeSet = stack.ChangeSets.Last();
        changeSet.Deleted = true;
        var operation = new CfnOperation
        {
            Token = form.GetValueOrDefault("ClientRequestToken"),
            NewTemplate = changeSet.Template,
            NewParameters = changeSet.Parameters,
            Plan = changeSet.Changes,
            DisableRollback = bool.Parse(form["DisableRollback"]),
        };
        stack.Capabilities = changeSet.Capabilities;
        stack.Tags = changeSet.Tags;
        stack.RoleArn = changeSet.RoleArn;
        Start(stack, operation, CreateFlow(stack, operation, changeSet));
        return Result("CreateStack", E("StackId", stack.Id));
    }

    private XElement UpdateStack(Dictionary<string, string> form, string? fetched)
    {
        var stack = FindStack(Required(form, "StackName"));
        if (!Updatable.Contains(stack.Status))
        {
            throw CfnTemplate.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
        }

        var role = ServiceRole(form, stack);
        var template = TemplateFrom(form, fetched, stack);
        var parameters = ResolveParameters(template, form, stack);
        CheckCapabilities(template, Members(form, "Capabilities"));
        var changes = CfnChangeCalculator.Compute(stack, stack.Template, stack.Parameters, template, parameters, Pseudo(stack), Scenario.ReplacementRules);
        if (changes.Count == 0 && CfnTemplate.Canonical(stack.Template?.Root["Outputs"]) == CfnTemplate.Canonical(template.Root["Outputs"]))
        {
            throw CfnTemplate.Validation("No updates are to be performed.");
        }

        var operation = new CfnOperation
        {
            Token = form.GetValueOrDefault("ClientRequestToken"),
            OldTemplate = stack.Template,
            OldParameters = stack.Parameters,
            NewTemplate = template,
            NewParameters = parameters,
            Plan = changes,
            DisableRollback = bool.TryParse(form.GetValueOrDefault("DisableRollback"), out var d) && d,
        };
        stack.RoleArn = role;
        Start(stack, operation, UpdateFlow(stack, operation, null));
        return Result("UpdateStack", E("StackId", stack.Id));
    }

    // ---- stack operations as coroutines on the virtual clock ---------------------------------------------------

    private void Start(CfnStack stack, CfnOperation operation, IEnumerable<TimeSpan> flow)
    {
        stack.Operation = operation;
        stack.Running = flow.GetEnumerator();
        stack.NextAt = Clock.GetUtcNow();
    }

    private IEnumerable<TimeSpan> Resume(CfnStack stack, CfnOperation operation, string status, string reason, IEnumerable<TimeSpan> then)
    {
        AddStackEvent(stack, status, reason, operation.Token);
        yield return Scenario.StepDelay;
        foreach (var delay in then)
        {
            yield return delay;
        }
    }

    private IEnumerable<TimeSpan> CreateFlow(CfnStack stack, CfnOperation operation, CfnChangeSet? changeSet)
    {
        stack.Template = operation.NewTemplate;
        stack.Parameters = operation.NewParameters;
        AddStackEvent(stack, "CREATE_IN_PROGRESS", "User Initiated", operation.Token);
        yield return Scenario.StepDelay;
        var resources = operation.NewTemplate.ActiveResources(operation.NewParameters);
        foreach (var id in CfnTemplate.CreationOrder(resources))
        {
            var resource = new CfnResource(id, resources[id]["Type"]!.ToString());
            stack.Resources[id] = resource;
            stack.ResourceOrder.Add(id);
            operation.InFlight = id;
            var properties = Resolved(stack, operation.NewTemplate, operation.NewParameters, resources[id]["Properties"]);
            AddResourceEvent(stack, resource, "CREATE_IN_PROGRESS", null, properties);
            yield return Scenario.StepDelay;
            resource.PhysicalId = NewPhysicalId(stack, resource, properties);
            resource.Properties = properties;
            AddResourceEvent(stack, resource, "CREATE_IN_PROGRESS", "Resource creation Initiated", null);
            yield return Duration(resource.Type);
            operation.InFlight = null;
            if ((RoleDenial(stack, resource, properties, CfnResourceOperation.Create) ?? Failure(stack, id, CfnResourceOperation.Create)) is { } reason)
            {
                AddResourceEvent(stack, resource, "CREATE_FAILED", reason, null);
                operation.Failed = id;
                yield return Scenario.StepDelay;
                MarkChangeSet(changeSet, "EXECUTE_FAILED");
                if (operation.DisableRollback)
                {
                    AddStackEvent(stack, "CREATE_FAILED", $"The following resource(s) failed to create: [{id}]. ", operation.Token);
                    yield break;
                }

                AddStackEvent(stack, "ROLLBACK_IN_PROGRESS", $"The following resource(s) failed to create: [{id}]. Rollback requested by user.", operation.Token);
                yield return Scenario.StepDelay;
                foreach (var delay in DeleteAllForRollback(stack, "ROLLBACK"))
                {
                    yield return delay;
                }

                yield break;
            }

            AddResourceEvent(stack, resource, "CREATE_COMPLETE", null, null);
            operation.Journal.Add((id, "Added", null, null, resource.Type));
            yield return Scenario.StepDelay;
        }

        MarkChangeSet(changeSet, "EXECUTE_COMPLETE");
        AddStackEvent(stack, "CREATE_COMPLETE", null, operation.Token);
    }

    private IEnumerable<TimeSpan> DeleteAllForRollback(CfnStack stack, string prefix)
    {
        var failed = new List<string>();
        foreach (var resource in Enumerable.Reverse(stack.ResourceOrder).Where(stack.Resources.ContainsKey).Select(id => stack.Resources[id]).ToList())
        {
            foreach (var step in DeleteResource(stack, resource, failed))
            {
                yield return step;
            }
        }

        AddStackEvent(stack, failed.Count > 0 ? $"{prefix}_FAILED" : $"{prefix}_COMPLETE",
            failed.Count > 0 ? $"The following resource(s) failed to delete: [{string.Join(", ", failed)}]. " : null, stack.Operation?.Token);
    }

    private IEnumerable<TimeSpan> UpdateFlow(CfnStack stack, CfnOperation operation, CfnChangeSet? changeSet)
    {
        AddStackEvent(stack, "UPDATE_IN_PROGRESS", "User Initiated", operation.Token);
        stack.LastUpdatedTime = stack.OperationTime;
        yield return Scenario.StepDelay;
        var newResources = operation.NewTemplate.ActiveResources(operation.NewParameters);
        var planned = operation.Plan.Where(c => c.Action is "Add" or "Modify").ToDictionary(c => c.LogicalId, StringComparer.Ordinal);
        foreach (var id in CfnTemplate.CreationOrder(newResources).Where(planned.ContainsKey))
        {
            var change = planned[id];
            var properties = Resolved(stack, operation.NewTemplate, operation.NewParameters, newResources[id]["Properties"]);
            var denied = PolicyDenial(stack, change);
            CfnResource resource;
            if (change.Action == "Add")
            {
                resource = new CfnResource(id, change.ResourceType);
                stack.Resources[id] = resource;
                stack.ResourceOrder.Add(id);
                operation.InFlight = id;
                AddResourceEvent(stack, resource, "CREATE_IN_PROGRESS", null, properties);
                yield return Scenario.StepDelay;
                resource.PhysicalId = NewPhysicalId(stack, resource, properties);
                resource.Properties = properties;
                AddResourceEvent(stack, resource, "CREATE_IN_PROGRESS", "Resource creation Initiated", null);
                yield return Duration(resource.Type);
                operation.InFlight = null;
                operation.Journal.Add((id, "Added", null, null, resource.Type));
                if ((denied ?? RoleDenial(stack, resource, properties, CfnResourceOperation.Create) ?? Failure(stack, id, CfnResourceOperation.Create)) is { } createFailure)
                {
                    AddResourceEvent(stack, resource, "CREATE_FAILED", createFailure, null);
                    operation.Failed = id;
                    foreach (var delay in AfterUpdateFailure(stack, operation, changeSet, $"The following resource(s) failed to create: [{id}]. "))
                    {
                        yield return delay;
                    }

                    yield break;
                }

                AddResourceEvent(stack, resource, "CREATE_COMPLETE", null, null);
                yield return Scenario.StepDelay;
                continue;
            }

            resource = stack.Resources[id];
            var replace = change.Replacement == "True";
            var oldProperties = resource.Properties;
            var oldPhysical = resource.PhysicalId;
            var oldType = resource.Type;
            operation.InFlight = id;
            operation.Journal.Add((id, replace ? "Replaced" : "Modified", oldProperties, oldPhysical, oldType));
            if (denied is not null)
            {
                AddResourceEvent(stack, resource, "UPDATE_FAILED", denied, null);
                operation.InFlight = null;
                operation.Failed = id;
                foreach (var delay in AfterUpdateFailure(stack, operation, changeSet, $"The following resource(s) failed to update: [{id}]. "))
                {
                    yield return delay;
                }

                yield break;
            }

            AddResourceEvent(stack, resource, "UPDATE_IN_PROGRESS", replace ? "Requested update requires the creation of a new physical resource; hence creating one." : null, properties);
            yield return Scenario.StepDelay;
            if (replace)
            {
                resource.PhysicalId = NewPhysicalId(stack, resource, properties);
                operation.ReplacedToDelete.Add((id, oldPhysical!, oldType));
                AddResourceEvent(stack, resource, "UPDATE_IN_PROGRESS", "Resource creation Initiated", null);
            }

            yield return Duration(resource.Type);
            string? ecsFailure = RoleDenial(stack, resource, properties, replace ? CfnResourceOperation.Create : CfnResourceOperation.Update);
            if (ecsFailure is null && _ecs is not null && resource.Type == "AWS::ECS::Service" && replace is false)
            {
                // CloudFormation waits for the ECS deployment it started to stabilise, for up to three hours.
                var before = resource.Properties;
                resource.Properties = properties;
                if (SyncEcsService(resource) is { } deployment)
                {
                    var waited = TimeSpan.Zero;
                    string status;
                    while (!IsTerminalServiceDeployment(status = _ecs.ServiceDeploymentStatus(deployment)) && waited < Scenario.EcsStabilizationTimeout)
                    {
                        yield return Scenario.EcsPollInterval;
                        waited += Scenario.EcsPollInterval;
                    }

                    ecsFailure = status switch
                    {
                        "SUCCESSFUL" => null,
                        _ when IsTerminalServiceDeployment(status) =>
                            "Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\" (HandlerErrorCode: GeneralServiceException)",
                        _ => "Resource timed out waiting for completion",
                    };
                }

                resource.Properties = before;
            }

            operation.InFlight = null;
            if ((ecsFailure ?? Failure(stack, id, CfnResourceOperation.Update)) is { } updateFailure)
            {
                AddResourceEvent(stack, resource, "UPDATE_FAILED", updateFailure, null);
                operation.Failed = id;
                foreach (var delay in AfterUpdateFailure(stack, operation, changeSet, $"The following resource(s) failed to update: [{id}]. "))
                {
                    yield return delay;
                }

                yield break;
            }

            resource.Properties = properties;
            resource.Type = change.ResourceType;
            if (replace)
            {
                SyncEcsService(resource);
            }

            AddResourceEvent(stack, resource, "UPDATE_COMPLETE", null, null);
            yield return Scenario.StepDelay;
        }

        stack.Template = operation.NewTemplate;
        stack.Parameters = operation.NewParameters;
        AddStackEvent(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null, operation.Token);
        yield return Scenario.StepDelay;
        foreach (var (id, physical, type) in operation.ReplacedToDelete)
        {
            var old = new CfnResource(id, type) { PhysicalId = physical };
            AddResourceEvent(stack, old, "DELETE_IN_PROGRESS", null, null, track: false);
            yield return Duration(type);
            AddResourceEvent(stack, old, "DELETE_COMPLETE", null, null, track: false);
            yield return Scenario.StepDelay;
        }

        foreach (var change in Enumerable.Reverse(operation.Plan).Where(c => c.Action == "Remove"))
        {
            if (!stack.Resources.TryGetValue(change.LogicalId, out var resource))
            {
                continue;
            }

            AddResourceEvent(stack, resource, "DELETE_IN_PROGRESS", null, null);
            yield return Duration(resource.Type);
            if ((RoleDenial(stack, resource, resource.Properties, CfnResourceOperation.Delete) ?? Failure(stack, resource.LogicalId, CfnResourceOperation.Delete)) is { } reason)
            {
                AddResourceEvent(stack, resource, "DELETE_FAILED", reason, null);
            }
            else
            {
                AddResourceEvent(stack, resource, "DELETE_COMPLETE", null, null);
                stack.Resources.Remove(resource.LogicalId);
            }

            yield return Scenario.StepDelay;
        }

        MarkChangeSet(changeSet, "EXECUTE_COMPLETE");
        AddStackEvent(stack, "UPDATE_COMPLETE", null, operation.Token);
    }

    private IEnumerable<TimeSpan> AfterUpdateFailure(CfnStack stack, CfnOperation operation, CfnChangeSet? changeSet, string reason)
    {
        yield return Scenario.StepDelay;
        MarkChangeSet(changeSet, "EXECUTE_FAILED");
        if (operation.DisableRollback)
        {
            AddStackEvent(stack, "UPDATE_FAILED", reason, operation.Token);
            yield break;
        }

        AddStackEvent(stack, "UPDATE_ROLLBACK_IN_PROGRESS", reason, operation.Token);
        yield return Scenario.StepDelay;
        foreach (var delay in UpdateRollback(stack, operation))
        {
            yield return delay;
        }
    }

    private IEnumerable<TimeSpan> UpdateRollback(CfnStack stack, CfnOperation operation)
    {
        foreach (var (id, kind, oldProperties, oldPhysical, oldType) in Enumerable.Reverse(operation.Journal).Where(j => j.Kind != "Added").ToList())
        {
            if (operation.Reverted.Contains(id) || !stack.Resources.TryGetValue(id, out var resource))
            {
                continue;
            }

            if (operation.Skip.Contains(id))
            {
                operation.Reverted.Add(id);
                AddResourceEvent(stack, resource, "UPDATE_COMPLETE", "Resource skipped during rollback", null);
                yield return Scenario.StepDelay;
                continue;
            }

            AddResourceEvent(stack, resource, "UPDATE_IN_PROGRESS", null, oldProperties);
            yield return Duration(resource.Type);
            if ((RoleDenial(stack, resource, oldProperties, CfnResourceOperation.UpdateRollback) ?? Failure(stack, id, CfnResourceOperation.UpdateRollback)) is { } reason)
            {
                AddResourceEvent(stack, resource, "UPDATE_FAILED", reason, null);
                yield return Scenario.StepDelay;
                AddStackEvent(stack, "UPDATE_ROLLBACK_FAILED", $"The following resource(s) failed to update: [{id}]. ", operation.Token);
                yield break;
            }

            if (kind == "Replaced" && resource.PhysicalId != oldPhysical)
            {
                var replacement = resource.PhysicalId!;
                operation.ReplacedToDelete.RemoveAll(r => r.Id == id);
                operation.ReplacedToDelete.Add((id, replacement, resource.Type));
                resource.PhysicalId = oldPhysical;
            }

            resource.Properties = oldProperties;
            resource.Type = oldType;
            SyncEcsService(resource);
            operation.Reverted.Add(id);
            AddResourceEvent(stack, resource, "UPDATE_COMPLETE", null, null);
            yield return Scenario.StepDelay;
        }

        AddStackEvent(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null, operation.Token);
        yield return Scenario.StepDelay;
        foreach (var (id, physical, type) in operation.ReplacedToDelete.Where(r => stack.Resources.GetValueOrDefault(r.Id)?.PhysicalId != r.PhysicalId).ToList())
        {
            var old = new CfnResource(id, type) { PhysicalId = physical };
            AddResourceEvent(stack, old, "DELETE_IN_PROGRESS", null, null, track: false);
            yield return Duration(type);
            AddResourceEvent(stack, old, "DELETE_COMPLETE", null, null, track: false);
            yield return Scenario.StepDelay;
        }

        foreach (var (id, _, _, _, _) in Enumerable.Reverse(operation.Journal).Where(j => j.Kind == "Added").ToList())
        {
            if (!stack.Resources.TryGetValue(id, out var added))
            {
                continue;
            }

            AddResourceEvent(stack, added, "DELETE_IN_PROGRESS", null, null);
            yield return Duration(added.Type);
            AddResourceEvent(stack, added, "DELETE_COMPLETE", null, null);
            stack.Resources.Remove(id);
            stack.ResourceOrder.Remove(id);
            yield return Scenario.StepDelay;
        }

        AddStackEvent(stack, "UPDATE_ROLLBACK_COMPLETE", null, operation.Token);
    }

    // One resource's delete handler: in progress, then failed (the role may not, or a scripted failure) or complete.
    private IEnumerable<TimeSpan> DeleteResource(CfnStack stack, CfnResource resource, List<string> failed)
    {
        AddResourceEvent(stack, resource, "DELETE_IN_PROGRESS", null, null);
        yield return Duration(resource.Type);
        if ((RoleDenial(stack, resource, resource.Properties, CfnResourceOperation.Delete) ?? Failure(stack, resource.LogicalId, CfnResourceOperation.Delete)) is { } reason)
        {
            AddResourceEvent(stack, resource, "DELETE_FAILED", reason, null);
            failed.Add(resource.LogicalId);
        }
        else
        {
            AddResourceEvent(stack, resource, "DELETE_COMPLETE", null, null);
            stack.Resources.Remove(resource.LogicalId);
        }

        yield return Scenario.StepDelay;
    }

    private IEnumerable<TimeSpan> DeleteFlow(CfnStack stack, HashSet<string> retain)
    {
        var token = stack.Operation?.Token;
        AddStackEvent(stack, "DELETE_IN_PROGRESS", "User Initiated", token);
        yield return Scenario.StepDelay;
        var failed = new List<string>();
        foreach (var resource in Enumerable.Reverse(stack.ResourceOrder).Where(stack.Resources.ContainsKey).Select(id => stack.Resources[id]).ToList())
        {
            if (retain.Contains(resource.LogicalId))
            {
                AddResourceEvent(stack, resource, "DELETE_SKIPPED", null, null);
                stack.Resources.Remove(resource.LogicalId);
                yield return Scenario.StepDelay;
                continue;
            }

            foreach (var step in DeleteResource(stack, resource, failed))
            {
                yield return step;
            }
        }

        if (failed.Count > 0)
        {
            AddStackEvent(stack, "DELETE_FAILED", $"The following resource(s) failed to delete: [{string.Join(", ", failed)}]. ", token);
            yield break;
        }

        stack.DeletionTime = stack.OperationTime;
        AddStackEvent(stack, "DELETE_COMPLETE", null, token);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private void AddStackEvent(CfnStack stack, string status, string? reason, string? token)
    {
        stack.Status = status;
        stack.StatusReason = reason;
        stack.Events.Add(new CfnEvent(NewGuid(), stack.OperationTime, stack.Name, stack.Id, "AWS::CloudFormation::Stack", status, reason, null, token));
    }

    private static void AddResourceEvent(CfnStack stack, CfnResource resource, string status, string? reason, string? properties, bool track = true)
    {
        if (track)
        {
            resource.Status = status;
            resource.StatusReason = reason;
            resource.Timestamp = stack.OperationTime;
        }

        var eventId = $"{resource.LogicalId}-{status}-{stack.OperationTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}";
        stack.Events.Add(new CfnEvent(eventId, stack.OperationTime, resource.LogicalId, resource.PhysicalId ?? string.Empty, resource.Type, status, reason, properties, stack.Operation?.Token));
    }

    private static void MarkChangeSet(CfnChangeSet? changeSet, string status)
    {
        if (changeSet is not null)
        {
            changeSet.ExecutionOverride = status;
        }
    }

    // The service role a request names (or the stack's), refused when IAM is enforced, execution as the role is on and
    // no principal holds a session of it (CloudFormation could not assume it).
    private string? ServiceRole(Dictionary<string, string> form, CfnStack? stack)
    {
        var role = form.GetValueOrDefault("RoleARN") is { Length: > 0 } given ? given : stack?.RoleArn;
        if (role is not null && _handlerPermissions is not null && Options.Iam is { } iam && iam.FindRoleSession(role) is null)
        {
            throw CfnTemplate.Validation($"Role {role} is invalid or cannot be assumed");
        }

        return role;
    }

    // A resource handler's calls made as the stack's service role: the first action the role may not call fails the
    // resource with CloudFormation's message. Fidelity: IAM role and instance-profile actions are authorized on the
    // resource's own ARN (a role policy's on its role's), iam:PassRole on each role ARN its properties name (or '*' when they name none), and every
    // other action on '*' (the service role grants them on '*', so a derived ARN would not change a decision).
    private string? RoleDenial(CfnStack stack, CfnResource resource, string? propertiesJson, CfnResourceOperation handler)
    {
        if (_handlerPermissions is null || Options.Iam is not { } iam || stack.RoleArn is null || iam.FindRoleSession(stack.RoleArn) is not { } session)
        {
            return null;
        }

        var properties = propertiesJson is null ? null : JsonNode.Parse(propertiesJson) as JsonObject;
        foreach (var action in _handlerPermissions.For(resource.Type, handler).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var arn in HandlerResources(stack, resource, properties, action))
            {
                var call = iam.Authorize(session.AccessKeyId, new Iam.IamRequest(action, arn));
                if (call.Decision != Iam.IamDecision.Allowed)
                {
                    var service = action.Split(':')[0];
                    return $"Resource handler returned message: \"{Iam.IamAuthority.DeniedMessage(call)} (Service: {char.ToUpperInvariant(service[0])}{service[1..]}, Status Code: 403, Request ID: {NewGuid()})\" (RequestToken: {NewGuid()}, HandlerErrorCode: AccessDenied)";
                }
            }
        }

        return null;
    }

    private List<string> HandlerResources(CfnStack stack, CfnResource resource, JsonObject? properties, string action)
    {
        if (resource.Type == "AWS::IAM::RolePolicy" && action.StartsWith("iam:", StringComparison.OrdinalIgnoreCase) && properties?["RoleName"] is JsonValue roleName)
        {
            // IAM authorizes PutRolePolicy and its kin on the role; the role's path comes from the role resource of the stack.
            var target = roleName.ToString();
            var role = stack.Resources.Values.FirstOrDefault(r => r.Type == "AWS::IAM::Role" && r.PhysicalId == target);
            var rolePath = role?.Properties is { } json && JsonNode.Parse(json)?["Path"] is JsonValue rp ? rp.ToString() : "/";
            return [$"arn:aws:iam::{Options.AccountId}:role{rolePath}{target}"];
        }

        var path = properties?["Path"] is JsonValue p ? p.ToString() : "/";
        if (action.Equals("iam:PassRole", StringComparison.OrdinalIgnoreCase))
        {
            var roles = RoleArns(properties).Distinct(StringComparer.Ordinal).ToList();
            return roles.Count > 0 ? roles : ["*"];
        }

        if (action.StartsWith("iam:", StringComparison.OrdinalIgnoreCase) && resource.PhysicalId is { } name)
        {
            if (resource.Type == "AWS::IAM::Role" && !action.Contains("InstanceProfile", StringComparison.OrdinalIgnoreCase))
            {
                return [$"arn:aws:iam::{Options.AccountId}:role{path}{name}"];
            }

            if (resource.Type == "AWS::IAM::InstanceProfile")
            {
                return [$"arn:aws:iam::{Options.AccountId}:instance-profile{path}{name}"];
            }
        }

        return ["*"];
    }

    private static IEnumerable<string> RoleArns(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => RoleArns(p.Value)),
        JsonArray a => a.SelectMany(RoleArns),
        JsonValue v when v.ToString() is var text && text.StartsWith("arn:", StringComparison.Ordinal) && text.Contains(":role/", StringComparison.Ordinal) && text.Split(':')[2] == "iam" => [text],
        _ => [],
    };

    private string? Failure(CfnStack stack, string logicalId, CfnResourceOperation operation) =>
        _failures.FirstOrDefault(f => f.LogicalResourceId == logicalId && f.Operation == operation && (f.StackName is null || f.StackName == stack.Name))?.Reason;

    private TimeSpan Duration(string type) => Scenario.ResourceDurations.TryGetValue(type, out var d) ? d : Scenario.ResourceDuration;

    private static string? PolicyDenial(CfnStack stack, CfnChange change)
    {
        if (stack.PolicyBody is null || change.Action == "Add")
        {
            return null;
        }

        var action = change.Action == "Remove" ? "Update:Delete" : change.Replacement == "True" ? "Update:Replace" : "Update:Modify";
        var resource = $"LogicalResourceId/{change.LogicalId}";
        var statements = (JsonNode.Parse(stack.PolicyBody)?["Statement"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        bool Matches(JsonObject s, string key, string notKey, string value) =>
            s[key] is { } positive ? Strings(positive).Any(p => Wildcard(p, value)) : s[notKey] is { } negative && !Strings(negative).Any(p => Wildcard(p, value));
        var index = statements.FindIndex(s => s["Effect"]?.ToString() == "Deny" && Matches(s, "Action", "NotAction", action) && Matches(s, "Resource", "NotResource", resource));
        if (index >= 0)
        {
            return $"Action denied by stack policy: Statement [#{index + 1}] has a Deny effect for [{action}] on resource [{resource}].";
        }

        var allowed = statements.Any(s => s["Effect"]?.ToString() == "Allow" && Matches(s, "Action", "NotAction", action) && Matches(s, "Resource", "NotResource", resource));
        return allowed ? null : $"Action denied by stack policy: no statement allows [{action}] on resource [{resource}].";
    }

    private static IEnumerable<string> Strings(JsonNode node) => node is JsonArray a ? a.Select(x => x!.ToString()) : [node.ToString()];

    private static bool Wildcard(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static CfnTemplate TemplateFrom(Dictionary<string, string> form, string? fetched, CfnStack? stack)
    {
        if (form.TryGetValue("TemplateBody", out var body))
        {
            // CloudFormation's documented quota: a TemplateBody of at most 51,200 bytes; larger templates go through TemplateURL.
            if (Encoding.UTF8.GetByteCount(body) > 51_200)
            {
                throw CfnTemplate.Validation("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200");
            }

            return CfnTemplate.Parse(body);
        }

        if (fetched is not null)
        {
            return CfnTemplate.Parse(fetched);
        }

        if (bool.TryParse(form.GetValueOrDefault("UsePreviousTemplate"), out var previous) && previous && stack?.Template is not null)
        {
            return stack.Template;
        }

        throw CfnTemplate.Validation("Either Template URL or Template Body must be specified.");
    }

    // With IAM enforced, CloudFormation reads the template with the caller's credentials (a GET signed for S3 with the
    // caller's key, so an S3 IAM front authorizes s3:GetObject and kms:Decrypt as the caller); otherwise a plain GET.
    private async Task<string> FetchTemplateAsync(string url, HttpRequest caller)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw CfnTemplate.Validation("TemplateURL must be a supported URL.");
        }

        try
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, uri);
            if (Options.Iam is not null && CallerCredentials(caller) is { } credentials)
            {
                SigV4.Sign(get, [], credentials, Region, "s3", Clock.GetUtcNow());
            }

            using var response = await _templates.SendAsync(get).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw CfnTemplate.Validation($"S3 error: Access Denied or not found ({(int)response.StatusCode}) for {url}");
            }

            return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw CfnTemplate.Validation($"Unable to fetch template from URL {url}: {e.Message}");
        }
    }

    private SimulatorCredentials? CallerCredentials(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        var marker = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var key = authorization[(marker + "Credential=".Length)..].Split('/')[0];
        return Options.Credentials.FirstOrDefault(c => c.AccessKeyId == key);
    }

    private static Dictionary<string, string> ResolveParameters(CfnTemplate template, Dictionary<string, string> form, CfnStack? stack)
    {
        var given = Structs(form, "Parameters").Where(p => p.ContainsKey("ParameterKey")).ToDictionary(p => p["ParameterKey"], StringComparer.Ordinal);
        var unknown = given.Keys.Where(k => !template.Parameters.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw CfnTemplate.Validation($"Parameters: [{string.Join(", ", unknown)}] do not exist in the template");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (key, definition) in template.Parameters)
        {
            string? value = null;
            if (given.TryGetValue(key, out var p))
            {
                value = p.GetValueOrDefault("UsePreviousValue") == "true" ? stack?.Parameters.GetValueOrDefault(key) : p.GetValueOrDefault("ParameterValue");
            }

            value ??= definition["Default"] is { } d ? CfnTemplate.ScalarText(d) : null;
            if (value is null)
            {
                missing.Add(key);
                continue;
            }

            if (definition["AllowedValues"] is JsonArray allowed && !allowed.Any(a => CfnTemplate.ScalarText(a!) == value))
            {
                throw CfnTemplate.Validation($"Parameter '{key}' must be one of AllowedValues");
            }

            result[key] = value;
        }

        if (missing.Count > 0)
        {
            throw CfnTemplate.Validation($"Parameters: [{string.Join(", ", missing)}] must have values");
        }

        return result;
    }

    private static (List<string> Capabilities, string? Reason) RequiredCapabilities(CfnTemplate template)
    {
        var iam = template.Resources.Where(r => r.Value["Type"]!.ToString().StartsWith("AWS::IAM::", StringComparison.Ordinal)).ToList();
        var capabilities = new List<string>();
        string? reason = null;
        if (iam.Count > 0)
        {
            var named = iam.Any(r => r.Value["Properties"] is JsonObject p && (p.ContainsKey("RoleName") || p.ContainsKey("UserName") || p.ContainsKey("GroupName") || p.ContainsKey("ManagedPolicyName") || p.ContainsKey("InstanceProfileName")));
            capabilities.Add(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
            reason = $"The following resource(s) require capabilities: [{string.Join(", ", iam.Select(r => r.Value["Type"]!.ToString()).Distinct())}]";
        }

        if (template.Transforms.Count > 0)
        {
            capabilities.Add("CAPABILITY_AUTO_EXPAND");
        }

        return (capabilities, reason);
    }

    private static void CheckCapabilities(CfnTemplate template, IReadOnlyList<string> given)
    {
        var (required, _) = RequiredCapabilities(template);
        var missing = required.Where(c => !given.Contains(c) && !(c == "CAPABILITY_IAM" && given.Contains("CAPABILITY_NAMED_IAM"))).ToList();
        if (missing.Count > 0)
        {
            throw new AwsSimulatorException("InsufficientCapabilitiesException", $"Requires capabilities : [{string.Join(", ", missing)}]");
        }
    }

    private static void CheckToken(CfnStack stack, string? token)
    {
        if (token is not null && stack.Events.Any(e => e.ClientRequestToken == token) && stack.Operation?.Token != token)
        {
            throw new AwsSimulatorException("TokenAlreadyExistsException", $"Token {token} already used for a different request.");
        }
    }

    private Dictionary<string, string> Pseudo(CfnStack stack)
    {
        var pseudo = BasePseudo(stack);
        if (stack.Template?.Root.ToJsonString().Contains("Fn::ImportValue", StringComparison.Ordinal) == true
            || stack.Operation?.NewTemplate.Root.ToJsonString().Contains("Fn::ImportValue", StringComparison.Ordinal) == true)
        {
            // Fn::ImportValue resolves to the value another stack of this region exports, as CloudFormation resolves it
            // (CfnTemplate.Resolve reads "Fn::ImportValue:<name>"; an export that does not exist stays "imported:<name>").
            foreach (var (name, value) in Exports())
            {
                pseudo[CfnTemplate.ImportKey(name)] = value;
            }
        }

        return pseudo;
    }

    private Dictionary<string, string> BasePseudo(CfnStack stack) => new(StringComparer.Ordinal)
    {
        ["AWS::Region"] = Region,
        ["AWS::AccountId"] = Options.AccountId,
        ["AWS::StackName"] = stack.Name,
        ["AWS::StackId"] = stack.Id,
        ["AWS::Partition"] = "aws",
        ["AWS::URLSuffix"] = "amazonaws.com",
    };

    /// <summary>Every export of this region's live stacks (their outputs resolved without imports: one level).</summary>
    private Dictionary<string, string> Exports()
    {
        var exports = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in _stacks.Where(s => !s.IsDeleted && s.Template is not null))
        {
            var pseudo = BasePseudo(stack);
            foreach (var (_, output) in stack.Template!.Outputs)
            {
                if (output["Export"]?["Name"] is not { } exportName
                    || (output["Condition"] is JsonValue condition && !stack.Template.ConditionHolds(condition.ToString(), stack.Parameters)))
                {
                    continue;
                }

                if (stack.Template.Resolve(exportName, stack.Parameters, (n, a) => ResourceValue(stack, n, a), pseudo) is JsonValue name
                    && stack.Template.Resolve(output["Value"], stack.Parameters, (n, a) => ResourceValue(stack, n, a), pseudo) is JsonValue value)
                {
                    exports[CfnTemplate.ScalarText(name)] = CfnTemplate.ScalarText(value);
                }
            }
        }

        return exports;
    }

    private string? Resolved(CfnStack stack, CfnTemplate template, IReadOnlyDictionary<string, string> parameters, JsonNode? properties) =>
        properties is null ? null : template.Resolve(properties, parameters, (name, attribute) => ResourceValue(stack, name, attribute), Pseudo(stack))?.ToJsonString();

    private string? ResourceValue(CfnStack stack, string name, string? attribute)
    {
        if (!stack.Resources.TryGetValue(name, out var resource) || resource.PhysicalId is null)
        {
            return null;
        }

        return attribute is null ? resource.PhysicalId : Attribute(resource, attribute);
    }

    private string Attribute(CfnResource resource, string attribute)
    {
        var physical = resource.PhysicalId!;
        var parts = resource.Type.Split("::");
        var service = parts.Length > 1 ? parts[1].ToLowerInvariant() : "custom";
        return attribute switch
        {
            "Arn" when physical.StartsWith("arn:", StringComparison.Ordinal) => physical,
            "Arn" when resource.Type == "AWS::S3::Bucket" => $"arn:aws:s3:::{physical}",
            "Arn" when service == "iam" => $"arn:aws:iam::{Options.AccountId}:{parts[2].ToLowerInvariant()}/{physical}",
            "Arn" => $"arn:aws:{service}:{Region}:{Options.AccountId}:{parts[^1].ToLowerInvariant()}/{physical}",
            "DomainName" when resource.Type == "AWS::S3::Bucket" => $"{physical}.s3.amazonaws.com",
            "RegionalDomainName" => $"{physical}.s3.{Region}.amazonaws.com",
            "DNSName" or "DomainName" => $"{physical.Split('/')[^1]}-{Math.Abs(physical.GetHashCode(StringComparison.Ordinal)) % 1000000000}.{Region}.elb.amazonaws.com",
            "LoadBalancerFullName" or "TargetGroupFullName" => string.Join('/', physical.Split(':')[^1].Split('/')[1..]),
            _ when attribute.EndsWith("Id", StringComparison.Ordinal) => physical,
            _ when attribute.EndsWith("Name", StringComparison.Ordinal) => physical.Split('/')[^1],
            _ => $"{physical}|{attribute}",
        };
    }

    private string NewPhysicalId(CfnStack stack, CfnResource resource, string? propertiesJson)
    {
        var properties = propertiesJson is null ? null : JsonNode.Parse(propertiesJson) as JsonObject;
        string? Named(string property) => properties?[property] is JsonValue v ? v.ToString() : null;
        var generated = $"{Truncate(stack.Name, 30)}-{Truncate(resource.LogicalId, 20)}-{NewAlnum(12)}";
        if (_ecs is not null && EcsPhysicalId(resource, properties, generated) is { } ecsId)
        {
            return ecsId;
        }

        var hex = NewHex(17);
        return resource.Type switch
        {
            "AWS::S3::Bucket" => CreatedBucket(stack, resource, Named("BucketName") ?? generated.ToLowerInvariant(), properties),
            "AWS::EC2::VPC" => $"vpc-{hex}",
            "AWS::EC2::Subnet" => $"subnet-{hex}",
            "AWS::EC2::SecurityGroup" => $"sg-{hex}",
            "AWS::EC2::InternetGateway" => $"igw-{hex}",
            "AWS::EC2::RouteTable" => $"rtb-{hex}",
            "AWS::EC2::NatGateway" => $"nat-{hex}",
            "AWS::EC2::Instance" => $"i-{hex}",
            "AWS::EC2::Volume" => $"vol-{hex}",
            "AWS::EC2::LaunchTemplate" => $"lt-{hex}",
            "AWS::EC2::EIP" => $"203.0.113.{_ids.Next(1, 255)}",
            "AWS::ECS::Cluster" => Named("ClusterName") ?? generated,
            "AWS::ECS::Service" => $"arn:aws:ecs:{Region}:{Options.AccountId}:service/{ClusterName(properties)}/{Named("ServiceName") ?? generated}",
            "AWS::ECS::TaskDefinition" => $"arn:aws:ecs:{Region}:{Options.AccountId}:task-definition/{Named("Family") ?? generated}:{_ids.Next(1, 50)}",
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => $"arn:aws:elasticloadbalancing:{Region}:{Options.AccountId}:loadbalancer/app/{Named("Name") ?? Truncate(generated, 32)}/{NewHex(8)}",
            "AWS::ElasticLoadBalancingV2::TargetGroup" => $"arn:aws:elasticloadbalancing:{Region}:{Options.AccountId}:targetgroup/{Named("Name") ?? Truncate(generated, 32)}/{NewHex(8)}",
            "AWS::ElasticLoadBalancingV2::Listener" => $"arn:aws:elasticloadbalancing:{Region}:{Options.AccountId}:listener/app/{Truncate(generated, 32)}/{NewHex(8)}/{NewHex(8)}",
            "AWS::SNS::Topic" => $"arn:aws:sns:{Region}:{Options.AccountId}:{Named("TopicName") ?? generated}",
            "AWS::SQS::Queue" => $"https://sqs.{Region}.amazonaws.com/{Options.AccountId}/{Named("QueueName") ?? generated}",
            "AWS::IAM::Role" => Named("RoleName") ?? generated,
            "AWS::IAM::ManagedPolicy" => $"arn:aws:iam::{Options.AccountId}:policy/{Named("ManagedPolicyName") ?? generated}",
            "AWS::Logs::LogGroup" => Named("LogGroupName") ?? generated,
            "AWS::KMS::Key" => NewGuid(),
            "AWS::CloudFront::Distribution" => "E" + NewAlnum(13).ToUpperInvariant(),
            _ => generated,
        };
    }

    private string CreatedBucket(CfnStack stack, CfnResource resource, string name, JsonObject? properties)
    {
        BucketCreated?.Invoke(stack.Name, resource.LogicalId, name, properties);
        return name;
    }

    private string? EcsPhysicalId(CfnResource resource, JsonObject? properties, string generated)
    {
        switch (resource.Type)
        {
            case "AWS::ECS::Cluster":
                var clusterName = properties?["ClusterName"]?.ToString() ?? generated;
                _ecs!.CreateCluster(clusterName);
                return clusterName;
            case "AWS::ECS::TaskDefinition":
                var body = (JsonObject)EcsShape(properties ?? [], null, 0)!;
                body["family"] ??= generated;
                return _ecs!.RegisterTaskDefinitionBody(body);
            case "AWS::ECS::Service":
                var breaker = properties?["DeploymentConfiguration"]?["DeploymentCircuitBreaker"];
                var alarms = properties?["DeploymentConfiguration"]?["Alarms"];
                return _ecs!.CreateService(new EcsServiceSeed
                {
                    Cluster = ClusterName(properties),
                    ServiceName = properties?["ServiceName"]?.ToString() ?? generated,
                    TaskDefinition = properties?["TaskDefinition"]?.ToString() ?? throw CfnTemplate.Validation("TaskDefinition is required"),
                    DesiredCount = int.Parse(properties?["DesiredCount"]?.ToString() ?? "1", CultureInfo.InvariantCulture),
                    LaunchType = properties?["LaunchType"]?.ToString() ?? "EC2",
                    CircuitBreakerEnabled = breaker?["Enable"]?.ToString().Equals("true", StringComparison.OrdinalIgnoreCase) ?? false,
                    CircuitBreakerRollback = breaker?["Rollback"]?.ToString().Equals("true", StringComparison.OrdinalIgnoreCase) ?? false,
                    Alarms = alarms?["Enable"]?.ToString().Equals("true", StringComparison.OrdinalIgnoreCase) == true && alarms["AlarmNames"] is JsonArray names
                        ? names.Select(n => n!.ToString()).ToList()
                        : [],
                    AlarmRollback = alarms?["Rollback"]?.ToString().Equals("true", StringComparison.OrdinalIgnoreCase) ?? false,
                    MaximumPercent = int.Parse(properties?["DeploymentConfiguration"]?["MaximumPercent"]?.ToString() ?? "200", CultureInfo.InvariantCulture),
                    MinimumHealthyPercent = int.Parse(properties?["DeploymentConfiguration"]?["MinimumHealthyPercent"]?.ToString() ?? "100", CultureInfo.InvariantCulture),
                });
            default:
                return null;
        }
    }

    private static bool IsTerminalServiceDeployment(string status) => status is "SUCCESSFUL" or "STOPPED" or "ROLLBACK_SUCCESSFUL" or "ROLLBACK_FAILED";

    /// <summary>Pushes the resource's TaskDefinition/DesiredCount to ECS; returns the service deployment it started, if any.</summary>
    private string? SyncEcsService(CfnResource resource)
    {
        if (_ecs is null || resource.Type != "AWS::ECS::Service" || resource.PhysicalId is null || resource.Properties is null)
        {
            return null;
        }

        var properties = JsonNode.Parse(resource.Properties) as JsonObject;
        var taskDefinition = properties?["TaskDefinition"]?.ToString();
        var desired = properties?["DesiredCount"] is { } count ? int.Parse(count.ToString(), CultureInfo.InvariantCulture) : (int?)null;
        return taskDefinition is null ? null : _ecs.UpdateServiceFromStack(ClusterName(properties), resource.PhysicalId, taskDefinition, desired);
    }

    // CloudFormation's ECS properties are the API members in PascalCase; numbers and booleans may arrive as strings.
    // Task-level Cpu/Memory stay strings (TaskDefinition.cpu is a String); inside containers they are integers.
    private static JsonNode? EcsShape(JsonNode? node, string? key, int depth) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => new KeyValuePair<string, JsonNode?>(char.ToLowerInvariant(p.Key[0]) + p.Key[1..], EcsShape(p.Value, p.Key, depth + 1)))),
        JsonArray array => new JsonArray(array.Select(i => EcsShape(i, key, depth)).ToArray()),
        JsonValue value when depth > 1 && key is "Cpu" or "Memory" or "MemoryReservation" or "ContainerPort" or "HostPort" or "StartTimeout" or "StopTimeout"
            && int.TryParse(CfnTemplate.ScalarText(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        JsonValue value when depth == 1 && key is "Cpu" or "Memory" => JsonValue.Create(CfnTemplate.ScalarText(value)),
        JsonValue value when key is "Essential" or "Privileged" or "ReadonlyRootFilesystem" or "Interactive" =>
            JsonValue.Create(CfnTemplate.ScalarText(value).Equals("true", StringComparison.OrdinalIgnoreCase)),
        _ => node?.DeepClone(),
    };

    private static string ClusterName(JsonObject? properties)
    {
        var cluster = properties?["Cluster"] is JsonValue v ? v.ToString() : "default";
        return cluster.StartsWith("arn:", StringComparison.Ordinal) ? cluster[(cluster.LastIndexOf('/') + 1)..] : cluster;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private string NewGuid()
    {
        var bytes = new byte[16];
        _ids.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private string NewHex(int length)
    {
        var bytes = new byte[(length + 1) / 2];
        _ids.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }

    private string NewAlnum(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[_ids.Next(alphabet.Length)]).ToArray());
    }

    private string StackArn(string name) => $"arn:aws:cloudformation:{Region}:{Options.AccountId}:stack/{name}/{NewGuid()}";

    private CfnStack? TryFindStack(string nameOrId) =>
        nameOrId.StartsWith("arn:", StringComparison.Ordinal)
            ? _stacks.FirstOrDefault(s => s.Id == nameOrId)
            : _stacks.LastOrDefault(s => s.Name == nameOrId && !s.IsDeleted);

    private CfnStack FindStack(string nameOrId) =>
        TryFindStack(nameOrId) ?? throw CfnTemplate.Validation($"Stack with id {nameOrId} does not exist");

    private CfnChangeSet FindChangeSet(Dictionary<string, string> form)
    {
        var name = Required(form, "ChangeSetName");
        CfnChangeSet? changeSet;
        if (name.StartsWith("arn:", StringComparison.Ordinal))
        {
            changeSet = _stacks.SelectMany(s => s.ChangeSets).FirstOrDefault(c => c.Id == name && !c.Deleted);
        }
        else
        {
            var stackName = form.GetValueOrDefault("StackName")
                            ?? throw CfnTemplate.Validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
            var stack = TryFindStack(stackName) ?? throw new AwsSimulatorException("ChangeSetNotFound", $"ChangeSet [{name}] does not exist", 404);
            changeSet = stack.ChangeSets.LastOrDefault(c => c.Name == name && !c.Deleted);
        }

        return changeSet ?? throw new AwsSimulatorException("ChangeSetNotFound", $"ChangeSet [{name}] does not exist", 404);
    }

    private XElement StackXml(CfnStack stack)
    {
        var outputs = Outputs(stack);
        return E("member",
            E("StackId", stack.Id),
            E("StackName", stack.Name),
            Opt("ChangeSetId", stack.ChangeSetId),
            Opt("Description", stack.Template?.Description),
            stack.Template is null ? null : ParametersXml(stack.Template, stack.Parameters),
            E("CreationTime", Iso(stack.CreationTime)),
            stack.DeletionTime is { } deleted ? E("DeletionTime", Iso(deleted)) : null,
            stack.LastUpdatedTime is { } updated ? E("LastUpdatedTime", Iso(updated)) : null,
            E("RollbackConfiguration"),
            E("StackStatus", stack.Status),
            Opt("StackStatusReason", stack.StatusReason),
            E("DisableRollback", stack.DisableRollback ? "true" : "false"),
            E("NotificationARNs"),
            E("Capabilities", stack.Capabilities.Select(c => E("member", c))),
            outputs.Count > 0 ? E("Outputs", outputs) : null,
            E("Tags", stack.Tags.Select(t => E("member", E("Key", t.Key), E("Value", t.Value)))),
            E("EnableTerminationProtection", stack.TerminationProtection ? "true" : "false"),
            E("DriftInformation", E("StackDriftStatus", stack.DriftStatus), stack.DriftCheckedAt is { } c ? E("LastCheckTimestamp", Iso(c)) : null));
    }

    private List<XElement> Outputs(CfnStack stack)
    {
        if (stack.Template is null || stack.Status is not ("CREATE_COMPLETE" or "UPDATE_COMPLETE" or "UPDATE_ROLLBACK_COMPLETE" or "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
                or "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS" or "UPDATE_FAILED" or "UPDATE_ROLLBACK_FAILED" or "IMPORT_COMPLETE"))
        {
            return [];
        }

        var list = new List<XElement>();
        foreach (var (key, output) in stack.Template.Outputs)
        {
            if (output["Condition"] is JsonValue condition && !stack.Template.ConditionHolds(condition.ToString(), stack.Parameters))
            {
                continue;
            }

            var value = stack.Template.Resolve(output["Value"], stack.Parameters, (name, attribute) => ResourceValue(stack, name, attribute), Pseudo(stack));
            if (value is not JsonValue resolved)
            {
                continue;
            }

            var export = output["Export"]?["Name"] is { } exportName ? stack.Template.Resolve(exportName, stack.Parameters, (n, a) => ResourceValue(stack, n, a), Pseudo(stack)) : null;
            list.Add(E("member",
                E("OutputKey", key),
                E("OutputValue", CfnTemplate.ScalarText(resolved)),
                Opt("Description", output["Description"]?.ToString()),
                export is JsonValue exported ? E("ExportName", CfnTemplate.ScalarText(exported)) : null));
        }

        return list;
    }

    private static XElement ParametersXml(CfnTemplate template, IReadOnlyDictionary<string, string> parameters) =>
        E("Parameters", parameters.Select(p => E("member",
            E("ParameterKey", p.Key),
            E("ParameterValue", template.Parameters.GetValueOrDefault(p.Key)?["NoEcho"] is { } echo && CfnTemplate.ScalarText(echo).Equals("true", StringComparison.OrdinalIgnoreCase) ? "****" : p.Value))));

    private static XElement ChangeXml(CfnChange change) => E("member",
        E("Type", "Resource"),
        E("ResourceChange",
            Opt("PolicyAction", change.PolicyAction),
            E("Action", change.Action),
            E("LogicalResourceId", change.LogicalId),
            Opt("PhysicalResourceId", change.PhysicalId),
            E("ResourceType", change.ResourceType),
            Opt("Replacement", change.Replacement),
            E("Scope", change.Scope.Select(s => E("member", s))),
            E("Details", change.Details.Select(d => E("member",
                E("Target", E("Attribute", d.Attribute), Opt("Name", d.Name), E("RequiresRecreation", d.RequiresRecreation)),
                E("Evaluation", d.Evaluation),
                E("ChangeSource", d.ChangeSource),
                Opt("CausingEntity", d.CausingEntity))))));

    private static XElement Result(string operation, params object?[] content) => new(Ns + operation + "Result", content.Where(c => c is not null));

    private static XElement E(string name, params object?[] content) => new(Ns + name, content.Where(c => c is not null));

    private static XElement? Opt(string name, string? value) => value is null ? null : E(name, value);

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string NextToken(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset}"));

    private static int Token(Dictionary<string, string> form)
    {
        if (form.GetValueOrDefault("NextToken") is not { } token)
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("offset:", StringComparison.Ordinal) ? int.Parse(text[7..], CultureInfo.InvariantCulture) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw CfnTemplate.Validation("Invalid NextToken");
        }
    }

    private static string Required(Dictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw CfnTemplate.Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    private static AwsSimulatorException Constraint(string value, string member, string pattern) =>
        CfnTemplate.Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");

    private static List<string> Members(Dictionary<string, string> form, string prefix) =>
        form.Where(p => p.Key.StartsWith(prefix + ".member.", StringComparison.Ordinal) && !p.Key[(prefix.Length + 8)..].Contains('.', StringComparison.Ordinal))
            .OrderBy(p => int.Parse(p.Key[(prefix.Length + 8)..], CultureInfo.InvariantCulture)).Select(p => p.Value).ToList();

    private static List<Dictionary<string, string>> Structs(Dictionary<string, string> form, string prefix)
    {
        var items = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (key, value) in form.Where(p => p.Key.StartsWith(prefix + ".member.", StringComparison.Ordinal)))
        {
            var rest = key[(prefix.Length + 8)..].Split('.', 2);
            if (rest.Length == 2 && int.TryParse(rest[0], CultureInfo.InvariantCulture, out var index))
            {
                if (!items.TryGetValue(index, out var item))
                {
                    item = new Dictionary<string, string>(StringComparer.Ordinal);
                    items[index] = item;
                }

                item[rest[1]] = value;
            }
        }

        return [.. items.Values];
    }

    private static List<(string Key, string Value)> Tags(Dictionary<string, string> form) =>
        Structs(form, "Tags").Select(t => (t.GetValueOrDefault("Key") ?? string.Empty, t.GetValueOrDefault("Value") ?? string.Empty)).ToList();

    private static Dictionary<string, string> Form(byte[] body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            form[Uri.UnescapeDataString(kv[0].Replace('+', ' '))] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : string.Empty;
        }

        return form;
    }

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]*$")]
    private static partial Regex NamePattern();
}
