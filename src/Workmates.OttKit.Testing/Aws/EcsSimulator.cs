using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// A loopback ECS endpoint (awsJson 1.1, <c>X-Amz-Target: AmazonEC2ContainerServiceV20141113.&lt;Op&gt;</c>) with task
/// definitions, services and a rolling-deployment state machine (circuit breaker, alarms, rollback, Service Deployments
/// API) computed on a virtual clock. Test infrastructure: faithful to the model and documented behaviour, not ECS itself.
/// </summary>
public sealed partial class EcsSimulator : AwsJsonSimulator
{
    private const string TargetPrefix = "AmazonEC2ContainerServiceV20141113.";
    private readonly Lock _state = new();
    private readonly Dictionary<string, EcsCluster> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<EcsTaskDefinition>> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImageBehavior> _images = new(StringComparer.Ordinal);
    private readonly Random _ids = new(20141113);
    private DateTimeOffset _lastTick;
    private long _sequence;

    private EcsSimulator(AwsSimulatorOptions options, EcsScenario scenario)
        : base(options, "ecs", TargetPrefix)
    {
        Scenario = scenario;
        _lastTick = Clock.GetUtcNow();
    }

    /// <summary>The simulation settings.</summary>
    public EcsScenario Scenario { get; }

    /// <summary>Starts an ECS simulator on a free loopback port.</summary>
    public static async Task<EcsSimulator> StartAsync(AwsSimulatorOptions? options = null, EcsScenario? scenario = null, CancellationToken cancellationToken = default)
    {
        var simulator = new EcsSimulator(options ?? new AwsSimulatorOptions(), scenario ?? new EcsScenario());
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>Sets how tasks running <paramref name="image"/> behave. A key starting with ':' matches any repository with that tag.</summary>
    public void SetImageBehavior(string image, ImageBehavior behavior)
    {
        lock (_state)
        {
            _images[image] = behavior;
        }
    }

    /// <summary>Creates a cluster (idempotent) and returns its ARN.</summary>
    public string CreateCluster(string name)
    {
        lock (_state)
        {
            return EnsureCluster(name).Arn;
        }
    }

    /// <summary>Registers a one-container task definition revision and returns its ARN.</summary>
    public string RegisterTaskDefinition(string family, string image, string containerName = "app")
    {
        var body = new JsonObject
        {
            ["family"] = family,
            ["containerDefinitions"] = new JsonArray(new JsonObject
            {
                ["name"] = containerName, ["image"] = image, ["cpu"] = 256, ["memory"] = 512, ["essential"] = true,
            }),
        };
        lock (_state)
        {
            return Register(body, null).Arn;
        }
    }

    /// <summary>Registers a task definition from a RegisterTaskDefinition-shaped body with its tags (as CloudFormation would) and returns its ARN.</summary>
    public string RegisterTaskDefinition(JsonObject body, JsonArray? tags)
    {
        ArgumentNullException.ThrowIfNull(body);
        lock (_state)
        {
            return Register((JsonObject)body.DeepClone(), (JsonArray?)tags?.DeepClone()).Arn;
        }
    }

    /// <summary>Registers a task definition from a RegisterTaskDefinition-shaped body (used by the CloudFormation link).</summary>
    internal string RegisterTaskDefinitionBody(JsonObject body)
    {
        lock (_state)
        {
            return Register(body, null).Arn;
        }
    }

    /// <summary>What UpdateService does when CloudFormation updates an AWS::ECS::Service's TaskDefinition or DesiredCount.</summary>
    internal string? UpdateServiceFromStack(string cluster, string service, string taskDefinition, int? desiredCount)
    {
        lock (_state)
        {
            Reconcile();
            var svc = FindService(FindCluster(cluster), service);
            if (desiredCount is { } desired)
            {
                svc.DesiredCount = desired;
                svc.Primary.DesiredCount = desired;
            }

            var td = ResolveTaskDefinition(taskDefinition) ?? throw Client("TaskDefinition not found.");
            if (td == svc.Primary.TaskDefinition)
            {
                return null;
            }

            StartDeployment(svc, td, Clock.GetUtcNow());
            return svc.Current!.Arn;
        }
    }

    /// <summary>The status of a service deployment after settling to the clock.</summary>
    internal string ServiceDeploymentStatus(string serviceDeploymentArn)
    {
        lock (_state)
        {
            Reconcile();
            return AllServices().SelectMany(s => s.ServiceDeployments).First(sd => sd.Arn == serviceDeploymentArn).Status;
        }
    }

    /// <summary>Creates a service in steady state: one COMPLETED deployment with all tasks running and healthy.</summary>
    public string CreateService(EcsServiceSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        lock (_state)
        {
            Reconcile();
            var now = Clock.GetUtcNow();
            var cluster = EnsureCluster(seed.Cluster);
            var td = ResolveTaskDefinition(seed.TaskDefinition) ?? throw new ArgumentException($"Unknown task definition '{seed.TaskDefinition}'.", nameof(seed));
            var service = new EcsService(cluster, seed.ServiceName, Arn($"service/{cluster.Name}/{seed.ServiceName}"), now)
            {
                DesiredCount = seed.DesiredCount,
                LaunchType = seed.LaunchType,
                DeploymentConfiguration = SeedConfiguration(seed),
                TargetGroupArn = seed.TargetGroupArn,
                ContainerName = td.Containers.FirstOrDefault().Name ?? "app",
                ContainerPort = seed.ContainerPort,
            };
            cluster.Services[seed.ServiceName] = service;
            foreach (var alarm in seed.Alarms)
            {
                DefineAlarm(alarm, now);
            }

            var sd = NewServiceDeployment(service, now);
            var deployment = new EcsDeployment(NewDeploymentId(), NewRevision(service, td, now), sd, now)
            {
                DesiredCount = seed.DesiredCount,
            };
            sd.Target = deployment;
            sd.StartedAt = now;
            service.Deployments.Add(deployment);
            for (var i = 0; i < seed.DesiredCount; i++)
            {
                var task = StartTask(service, deployment, now);
                task.LastStatus = "RUNNING";
                task.StartedAt = now;
                task.HealthStatus = "HEALTHY";
                task.HealthyAt = now;
            }

            deployment.FirstHealthyAt = now;
            Complete(service, deployment, now);
            return service.Arn;
        }
    }

    /// <summary>The distinct task definition ARNs of the service's RUNNING tasks (after settling to the clock).</summary>
    public IReadOnlyList<string> RunningTaskDefinitions(string cluster, string service)
    {
        lock (_state)
        {
            Reconcile();
            var svc = FindService(FindCluster(cluster), service);
            return svc.Tasks.Where(t => t.IsRunning).Select(t => t.TaskDefinition.Arn).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Brings the simulated state up to the clock's current time.</summary>
    public void Settle()
    {
        lock (_state)
        {
            Reconcile();
        }
    }

    private protected override string ThrottlingCode => "ThrottlingException";

    private protected override (string Code, int Status) AccessDeniedError => ("AccessDeniedException", 400);

    // What ECS authorizes each call on (the resource types of IAM's catalogue for ECS).
    private protected override IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body)
    {
        var input = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? [];
        var action = $"ecs:{operation}";
        var clusterName = ClusterNameOf(Str(input, "cluster"));
        var clusterArn = Arn("ecs", $"cluster/{clusterName}");
        string ServiceArn(string service) => service.StartsWith("arn:", StringComparison.Ordinal) ? service : Arn("ecs", $"service/{clusterName}/{service}");
        IEnumerable<string> List(string key) => input[key] is JsonArray list ? list.Select(v => v!.GetValue<string>()) : [];
        if (ContainerInstanceAuthorization(operation, input, clusterName) is { } containerInstanceRequests)
        {
            foreach (var containerInstanceRequest in containerInstanceRequests)
            {
                yield return containerInstanceRequest;
            }

            yield break;
        }

        switch (operation)
        {
            case "RegisterTaskDefinition":
                var definition = Arn("ecs", $"task-definition/{Str(input, "family")}:1");
                yield return new(action, definition);
                if (input["tags"] is JsonArray { Count: > 0 })
                {
                    // Tags on create are authorized as TagResource too.
                    yield return new("ecs:TagResource", definition);
                }

                // The roles a revision names are passed to ECS tasks by the caller.
                foreach (var role in new[] { Str(input, "taskRoleArn"), Str(input, "executionRoleArn") }.OfType<string>().Distinct(StringComparer.Ordinal))
                {
                    yield return new("iam:PassRole", role, new Dictionary<string, string> { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" });
                }

                break;
            case "UpdateService":
            case "ListServiceDeployments":
                yield return new(action, ServiceArn(Str(input, "service") ?? string.Empty));
                break;
            case "DescribeServices":
                foreach (var service in List("services"))
                {
                    yield return new(action, ServiceArn(service), new Dictionary<string, string> { ["ecs:cluster"] = clusterArn });
                }

                break;
            case "DescribeServiceDeployments":
                foreach (var arn in List("serviceDeploymentArns"))
                {
                    yield return new(action, arn);
                }

                break;
            case "StopServiceDeployment":
                yield return new(action, Str(input, "serviceDeploymentArn") ?? "*");
                break;
            case "DescribeServiceRevisions":
                foreach (var arn in List("serviceRevisionArns"))
                {
                    yield return new(action, arn);
                }

                break;
            case "ListTasks":
                yield return new(action, "*", new Dictionary<string, string> { ["ecs:cluster"] = clusterArn });
                break;
            case "DescribeTasks":
                foreach (var task in List("tasks"))
                {
                    yield return new(action, task.StartsWith("arn:", StringComparison.Ordinal) ? task : Arn("ecs", $"task/{clusterName}/{task}"), new Dictionary<string, string> { ["ecs:cluster"] = clusterArn });
                }

                break;
            default:
                // DescribeTaskDefinition, DeregisterTaskDefinition, ListTaskDefinitions: no resource-level permission.
                yield return new(action, "*");
                break;
        }
    }

    private static string ClusterNameOf(string? cluster) =>
        cluster is null ? "default" : cluster.StartsWith("arn:", StringComparison.Ordinal) ? cluster[(cluster.LastIndexOf('/') + 1)..] : cluster;

    private protected override string InternalErrorCode => "ServerException";

    private protected override Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, JsonObject input)
    {
        JsonObject output;
        lock (_state)
        {
            Reconcile();
            output = operation switch
            {
                "RegisterTaskDefinition" => RegisterTaskDefinitionOp(input),
                "DescribeTaskDefinition" => DescribeTaskDefinitionOp(input),
                "DeregisterTaskDefinition" => DeregisterTaskDefinitionOp(input),
                "ListTaskDefinitions" => ListTaskDefinitionsOp(input),
                "UpdateService" => UpdateServiceOp(input),
                "DescribeServices" => DescribeServicesOp(input),
                "ListServiceDeployments" => ListServiceDeploymentsOp(input),
                "DescribeServiceDeployments" => DescribeServiceDeploymentsOp(input),
                "StopServiceDeployment" => StopServiceDeploymentOp(input),
                "DescribeServiceRevisions" => DescribeServiceRevisionsOp(input),
                "ListTasks" => ListTasksOp(input),
                "DescribeTasks" => DescribeTasksOp(input),
                _ => TryContainerInstanceOperation(operation, input, out var containerInstances) ? containerInstances
                    : throw new AwsSimulatorException("UnknownOperationException", $"Operation {operation} is not supported by the ECS simulator."),
            };
        }

        return Task.FromResult(Ok(output));
    }

    // ---- operations -------------------------------------------------------------------------------------------

    private JsonObject RegisterTaskDefinitionOp(JsonObject input)
    {
        var family = Str(input, "family") ?? throw Invalid("Family must be specified.");
        if (!FamilyPattern().IsMatch(family))
        {
            throw Client("Family contains invalid characters.");
        }

        if (input["containerDefinitions"] is not JsonArray containers || containers.Count == 0)
        {
            throw Client("Container list cannot be empty.");
        }

        foreach (var container in containers.OfType<JsonObject>())
        {
            if (Str(container, "name") is null || Str(container, "image") is null)
            {
                throw Client("Container.name and Container.image should not be null or empty.");
            }
        }

        var tags = input["tags"]?.DeepClone() as JsonArray;
        var body = (JsonObject)input.DeepClone();
        body.Remove("tags");
        var td = Register(body, tags);
        return new JsonObject { ["taskDefinition"] = TaskDefinitionJson(td), ["tags"] = tags?.DeepClone() ?? new JsonArray() };
    }

    private JsonObject DescribeTaskDefinitionOp(JsonObject input)
    {
        var reference = Str(input, "taskDefinition") ?? throw Invalid("taskDefinition can not be blank.");
        var td = ResolveTaskDefinition(reference) ?? throw Client("Unable to describe task definition.");
        var result = new JsonObject { ["taskDefinition"] = TaskDefinitionJson(td) };
        if (StrList(input, "include").Contains("TAGS"))
        {
            result["tags"] = td.Tags?.DeepClone() ?? new JsonArray();
        }

        return result;
    }

    private JsonObject DeregisterTaskDefinitionOp(JsonObject input)
    {
        var reference = Str(input, "taskDefinition") ?? throw Invalid("taskDefinition can not be blank.");
        if (ParseTaskDefinitionReference(reference).Revision is null)
        {
            throw Client("Revision must be specified to deregister a task definition.");
        }

        var td = ResolveTaskDefinition(reference) ?? throw Client("The specified task definition does not exist.");
        if (td.Status == "ACTIVE")
        {
            td.Status = "INACTIVE";
            td.DeregisteredAt = Clock.GetUtcNow();
        }

        return new JsonObject { ["taskDefinition"] = TaskDefinitionJson(td) };
    }

    private JsonObject ListTaskDefinitionsOp(JsonObject input)
    {
        var prefix = Str(input, "familyPrefix");
        var status = Str(input, "status") ?? "ACTIVE";
        var sort = Str(input, "sort") ?? "ASC";
        var all = _families.Values.SelectMany(f => f)
            .Where(td => (prefix is null || td.Family.StartsWith(prefix, StringComparison.Ordinal)) && td.Status == status)
            .OrderBy(td => td.Family, StringComparer.Ordinal).ThenBy(td => td.Revision)
            .Select(td => td.Arn).ToList();
        if (sort == "DESC")
        {
            all.Reverse();
        }

        return Page(all, input, "taskDefinitionArns");
    }

    private JsonObject UpdateServiceOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        var service = FindService(cluster, Str(input, "service") ?? throw Invalid("service can not be blank."));
        var now = Clock.GetUtcNow();
        if (Int(input, "desiredCount") is { } desired)
        {
            if (desired < 0)
            {
                throw Invalid("desiredCount can not be negative.");
            }

            service.DesiredCount = desired;
        }

        if (input["deploymentConfiguration"] is JsonObject configuration)
        {
            service.DeploymentConfiguration = (JsonObject)configuration.DeepClone();
        }

        if (Int(input, "healthCheckGracePeriodSeconds") is { } grace)
        {
            service.HealthCheckGracePeriodSeconds = grace;
        }

        var primary = service.Primary;
        EcsTaskDefinition? td = null;
        if (Str(input, "taskDefinition") is { } reference)
        {
            td = ResolveTaskDefinition(reference) ?? throw Client("TaskDefinition not found.");
            if (td.Status != "ACTIVE")
            {
                throw Client($"TaskDefinition is inactive");
            }
        }

        var force = input["forceNewDeployment"]?.GetValue<bool>() ?? false;
        if ((td is not null && td != primary.TaskDefinition) || force)
        {
            StartDeployment(service, td ?? primary.TaskDefinition, now);
        }
        else
        {
            primary.DesiredCount = service.DesiredCount;
            primary.UpdatedAt = now;
        }

        return new JsonObject { ["service"] = ServiceJson(service) };
    }

    private JsonObject DescribeServicesOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        if (input["services"] is not JsonArray)
        {
            throw Invalid("Services cannot be empty.");
        }

        var names = StrList(input, "services");
        if (names.Count == 0)
        {
            throw Invalid("Services cannot be empty.");
        }

        if (names.Count > 10)
        {
            throw Invalid("Too many services. Maximum is 10.");
        }

        var services = new JsonArray();
        var failures = new JsonArray();
        foreach (var name in names)
        {
            if (TryFindService(cluster, name) is { } service)
            {
                services.Add(ServiceJson(service));
            }
            else if (DaemonServiceJson(cluster, name) is { } daemon)
            {
                services.Add(daemon);
            }
            else
            {
                failures.Add(new JsonObject { ["arn"] = name.StartsWith("arn:", StringComparison.Ordinal) ? name : Arn($"service/{cluster.Name}/{name}"), ["reason"] = "MISSING" });
            }
        }

        return new JsonObject { ["services"] = services, ["failures"] = failures };
    }

    private JsonObject ListServiceDeploymentsOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        var service = FindService(cluster, Str(input, "service") ?? throw Invalid("service can not be blank."));
        var statuses = StrList(input, "status");
        var after = input["createdAt"]?["after"] is { } a ? FromEpoch(a) : (DateTimeOffset?)null;
        var before = input["createdAt"]?["before"] is { } b ? FromEpoch(b) : (DateTimeOffset?)null;
        var briefs = service.ServiceDeployments.AsEnumerable().Reverse()
            .Where(sd => (statuses.Count == 0 || statuses.Contains(sd.Status)) && (after is null || sd.CreatedAt >= after) && (before is null || sd.CreatedAt <= before))
            .Select(sd => (JsonNode)ServiceDeploymentBrief(service, sd)).ToList();
        return Page(briefs, input, "serviceDeployments", defaultLimit: 20);
    }

    private JsonObject DescribeServiceDeploymentsOp(JsonObject input)
    {
        var arns = StrList(input, "serviceDeploymentArns");
        if (arns.Count == 0)
        {
            throw Invalid("serviceDeploymentArns can not be empty.");
        }

        var found = new JsonArray();
        var failures = new JsonArray();
        foreach (var arn in arns)
        {
            var match = AllServices().SelectMany(s => s.ServiceDeployments.Select(sd => (s, sd))).FirstOrDefault(x => x.sd.Arn == arn);
            if (match.sd is null)
            {
                failures.Add(new JsonObject { ["arn"] = arn, ["reason"] = "MISSING" });
            }
            else
            {
                found.Add(ServiceDeploymentJson(match.s, match.sd));
            }
        }

        return new JsonObject { ["serviceDeployments"] = found, ["failures"] = failures };
    }

    private JsonObject StopServiceDeploymentOp(JsonObject input)
    {
        var arn = Str(input, "serviceDeploymentArn") ?? throw Invalid("serviceDeploymentArn can not be blank.");
        var stopType = Str(input, "stopType") ?? "ROLLBACK";
        if (stopType is not ("ROLLBACK" or "ABORT"))
        {
            throw Invalid($"Invalid stopType: {stopType}");
        }

        var match = AllServices().SelectMany(s => s.ServiceDeployments.Select(sd => (s, sd))).FirstOrDefault(x => x.sd.Arn == arn);
        if (match.sd is null)
        {
            throw new AwsSimulatorException("ServiceDeploymentNotFoundException", "The service deployment does not exist.");
        }

        var sd = match.sd;
        if (sd.Status is not ("PENDING" or "IN_PROGRESS") || sd.PendingStop is not null)
        {
            throw new AwsSimulatorException("ConflictException", $"The service deployment is in {sd.Status} status and can not be stopped.");
        }

        if (stopType == "ROLLBACK" && match.s.LastCompleted is null)
        {
            throw Invalid("There is no service revision to roll back to.");
        }

        sd.PendingStop = stopType;
        sd.Status = stopType == "ROLLBACK" ? "ROLLBACK_REQUESTED" : "STOP_REQUESTED";
        sd.UpdatedAt = Clock.GetUtcNow();
        return new JsonObject { ["serviceDeploymentArn"] = sd.Arn };
    }

    private JsonObject DescribeServiceRevisionsOp(JsonObject input)
    {
        var arns = StrList(input, "serviceRevisionArns");
        if (arns.Count == 0)
        {
            throw Invalid("serviceRevisionArns can not be empty.");
        }

        var found = new JsonArray();
        var failures = new JsonArray();
        foreach (var arn in arns)
        {
            var match = AllServices().SelectMany(s => s.Deployments.Select(d => (s, d.Revision))).FirstOrDefault(x => x.Revision.Arn == arn);
            if (match.Revision is null)
            {
                failures.Add(new JsonObject { ["arn"] = arn, ["reason"] = "MISSING" });
            }
            else
            {
                found.Add(ServiceRevisionJson(match.s, match.Revision));
            }
        }

        return new JsonObject { ["serviceRevisions"] = found, ["failures"] = failures };
    }

    private JsonObject ListTasksOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        var serviceName = Str(input, "serviceName");
        if (serviceName is not null)
        {
            serviceName = FindService(cluster, serviceName).Name;
        }

        var desired = Str(input, "desiredStatus") ?? "RUNNING";
        var family = Str(input, "family");
        var startedBy = Str(input, "startedBy");
        var containerInstance = Str(input, "containerInstance");
        var arns = cluster.Tasks
            .Where(t => (serviceName is null || t.ServiceName == serviceName)
                        && (containerInstance is null || IsPlacedOn(t, containerInstance))
                        && (family is null || t.TaskDefinition.Family == family)
                        && (startedBy is null || t.Deployment?.Id == startedBy)
                        && (desired == "STOPPED" ? t.DesiredStatus == "STOPPED" : t.DesiredStatus == "RUNNING" && (desired == "RUNNING" || t.IsPending)))
            .Select(t => t.Arn).ToList();
        return Page(arns, input, "taskArns");
    }

    private JsonObject DescribeTasksOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        var ids = StrList(input, "tasks");
        if (ids.Count == 0)
        {
            throw Invalid("Tasks cannot be empty.");
        }

        if (ids.Count > 100)
        {
            throw Invalid("Too many tasks. Maximum is 100.");
        }

        var tasks = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in ids)
        {
            var task = cluster.Tasks.FirstOrDefault(t => t.Arn == id || t.Id == id);
            if (task is null)
            {
                failures.Add(new JsonObject { ["arn"] = id.StartsWith("arn:", StringComparison.Ordinal) ? id : Arn($"task/{cluster.Name}/{id}"), ["reason"] = "MISSING" });
            }
            else
            {
                tasks.Add(TaskJson(cluster, task));
            }
        }

        return new JsonObject { ["tasks"] = tasks, ["failures"] = failures };
    }

    // ---- the deployment state machine -------------------------------------------------------------------------

    private void StartDeployment(EcsService service, EcsTaskDefinition td, DateTimeOffset now)
    {
        var previous = service.Primary;
        if (service.Current is { IsTerminal: false } inFlight)
        {
            inFlight.Status = "STOPPED";
            inFlight.StatusReason = "Service deployment was superseded by a new deployment.";
            inFlight.StoppedAt = now;
            inFlight.FinishedAt = now;
            inFlight.UpdatedAt = now;
        }

        previous.Status = "ACTIVE";
        previous.UpdatedAt = now;
        var sd = NewServiceDeployment(service, now);
        sd.SourceDeployments.AddRange(service.Listed.Where(d => service.Tasks.Any(t => t.IsActive && t.Deployment == d)));
        if (sd.SourceDeployments.Count == 0)
        {
            sd.SourceDeployments.Add(previous);
        }

        var deployment = new EcsDeployment(NewDeploymentId(), NewRevision(service, td, now), sd, now) { DesiredCount = service.DesiredCount };
        deployment.RolloutStateReason = $"ECS deployment {deployment.Id} in progress.";
        sd.Target = deployment;
        service.Deployments.Add(deployment);
    }

    private void Reconcile()
    {
        var now = Clock.GetUtcNow();
        while (_lastTick + Scenario.Tick <= now)
        {
            if (!AnythingInFlight() && !ContainerInstancesInFlight())
            {
                var ticks = (now - _lastTick).Ticks / Scenario.Tick.Ticks;
                _lastTick += TimeSpan.FromTicks(ticks * Scenario.Tick.Ticks);
                break;
            }

            _lastTick += Scenario.Tick;
            EvaluateAlarms(_lastTick);
            foreach (var service in AllServices().ToList())
            {
                Step(service, _lastTick);
            }

            StepContainerInstances(_lastTick);
        }

        PlaceTasks();
    }

    private bool AnythingInFlight() => AllServices().Any(s =>
        s.Tasks.Any(t => t.LastStatus != "STOPPED" && (t.DesiredStatus == "STOPPED" || t.LastStatus != "RUNNING" || t.HealthStatus == "UNKNOWN"))
        || s.Listed.Any(d => d.RolloutState == "IN_PROGRESS")
        || s.Tasks.Count(t => t.IsActive && t.Deployment == s.Primary) != s.Primary.DesiredCount && s.Primary.RolloutState != "FAILED"
        || s.ServiceDeployments.Any(sd => !sd.IsTerminal));

    private void Step(EcsService service, DateTimeOffset t)
    {
        AdvanceTasks(service, t);
        var sd = service.Current;
        if (sd is { Status: "PENDING" })
        {
            sd.Status = "IN_PROGRESS";
            sd.StartedAt = t;
            sd.UpdatedAt = t;
        }

        if (sd?.PendingStop is { } stop)
        {
            sd.PendingStop = null;
            if (stop == "ROLLBACK")
            {
                StartRollback(service, sd, t, "Service deployment rolled back because of a stop request.", "ECS deployment stopped by request");
            }
            else
            {
                var target = sd.Target!;
                target.RolloutState = "FAILED";
                target.RolloutStateReason = $"ECS deployment {target.Id} stopped.";
                sd.Status = "STOPPED";
                sd.StatusReason = "Service deployment stopped by a StopServiceDeployment request.";
                sd.StoppedAt = t;
                sd.FinishedAt = t;
                sd.UpdatedAt = t;
            }
        }

        var primary = service.Primary;
        if (primary.RolloutState == "IN_PROGRESS")
        {
            var breaker = service.DeploymentConfiguration["deploymentCircuitBreaker"] as JsonObject;
            var alarms = service.DeploymentConfiguration["alarms"] as JsonObject;
            if (Bool(breaker, "enable") && primary.FailedTasks >= Threshold(service))
            {
                Fail(service, primary, t, "tasks failed to start", "ECS deployment circuit breaker: tasks failed to start.", Bool(breaker, "rollback"), "circuit breaker");
            }
            else if (Bool(alarms, "enable") && StrList(alarms!, "alarmNames") is { Count: > 0 } names
                     && primary.FirstHealthyAt is { } healthy
                     && service.Tasks.FirstOrDefault(x => x.Deployment == primary && x.IsRunning && x.Behavior.Outcome == ImageOutcome.TripsAlarm) is { } culprit
                     && t >= healthy + culprit.Behavior.AlarmAfter)
            {
                primary.ServiceDeployment.AlarmStatus = "TRIGGERED";
                primary.ServiceDeployment.TriggeredAlarms.Add(names[0]);
                Fail(service, primary, t, "alarm detected", $"ECS deployment {primary.Id} failed: alarm(s) [{names[0]}] in ALARM state.", Bool(alarms, "rollback"), "alarm");
            }
        }

        primary = service.Primary;
        if (primary.RolloutState != "FAILED")
        {
            Schedule(service, primary, t);
        }

        if (primary.RolloutState == "IN_PROGRESS")
        {
            var healthy = service.Tasks.Count(x => x.Deployment == primary && x.IsRunning && x.HealthStatus == "HEALTHY");
            var others = service.Tasks.Count(x => x.Deployment != primary && x.LastStatus != "STOPPED");
            if (healthy >= primary.DesiredCount && others == 0)
            {
                primary.SteadySince ??= t;
                var alarms = service.DeploymentConfiguration["alarms"] as JsonObject;
                var bake = Int(service.DeploymentConfiguration, "bakeTimeInMinutes") is { } minutes
                    ? TimeSpan.FromMinutes(minutes)
                    : Bool(alarms, "enable") ? Scenario.AlarmMonitoringTime : TimeSpan.Zero;
                if (t >= primary.SteadySince + bake)
                {
                    Complete(service, primary, t);
                }
            }
            else
            {
                primary.SteadySince = null;
            }
        }
    }

    private void AdvanceTasks(EcsService service, DateTimeOffset t)
    {
        foreach (var task in service.Tasks.Where(x => x.LastStatus != "STOPPED").ToList())
        {
            var deployment = task.Deployment!;
            if (task.DesiredStatus == "STOPPED")
            {
                StopNow(task, t);
                continue;
            }

            if (task.LastStatus is "PROVISIONING" or "PENDING")
            {
                if (t >= task.CreatedAt + task.Behavior.StartDuration)
                {
                    if (task.Behavior.Outcome == ImageOutcome.CrashesAtStart)
                    {
                        task.DesiredStatus = "STOPPED";
                        task.StopCode = "EssentialContainerExited";
                        task.StoppedReason = "Essential container in task exited";
                        task.ExitCode = 1;
                        StopNow(task, t);
                        deployment.FailedTasks++;
                        deployment.UpdatedAt = t;
                        AddEvent(service, t, $"(service {service.Name}) has stopped 1 running tasks: (task {task.Id}).");
                    }
                    else
                    {
                        task.LastStatus = "RUNNING";
                        task.StartedAt = t;
                        task.Version++;
                    }
                }
                else if (task.LastStatus == "PROVISIONING")
                {
                    task.LastStatus = "PENDING";
                    task.Version++;
                }
            }
            else if (task.LastStatus == "RUNNING" && task.HealthStatus == "UNKNOWN" && t >= task.StartedAt + task.Behavior.HealthCheckDuration)
            {
                if (task.Behavior.Outcome == ImageOutcome.FailsTargetHealthChecks)
                {
                    // The container is up but its target answers 500; ECS replaces it once the load balancer has
                    // marked it unhealthy for the threshold count (and counts the replacement as a failed task).
                    if (t >= task.StartedAt + task.Behavior.HealthCheckDuration + task.Behavior.TargetUnhealthyDuration)
                    {
                        task.DesiredStatus = "STOPPED";
                        task.StopCode = "ServiceSchedulerInitiated";
                        task.StoppedReason = $"Task failed ELB health checks in (target-group {service.TargetGroupArn})";
                        StopNow(task, t);
                        deployment.FailedTasks++;
                        deployment.UpdatedAt = t;
                        AddEvent(service, t, $"(service {service.Name}) (task {task.Id}) failed ELB health checks in (target-group {service.TargetGroupArn}).");
                    }
                }
                else if (task.Behavior.Outcome == ImageOutcome.FailsHealthChecks)
                {
                    task.HealthStatus = "UNHEALTHY";
                    task.DesiredStatus = "STOPPED";
                    task.StopCode = "ServiceSchedulerInitiated";
                    task.StoppedReason = "Task failed container health checks";
                    StopNow(task, t);
                    deployment.FailedTasks++;
                    deployment.UpdatedAt = t;
                    AddEvent(service, t, $"(service {service.Name}) (task {task.Id}) failed container health checks.");
                }
                else
                {
                    task.HealthStatus = "HEALTHY";
                    task.HealthyAt = t;
                    task.Version++;
                    deployment.FirstHealthyAt ??= t;
                    var breaker = service.DeploymentConfiguration["deploymentCircuitBreaker"] as JsonObject;
                    if (breaker?["resetOnHealthyTask"]?.GetValue<bool>() ?? true)
                    {
                        deployment.FailedTasks = 0;
                    }
                }
            }
        }
    }

    private void Schedule(EcsService service, EcsDeployment primary, DateTimeOffset t)
    {
        var desired = primary.DesiredCount;
        var maxPercent = Int(service.DeploymentConfiguration, "maximumPercent") ?? 200;
        var minPercent = Int(service.DeploymentConfiguration, "minimumHealthyPercent") ?? 100;
        var maxTotal = Math.Max(desired, desired * maxPercent / 100);
        var minHealthy = (int)Math.Ceiling(desired * minPercent / 100.0);
        var old = service.Tasks.Where(x => x.Deployment != primary && x.IsActive).ToList();
        var stopped = new List<EcsTask>();
        foreach (var task in old.Where(x => !x.IsRunning))
        {
            stopped.Add(task);
        }

        var healthyNow = service.Tasks.Count(x => x.Deployment == primary && x.IsRunning && x.HealthStatus == "HEALTHY")
                         + old.Count(x => x.IsRunning);
        var canStop = Math.Max(0, healthyNow - minHealthy);
        stopped.AddRange(old.Where(x => x.IsRunning).Take(canStop));
        foreach (var task in stopped)
        {
            task.DesiredStatus = "STOPPED";
            task.StoppingAt = t;
            task.StopCode = "ServiceSchedulerInitiated";
            task.StoppedReason = $"Scaling activity initiated by (deployment {primary.Id})";
            task.Version++;
        }

        if (stopped.Count > 0)
        {
            AddEvent(service, t, $"(service {service.Name}) has stopped {stopped.Count} running tasks: {string.Join(' ', stopped.Select(x => $"(task {x.Id})"))}.");
        }

        foreach (var deployment in service.Listed.Where(d => d != primary))
        {
            deployment.DesiredCount = service.Tasks.Count(x => x.Deployment == deployment && x.IsActive);
        }

        var active = service.Tasks.Count(x => x.IsActive);
        var primaryActive = service.Tasks.Count(x => x.Deployment == primary && x.IsActive);
        var launch = Math.Min(desired - primaryActive, maxTotal - active);
        if (launch > 0)
        {
            var started = Enumerable.Range(0, launch).Select(_ => StartTask(service, primary, t)).ToList();
            AddEvent(service, t, $"(service {service.Name}) has started {launch} tasks: {string.Join(' ', started.Select(x => $"(task {x.Id})"))}.");
        }
        else if (launch < 0 && primary.RolloutState == "COMPLETED" && !HasTasksOnDrainingInstances(service))
        {
            foreach (var task in service.Tasks.Where(x => x.Deployment == primary && x.IsActive).Take(-launch).ToList())
            {
                task.DesiredStatus = "STOPPED";
                task.StoppingAt = t;
                task.StopCode = "ServiceSchedulerInitiated";
                task.StoppedReason = "Scaling activity initiated by (service)";
            }
        }
    }

    private static int Threshold(EcsService service)
    {
        var desired = Math.Max(service.DesiredCount, 1);
        var configuration = service.DeploymentConfiguration["deploymentCircuitBreaker"]?["thresholdConfiguration"] as JsonObject;
        var type = Str(configuration, "type") ?? "BOUNDED_PERCENT";
        var value = Int(configuration, "value") ?? 50;
        var percentOf = (int)Math.Ceiling(desired * value / 100.0);
        return type switch
        {
            "COUNT" => Math.Max(1, value),
            "UNBOUNDED_PERCENT" => Math.Max(1, percentOf),
            _ => Math.Clamp(percentOf, 3, 200),
        };
    }

    private void Fail(EcsService service, EcsDeployment primary, DateTimeOffset t, string eventReason, string rolloutReason, bool rollback, string trigger)
    {
        var sd = primary.ServiceDeployment;
        primary.RolloutState = "FAILED";
        primary.RolloutStateReason = rolloutReason;
        primary.UpdatedAt = t;
        AddEvent(service, t, $"(service {service.Name}) (deployment {primary.Id}) deployment failed: {eventReason}.");
        if (trigger == "circuit breaker")
        {
            sd.CircuitBreakerStatus = "TRIGGERED";
        }

        sd.UpdatedAt = t;
        if (primary.IsRollback)
        {
            sd.Status = "ROLLBACK_FAILED";
            sd.StatusReason = rolloutReason;
            sd.FinishedAt = t;
            return;
        }

        if (rollback && service.LastCompleted is not null)
        {
            StartRollback(service, sd, t, $"Service deployment rolled back because the {trigger} was triggered.",
                trigger == "alarm" ? "ECS deployment alarms" : "ECS deployment circuit breaker");
        }
        else
        {
            sd.Status = "STOPPED";
            sd.StatusReason = $"Service deployment stopped because the {trigger} was triggered and rollback is not enabled.";
            sd.StoppedAt = t;
            sd.FinishedAt = t;
        }
    }

    private void StartRollback(EcsService service, EcsServiceDeployment sd, DateTimeOffset t, string reason, string source)
    {
        var target = service.LastCompleted!;
        var primary = service.Primary;
        primary.Status = "ACTIVE";
        if (primary.RolloutState == "IN_PROGRESS")
        {
            primary.RolloutState = "FAILED";
            primary.RolloutStateReason = $"ECS deployment {primary.Id} stopped: rollback requested.";
        }

        primary.UpdatedAt = t;
        var rollback = new EcsDeployment(NewDeploymentId(), target.Revision, sd, t)
        {
            DesiredCount = service.DesiredCount,
            IsRollback = true,
            RolloutStateReason = $"{source}: rolling back to deploymentId {target.Id}.",
        };
        service.Deployments.Add(rollback);
        sd.Status = "ROLLBACK_IN_PROGRESS";
        sd.StatusReason = reason;
        sd.RollbackReason = reason;
        sd.RollbackStartedAt = t;
        sd.RollbackRevisionArn = target.Revision.Arn;
        sd.UpdatedAt = t;
        AddEvent(service, t, $"(service {service.Name}) rolling back to deployment {target.Id}.");
    }

    private void Complete(EcsService service, EcsDeployment primary, DateTimeOffset t)
    {
        primary.RolloutState = "COMPLETED";
        primary.RolloutStateReason = $"ECS deployment {primary.Id} completed.";
        primary.UpdatedAt = t;
        foreach (var other in service.Deployments.Where(d => d != primary))
        {
            other.Status = "INACTIVE";
        }

        service.LastCompleted = primary;
        var sd = primary.ServiceDeployment;
        sd.Status = primary.IsRollback ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL";
        sd.StatusReason ??= null;
        sd.FinishedAt = t;
        sd.UpdatedAt = t;
        if (sd.CircuitBreakerStatus == "MONITORING")
        {
            sd.CircuitBreakerStatus = "MONITORING_COMPLETE";
        }

        if (sd.AlarmStatus == "MONITORING")
        {
            sd.AlarmStatus = "MONITORING_COMPLETE";
        }

        AddEvent(service, t, $"(service {service.Name}) (deployment {primary.Id}) deployment completed.");
        AddEvent(service, t, $"(service {service.Name}) has reached a steady state.");
    }

    private static void StopNow(EcsTask task, DateTimeOffset t)
    {
        task.LastStatus = "STOPPED";
        task.DesiredStatus = "STOPPED";
        task.StoppingAt ??= t;
        task.StoppedAt = t;
        task.Version++;
    }

    private EcsTask StartTask(EcsService service, EcsDeployment deployment, DateTimeOffset t)
    {
        var id = NewHex(16);
        var host = (int)(Interlocked.Increment(ref _sequence) % 64000) + 10;
        var task = new EcsTask(id, Arn($"task/{service.Cluster.Name}/{id}"), deployment.TaskDefinition, deployment, service.Name, BehaviorOf(deployment.TaskDefinition), t)
        {
            PrivateIp = $"10.0.{host / 250}.{(host % 250) + 4}",
        };
        service.Cluster.Tasks.Add(task);
        return task;
    }

    private ImageBehavior BehaviorOf(EcsTaskDefinition td)
    {
        foreach (var (_, image) in td.Containers)
        {
            if (_images.TryGetValue(image, out var exact))
            {
                return exact;
            }

            var colon = image.LastIndexOf(':');
            if (colon >= 0 && _images.TryGetValue(image[colon..], out var byTag))
            {
                return byTag;
            }
        }

        return Scenario.DefaultImage;
    }

    private void AddEvent(EcsService service, DateTimeOffset t, string message)
    {
        var n = ++_sequence;
        service.Events.Insert(0, new EcsServiceEvent($"{n:x8}-{n % 0xffff:x4}-4{n % 0xfff:x3}-8{n % 0xfff:x3}-{n:x12}", t, message));
        if (service.Events.Count > 100)
        {
            service.Events.RemoveAt(service.Events.Count - 1);
        }
    }

    // ---- state helpers ----------------------------------------------------------------------------------------

    private EcsServiceDeployment NewServiceDeployment(EcsService service, DateTimeOffset now)
    {
        var sd = new EcsServiceDeployment(Arn($"service-deployment/{service.Cluster.Name}/{service.Name}/{NewAlnum(22)}"), now)
        {
            DeploymentConfiguration = service.DeploymentConfiguration.DeepClone(),
        };
        var breaker = service.DeploymentConfiguration["deploymentCircuitBreaker"] as JsonObject;
        sd.CircuitBreakerStatus = Bool(breaker, "enable") ? "MONITORING" : "DISABLED";
        sd.Threshold = Threshold(service);
        var alarms = service.DeploymentConfiguration["alarms"] as JsonObject;
        sd.AlarmStatus = Bool(alarms, "enable") ? "MONITORING" : "DISABLED";
        sd.AlarmNames.AddRange(alarms is null ? [] : StrList(alarms, "alarmNames"));
        service.ServiceDeployments.Add(sd);
        return sd;
    }

    private EcsServiceRevision NewRevision(EcsService service, EcsTaskDefinition td, DateTimeOffset now)
    {
        var number = 4000000000000000000L + Interlocked.Increment(ref _sequence);
        return new EcsServiceRevision(Arn($"service-revision/{service.Cluster.Name}/{service.Name}/{number}"), td, now);
    }

    private string NewDeploymentId() => $"ecs-svc/{9223370000000000000L + Interlocked.Increment(ref _sequence)}";

    private string NewHex(int bytes)
    {
        var buffer = new byte[bytes];
        _ids.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    private string NewAlnum(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[_ids.Next(alphabet.Length)]).ToArray());
    }

    private string Arn(string resource) => $"arn:aws:ecs:{Region}:{Options.AccountId}:{resource}";

    private EcsCluster EnsureCluster(string name)
    {
        if (!_clusters.TryGetValue(name, out var cluster))
        {
            cluster = new EcsCluster(name, Arn($"cluster/{name}"));
            _clusters[name] = cluster;
        }

        return cluster;
    }

    private IEnumerable<EcsService> AllServices() => _clusters.Values.SelectMany(c => c.Services.Values);

    private EcsCluster FindCluster(string? reference)
    {
        var name = reference is null ? "default" : reference.StartsWith("arn:", StringComparison.Ordinal) ? reference[(reference.LastIndexOf('/') + 1)..] : reference;
        return _clusters.TryGetValue(name, out var cluster) && (reference is null || !reference.StartsWith("arn:", StringComparison.Ordinal) || cluster.Arn == reference)
            ? cluster
            : throw new AwsSimulatorException("ClusterNotFoundException", "Cluster not found.");
    }

    private static EcsService? TryFindService(EcsCluster cluster, string reference)
    {
        var name = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference[(reference.LastIndexOf('/') + 1)..] : reference;
        return cluster.Services.TryGetValue(name, out var service) && (!reference.StartsWith("arn:", StringComparison.Ordinal) || service.Arn == reference) ? service : null;
    }

    private static EcsService FindService(EcsCluster cluster, string reference) =>
        TryFindService(cluster, reference) ?? throw new AwsSimulatorException("ServiceNotFoundException", "Service not found.");

    private EcsTaskDefinition Register(JsonObject body, JsonArray? tags)
    {
        var family = body["family"]!.GetValue<string>();
        if (!_families.TryGetValue(family, out var revisions))
        {
            revisions = [];
            _families[family] = revisions;
        }

        var revision = revisions.Count + 1;
        var td = new EcsTaskDefinition(family, revision, Arn($"task-definition/{family}:{revision}"), body, Clock.GetUtcNow()) { Tags = tags };
        revisions.Add(td);
        return td;
    }

    private static (string Family, int? Revision) ParseTaskDefinitionReference(string reference)
    {
        var text = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference[(reference.IndexOf("task-definition/", StringComparison.Ordinal) + "task-definition/".Length)..] : reference;
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return (text, null);
        }

        return int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? (text[..colon], revision)
            : throw new AwsSimulatorException("ClientException", $"Invalid revision number. Number: {text[(colon + 1)..]}");
    }

    private EcsTaskDefinition? ResolveTaskDefinition(string reference)
    {
        if (reference.StartsWith("arn:", StringComparison.Ordinal) && !reference.Contains(":task-definition/", StringComparison.Ordinal))
        {
            return null;
        }

        var (family, revision) = ParseTaskDefinitionReference(reference);
        if (!_families.TryGetValue(family, out var revisions))
        {
            return null;
        }

        return revision is { } r
            ? revisions.FirstOrDefault(td => td.Revision == r)
            : revisions.LastOrDefault(td => td.Status == "ACTIVE");
    }

    private static JsonObject SeedConfiguration(EcsServiceSeed seed)
    {
        var breaker = new JsonObject { ["enable"] = seed.CircuitBreakerEnabled, ["rollback"] = seed.CircuitBreakerRollback };
        if (seed.CircuitBreakerThreshold is { } threshold)
        {
            breaker["thresholdConfiguration"] = new JsonObject { ["type"] = threshold.Type, ["value"] = threshold.Value };
        }

        var configuration = new JsonObject
        {
            ["deploymentCircuitBreaker"] = breaker,
            ["maximumPercent"] = seed.MaximumPercent,
            ["minimumHealthyPercent"] = seed.MinimumHealthyPercent,
        };
        if (seed.Alarms.Count > 0)
        {
            configuration["alarms"] = new JsonObject
            {
                ["alarmNames"] = new JsonArray(seed.Alarms.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
                ["rollback"] = seed.AlarmRollback,
                ["enable"] = true,
            };
        }

        return configuration;
    }

    // ---- JSON shapes ------------------------------------------------------------------------------------------

    private JsonObject TaskDefinitionJson(EcsTaskDefinition td)
    {
        var json = (JsonObject)td.Body.DeepClone();
        json["taskDefinitionArn"] = td.Arn;
        json["revision"] = td.Revision;
        json["status"] = td.Status;
        json["compatibilities"] = new JsonArray("EC2");
        json["requiresAttributes"] = new JsonArray();
        json["registeredAt"] = Epoch(td.RegisteredAt);
        json["registeredBy"] = $"arn:aws:iam::{Options.AccountId}:user/ottkit-simulator";
        if (td.DeregisteredAt is { } deregistered)
        {
            json["deregisteredAt"] = Epoch(deregistered);
        }

        return json;
    }

    private JsonObject ServiceJson(EcsService service)
    {
        var primary = service.Primary;
        var listed = service.Listed.OrderByDescending(d => d.Status == "PRIMARY").ThenByDescending(d => d.CreatedAt).ToList();
        var json = new JsonObject
        {
            ["serviceArn"] = service.Arn,
            ["serviceName"] = service.Name,
            ["clusterArn"] = service.Cluster.Arn,
            ["loadBalancers"] = LoadBalancersJson(service),
            ["serviceRegistries"] = new JsonArray(),
            ["status"] = "ACTIVE",
            ["desiredCount"] = service.DesiredCount,
            ["runningCount"] = service.Tasks.Count(t => t.IsRunning),
            ["pendingCount"] = service.Tasks.Count(t => t.IsPending),
            ["launchType"] = service.LaunchType,
            ["taskDefinition"] = primary.TaskDefinition.Arn,
            ["deploymentConfiguration"] = service.DeploymentConfiguration.DeepClone(),
            ["deployments"] = new JsonArray(listed.Select(d => (JsonNode)DeploymentJson(service, d)).ToArray()),
            ["events"] = new JsonArray(service.Events.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id, ["createdAt"] = Epoch(e.CreatedAt), ["message"] = e.Message,
            }).ToArray()),
            ["createdAt"] = Epoch(service.CreatedAt),
            ["currentServiceDeployment"] = service.Current?.Arn,
            ["currentServiceRevisions"] = new JsonArray(listed.Select(d => d.Revision).Distinct().Select(r => (JsonNode)RevisionSummary(service, r)).ToArray()),
            ["placementConstraints"] = new JsonArray(),
            ["placementStrategy"] = new JsonArray(),
            ["schedulingStrategy"] = "REPLICA",
            ["deploymentController"] = new JsonObject { ["type"] = "ECS" },
            ["createdBy"] = $"arn:aws:iam::{Options.AccountId}:role/ottkit-simulator",
            ["enableECSManagedTags"] = false,
            ["propagateTags"] = "NONE",
            ["enableExecuteCommand"] = false,
            ["availabilityZoneRebalancing"] = "DISABLED",
        };
        if (service.HealthCheckGracePeriodSeconds is { } grace)
        {
            json["healthCheckGracePeriodSeconds"] = grace;
        }

        return json;
    }

    private static JsonObject DeploymentJson(EcsService service, EcsDeployment d) => new()
    {
        ["id"] = d.Id,
        ["status"] = d.Status,
        ["taskDefinition"] = d.TaskDefinition.Arn,
        ["desiredCount"] = d.DesiredCount,
        ["pendingCount"] = service.Tasks.Count(t => t.Deployment == d && t.IsPending),
        ["runningCount"] = service.Tasks.Count(t => t.Deployment == d && t.IsRunning),
        ["failedTasks"] = d.FailedTasks,
        ["createdAt"] = Epoch(d.CreatedAt),
        ["updatedAt"] = Epoch(d.UpdatedAt),
        ["launchType"] = service.LaunchType,
        ["rolloutState"] = d.RolloutState,
        ["rolloutStateReason"] = d.RolloutStateReason,
    };

    private static JsonObject RevisionSummary(EcsService service, EcsServiceRevision revision) => new()
    {
        ["arn"] = revision.Arn,
        ["requestedTaskCount"] = service.Listed.Where(d => d.Revision == revision).Sum(d => d.DesiredCount),
        ["runningTaskCount"] = service.Tasks.Count(t => t.Deployment?.Revision == revision && t.IsRunning),
        ["pendingTaskCount"] = service.Tasks.Count(t => t.Deployment?.Revision == revision && t.IsPending),
    };

    private static JsonObject ServiceDeploymentBrief(EcsService service, EcsServiceDeployment sd)
    {
        var json = new JsonObject
        {
            ["serviceDeploymentArn"] = sd.Arn,
            ["serviceArn"] = service.Arn,
            ["clusterArn"] = service.Cluster.Arn,
            ["createdAt"] = Epoch(sd.CreatedAt),
            ["targetServiceRevisionArn"] = sd.Target?.Revision.Arn,
            ["status"] = sd.Status,
        };
        Optional(json, "startedAt", sd.StartedAt);
        Optional(json, "finishedAt", sd.FinishedAt);
        if (sd.StatusReason is not null)
        {
            json["statusReason"] = sd.StatusReason;
        }

        return json;
    }

    private static JsonObject ServiceDeploymentJson(EcsService service, EcsServiceDeployment sd)
    {
        var json = new JsonObject
        {
            ["serviceDeploymentArn"] = sd.Arn,
            ["serviceArn"] = service.Arn,
            ["clusterArn"] = service.Cluster.Arn,
            ["createdAt"] = Epoch(sd.CreatedAt),
            ["updatedAt"] = Epoch(sd.UpdatedAt),
            ["sourceServiceRevisions"] = new JsonArray(sd.SourceDeployments.Select(d => d.Revision).Distinct().Select(r => (JsonNode)RevisionSummary(service, r)).ToArray()),
            ["targetServiceRevision"] = sd.Target is null ? null : RevisionSummary(service, sd.Target.Revision),
            ["status"] = sd.Status,
            ["deploymentConfiguration"] = sd.DeploymentConfiguration?.DeepClone(),
            ["deploymentCircuitBreaker"] = new JsonObject
            {
                ["status"] = sd.CircuitBreakerStatus,
                ["failureCount"] = service.Deployments.Where(d => d.ServiceDeployment == sd).Sum(d => d.FailedTasks),
                ["threshold"] = sd.Threshold,
            },
            ["alarms"] = new JsonObject
            {
                ["status"] = sd.AlarmStatus,
                ["alarmNames"] = new JsonArray(sd.AlarmNames.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
                ["triggeredAlarmNames"] = new JsonArray(sd.TriggeredAlarms.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            },
        };
        Optional(json, "startedAt", sd.StartedAt);
        Optional(json, "finishedAt", sd.FinishedAt);
        Optional(json, "stoppedAt", sd.StoppedAt);
        if (sd.StatusReason is not null)
        {
            json["statusReason"] = sd.StatusReason;
        }

        if (sd.RollbackRevisionArn is not null)
        {
            json["rollback"] = new JsonObject
            {
                ["reason"] = sd.RollbackReason,
                ["startedAt"] = Epoch(sd.RollbackStartedAt!.Value),
                ["serviceRevisionArn"] = sd.RollbackRevisionArn,
            };
        }

        return json;
    }

    private static JsonObject ServiceRevisionJson(EcsService service, EcsServiceRevision revision) => new()
    {
        ["serviceRevisionArn"] = revision.Arn,
        ["serviceArn"] = service.Arn,
        ["clusterArn"] = service.Cluster.Arn,
        ["taskDefinition"] = revision.TaskDefinition.Arn,
        ["launchType"] = service.LaunchType,
        ["loadBalancers"] = new JsonArray(),
        ["serviceRegistries"] = new JsonArray(),
        ["containerImages"] = new JsonArray(revision.TaskDefinition.Containers.Select(c => (JsonNode)new JsonObject
        {
            ["containerName"] = c.Name,
            ["image"] = c.Image,
            ["imageDigest"] = "sha256:" + SigV4.HexSha256(Encoding.UTF8.GetBytes(c.Image)),
        }).ToArray()),
        ["guardDutyEnabled"] = false,
        ["createdAt"] = Epoch(revision.CreatedAt),
    };

    private JsonObject TaskJson(EcsCluster cluster, EcsTask task)
    {
        var json = new JsonObject
        {
            ["taskArn"] = task.Arn,
            ["clusterArn"] = cluster.Arn,
            ["taskDefinitionArn"] = task.TaskDefinition.Arn,
            ["group"] = task.ServiceName is null ? $"family:{task.TaskDefinition.Family}" : $"service:{task.ServiceName}",
            ["lastStatus"] = task.LastStatus,
            ["desiredStatus"] = task.DesiredStatus,
            ["healthStatus"] = task.HealthStatus,
            ["createdAt"] = Epoch(task.CreatedAt),
            ["launchType"] = "EC2",
            ["cpu"] = "256",
            ["memory"] = "512",
            ["version"] = task.Version,
            ["availabilityZone"] = $"{Region}a",
            ["connectivity"] = "CONNECTED",
            ["connectivityAt"] = Epoch(task.CreatedAt),
            ["containers"] = new JsonArray(task.TaskDefinition.Containers.Select(c =>
            {
                var container = new JsonObject
                {
                    ["containerArn"] = Arn($"container/{cluster.Name}/{task.Id}/{SigV4.HexSha256(Encoding.UTF8.GetBytes(task.Id + c.Name))[..32]}"),
                    ["taskArn"] = task.Arn,
                    ["name"] = c.Name,
                    ["image"] = c.Image,
                    ["lastStatus"] = task.LastStatus,
                    ["healthStatus"] = task.HealthStatus,
                };
                if (task.ExitCode is { } exit)
                {
                    container["exitCode"] = exit;
                    container["reason"] = task.StoppedReason;
                }

                return (JsonNode)container;
            }).ToArray()),
            ["overrides"] = new JsonObject { ["containerOverrides"] = new JsonArray() },
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["id"] = SigV4.HexSha256(Encoding.UTF8.GetBytes("eni" + task.Id))[..36],
                ["type"] = "ElasticNetworkInterface",
                ["status"] = task.LastStatus == "STOPPED" ? "DELETED" : "ATTACHED",
                ["details"] = new JsonArray(
                    new JsonObject { ["name"] = "subnetId", ["value"] = "subnet-0a1b2c3d" },
                    new JsonObject { ["name"] = "privateIPv4Address", ["value"] = task.PrivateIp }),
            }),
        };
        if (task.Deployment is not null)
        {
            json["startedBy"] = task.Deployment.Id;
        }

        if (ContainerInstanceArnOf(task) is { } containerInstanceArn)
        {
            json["containerInstanceArn"] = containerInstanceArn;
        }

        Optional(json, "startedAt", task.StartedAt);
        Optional(json, "stoppingAt", task.StoppingAt);
        Optional(json, "stoppedAt", task.StoppedAt);
        Optional(json, "executionStoppedAt", task.StoppedAt);
        if (task.StopCode is not null)
        {
            json["stopCode"] = task.StopCode;
            json["stoppedReason"] = task.StoppedReason;
        }

        return json;
    }

    // ---- wire helpers -----------------------------------------------------------------------------------------

    private static JsonObject Page<T>(List<T> items, JsonObject input, string key, int defaultLimit = 100)
    {
        var max = Int(input, "maxResults") ?? defaultLimit;
        if (max < 1 || max > 100)
        {
            throw Invalid("maxResults must be between 1 and 100.");
        }

        var start = 0;
        if (Str(input, "nextToken") is { } token)
        {
            try
            {
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw Invalid("Invalid token");
            }
        }

        var page = items.Skip(start).Take(max).ToList();
        var result = new JsonObject
        {
            [key] = new JsonArray(page.Select(i => i is JsonNode node ? node : JsonValue.Create(i)).ToArray()),
        };
        if (start + max < items.Count)
        {
            result["nextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}|{start + max}"));
        }

        return result;
    }

    private static void Optional(JsonObject json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json[name] = Epoch(v);
        }
    }

    private static double Epoch(DateTimeOffset value) => value.ToUnixTimeMilliseconds() / 1000.0;

    private static DateTimeOffset FromEpoch(JsonNode node) => DateTimeOffset.FromUnixTimeMilliseconds((long)(node.GetValue<double>() * 1000));

    private static string? Str(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<int>(out var i) ? i : null;

    private static bool Bool(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<bool>(out var b) && b;

    private static List<string> StrList(JsonObject json, string name) =>
        (json[name] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? string.Empty).ToList();

    private static AwsSimulatorException Invalid(string message) => new("InvalidParameterException", message);

    private static AwsSimulatorException Client(string message) => new("ClientException", message);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,255}$")]
    private static partial Regex FamilyPattern();
}
