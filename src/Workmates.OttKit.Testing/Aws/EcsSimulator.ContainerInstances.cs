using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>A container instance (an EC2 host registered with a cluster) as the simulator keeps it.</summary>
internal sealed class SimulatedContainerInstance(string cluster, string id, string arn, string ec2InstanceId, DateTimeOffset registeredAt)
{
    public string Cluster { get; } = cluster;

    public string Id { get; } = id;

    public string Arn { get; } = arn;

    public string Ec2InstanceId { get; } = ec2InstanceId;

    public DateTimeOffset RegisteredAt { get; } = registeredAt;

    public string Status { get; set; } = "ACTIVE";

    public long Version { get; set; } = 1;
}

/// <summary>
/// Container instances and draining (<c>ListContainerInstances</c>, <c>DescribeContainerInstances</c>,
/// <c>UpdateContainerInstancesState</c>), as the ECS API reference describes UpdateContainerInstancesState: a
/// <c>DRAINING</c> instance gets no new task; its service tasks that are PENDING stop at once, RUNNING ones are replaced
/// on ACTIVE instances within the service's <c>maximumPercent</c> and stopped only while <c>minimumHealthyPercent</c>
/// of the desired count stays healthy; tasks that belong to no service are not affected; daemon tasks stop last, once
/// no other service task runs there, and start again when the instance is ACTIVE. There is no capacity model: any
/// ACTIVE instance can take any task (tasks are spread to the instance with the fewest).
/// </summary>
public sealed partial class EcsSimulator
{
    private readonly List<SimulatedContainerInstance> _containerInstances = [];
    private readonly Dictionary<string, SimulatedContainerInstance> _placements = new(StringComparer.Ordinal);
    private readonly List<(string Cluster, string Name, string TaskDefinitionArn)> _daemons = [];

    /// <summary>Registers an EC2 instance as an ACTIVE container instance of <paramref name="cluster"/> and returns its ARN.</summary>
    /// <param name="cluster">The cluster (created when absent).</param>
    /// <param name="ec2InstanceId">The EC2 instance id, for example <c>i-0a</c>.</param>
    /// <returns>The container instance ARN (<c>container-instance/&lt;cluster&gt;/&lt;id&gt;</c>).</returns>
    public string RegisterContainerInstance(string cluster, string ec2InstanceId)
    {
        lock (_state)
        {
            Reconcile();
            var c = EnsureCluster(cluster);
            var id = NewHex(16);
            var instance = new SimulatedContainerInstance(c.Name, id, Arn($"container-instance/{c.Name}/{id}"), ec2InstanceId, Clock.GetUtcNow());
            _containerInstances.Add(instance);
            StartDaemonTasks(instance, Clock.GetUtcNow());
            PlaceTasks();
            return instance.Arn;
        }
    }

    /// <summary>
    /// Adds a daemon service (scheduling strategy <c>DAEMON</c>): one RUNNING task on every ACTIVE container instance of
    /// the cluster, now and whenever an instance becomes ACTIVE. DescribeServices reports it with <c>schedulingStrategy</c> DAEMON.
    /// </summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="serviceName">The daemon service's name.</param>
    /// <param name="taskDefinition">A registered task definition (family:revision or ARN).</param>
    public void AddDaemonService(string cluster, string serviceName, string taskDefinition)
    {
        lock (_state)
        {
            Reconcile();
            var c = EnsureCluster(cluster);
            var td = ResolveTaskDefinition(taskDefinition) ?? throw new ArgumentException($"Unknown task definition '{taskDefinition}'.", nameof(taskDefinition));
            _daemons.Add((c.Name, serviceName, td.Arn));
            foreach (var instance in _containerInstances.Where(i => i.Cluster == c.Name && i.Status == "ACTIVE"))
            {
                StartDaemonTasks(instance, Clock.GetUtcNow());
            }
        }
    }

    /// <summary>Runs a task that belongs to no service on the container instance of <paramref name="ec2InstanceId"/> (RunTask/StartTask); draining does not stop it.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="ec2InstanceId">The host.</param>
    /// <param name="taskDefinition">A registered task definition.</param>
    /// <returns>The task ARN.</returns>
    public string RunStandaloneTask(string cluster, string ec2InstanceId, string taskDefinition)
    {
        lock (_state)
        {
            Reconcile();
            var c = FindCluster(cluster);
            var instance = _containerInstances.Single(i => i.Cluster == c.Name && i.Ec2InstanceId == ec2InstanceId);
            var td = ResolveTaskDefinition(taskDefinition) ?? throw new ArgumentException($"Unknown task definition '{taskDefinition}'.", nameof(taskDefinition));
            var id = NewHex(16);
            var now = Clock.GetUtcNow();
            var task = new EcsTask(id, Arn($"task/{c.Name}/{id}"), td, null, null, Scenario.DefaultImage, now) { LastStatus = "RUNNING", StartedAt = now, HealthStatus = "HEALTHY" };
            c.Tasks.Add(task);
            _placements[task.Arn] = instance;
            return task.Arn;
        }
    }

    /// <summary>Stops a task at once (StopTask), whatever it belongs to.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="taskArn">The task.</param>
    public void StopTaskNow(string cluster, string taskArn)
    {
        lock (_state)
        {
            Reconcile();
            var task = FindCluster(cluster).Tasks.Single(t => t.Arn == taskArn);
            task.StopCode = "UserInitiated";
            task.StoppedReason = "Task stopped by user";
            StopNow(task, Clock.GetUtcNow());
        }
    }

    /// <summary>The status of the container instance of <paramref name="ec2InstanceId"/> and its active tasks by group (after settling to the clock).</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="ec2InstanceId">The host.</param>
    /// <returns>Status, and the group (<c>service:name</c> or <c>family:name</c>) of each active task placed there.</returns>
    public (string Status, IReadOnlyList<string> TaskGroups) ContainerInstanceState(string cluster, string ec2InstanceId)
    {
        lock (_state)
        {
            Reconcile();
            var c = FindCluster(cluster);
            var instance = _containerInstances.Single(i => i.Cluster == c.Name && i.Ec2InstanceId == ec2InstanceId);
            return (instance.Status, [.. TasksOn(instance).Where(t => t.IsActive).Select(Group).Order(StringComparer.Ordinal)]);
        }
    }

    /// <summary>The container instance (EC2 instance id) each active task of <paramref name="service"/> is placed on.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="service">The service.</param>
    /// <returns>EC2 instance ids, one per active task (null for a task not placed).</returns>
    public IReadOnlyList<string?> ServiceTaskHosts(string cluster, string service)
    {
        lock (_state)
        {
            Reconcile();
            var c = FindCluster(cluster);
            return [.. c.Tasks.Where(t => t.ServiceName == service && t.IsActive).Select(t => _placements.GetValueOrDefault(t.Arn)?.Ec2InstanceId)];
        }
    }

    /// <summary>Whether a service has active tasks on a DRAINING instance (the scheduler then does not scale in: the drain replaces them).</summary>
    private bool HasTasksOnDrainingInstances(EcsService service) =>
        service.Tasks.Any(t => t.IsActive && _placements.TryGetValue(t.Arn, out var at) && at.Status == "DRAINING");

    /// <summary>How many tasks of <paramref name="service"/> are RUNNING and HEALTHY (after settling to the clock).</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="service">The service.</param>
    /// <returns>The count.</returns>
    public int RunningHealthy(string cluster, string service)
    {
        lock (_state)
        {
            Reconcile();
            return FindCluster(cluster).Tasks.Count(t => t.ServiceName == service && t.IsRunning && t.HealthStatus == "HEALTHY");
        }
    }

    private static string Group(EcsTask task) => task.ServiceName is null ? $"family:{task.TaskDefinition.Family}" : $"service:{task.ServiceName}";

    private IEnumerable<EcsTask> TasksOn(SimulatedContainerInstance instance) =>
        _clusters[instance.Cluster].Tasks.Where(t => _placements.TryGetValue(t.Arn, out var placed) && placed == instance);

    private bool IsDaemonTask(EcsTask task) => task.Deployment is null && task.ServiceName is { } name && _daemons.Any(d => d.Name == name);

    /// <summary>The container instance ARN of a task, for DescribeTasks (null when not placed).</summary>
    private string? ContainerInstanceArnOf(EcsTask task) => _placements.GetValueOrDefault(task.Arn)?.Arn;

    /// <summary>Whether <paramref name="task"/> runs on the container instance named by ARN or id.</summary>
    private bool IsPlacedOn(EcsTask task, string containerInstance) =>
        _placements.TryGetValue(task.Arn, out var placed) && (placed.Arn == containerInstance || placed.Id == containerInstance);

    private void StartDaemonTasks(SimulatedContainerInstance instance, DateTimeOffset now)
    {
        var cluster = _clusters[instance.Cluster];
        foreach (var daemon in _daemons.Where(d => d.Cluster == instance.Cluster))
        {
            if (TasksOn(instance).Any(t => t.IsActive && t.ServiceName == daemon.Name))
            {
                continue;
            }

            var td = ResolveTaskDefinition(daemon.TaskDefinitionArn)!;
            var id = NewHex(16);
            var task = new EcsTask(id, Arn($"task/{cluster.Name}/{id}"), td, null, daemon.Name, Scenario.DefaultImage, now) { LastStatus = "RUNNING", StartedAt = now, HealthStatus = "HEALTHY" };
            cluster.Tasks.Add(task);
            _placements[task.Arn] = instance;
        }
    }

    /// <summary>Places every active service task that has no container instance yet on the ACTIVE instance with the fewest tasks.</summary>
    private void PlaceTasks()
    {
        foreach (var cluster in _clusters.Values)
        {
            var active = _containerInstances.Where(i => i.Cluster == cluster.Name && i.Status == "ACTIVE").ToList();
            if (active.Count == 0)
            {
                continue;
            }

            foreach (var task in cluster.Tasks.Where(t => t.IsActive && !_placements.ContainsKey(t.Arn)))
            {
                var target = active.OrderBy(i => TasksOn(i).Count(t => t.IsActive && !IsDaemonTask(t))).ThenBy(i => i.Ec2InstanceId, StringComparer.Ordinal).First();
                _placements[task.Arn] = target;
            }
        }
    }

    /// <summary>Whether a drain still has work to do (keeps the clock ticking while nothing else is in flight).</summary>
    private bool ContainerInstancesInFlight() =>
        _containerInstances.Any(i => i.Status == "DRAINING" && TasksOn(i).Any(t => t.IsActive));

    /// <summary>One tick of draining: replacements within maximumPercent, stops within minimumHealthyPercent, daemons last.</summary>
    private void StepContainerInstances(DateTimeOffset t)
    {
        PlaceTasks();
        var draining = _containerInstances.Where(i => i.Status == "DRAINING").ToHashSet();
        if (draining.Count == 0)
        {
            return;
        }

        foreach (var service in AllServices().ToList())
        {
            var onDraining = service.Tasks.Where(x => x.IsActive && _placements.TryGetValue(x.Arn, out var at) && draining.Contains(at)).ToList();
            if (onDraining.Count == 0)
            {
                continue;
            }

            var primary = service.Primary;
            var desired = primary.DesiredCount;
            var maxPercent = Int(service.DeploymentConfiguration, "maximumPercent") ?? 200;
            var minPercent = Int(service.DeploymentConfiguration, "minimumHealthyPercent") ?? 100;
            var maxTotal = Math.Max(desired, desired * maxPercent / 100);
            var minHealthy = (int)Math.Ceiling(desired * minPercent / 100.0);

            // PENDING service tasks on a draining instance stop at once.
            var stop = onDraining.Where(x => !x.IsRunning).ToList();

            // RUNNING ones stop while the healthy count stays at or above minimumHealthyPercent of the desired count.
            var healthy = service.Tasks.Count(x => x.IsRunning && x.HealthStatus == "HEALTHY");
            var canStop = Math.Max(0, healthy - minHealthy);
            stop.AddRange(onDraining.Where(x => x.IsRunning).OrderBy(x => x.HealthStatus == "HEALTHY").ThenBy(x => x.Id, StringComparer.Ordinal).Take(canStop));
            foreach (var task in stop)
            {
                task.DesiredStatus = "STOPPED";
                task.StoppingAt = t;
                task.StopCode = "ServiceSchedulerInitiated";
                task.StoppedReason = "Service tasks on a container instance set to DRAINING are replaced.";
                task.Version++;
            }

            if (stop.Count > 0)
            {
                AddEvent(service, t, $"(service {service.Name}) has stopped {stop.Count} running tasks: {string.Join(' ', stop.Select(x => $"(task {x.Id})"))}.");
            }

            // Replacements on ACTIVE instances, up to maximumPercent of the desired count.
            if (_containerInstances.Any(i => i.Cluster == service.Cluster.Name && i.Status == "ACTIVE"))
            {
                var active = service.Tasks.Count(x => x.IsActive);
                var elsewhere = service.Tasks.Count(x => x.IsActive && !(_placements.TryGetValue(x.Arn, out var at) && draining.Contains(at)));
                var launch = Math.Min(desired - elsewhere, maxTotal - active);
                if (launch > 0)
                {
                    var started = Enumerable.Range(0, launch).Select(_ => StartTask(service, primary, t)).ToList();
                    PlaceTasks();
                    AddEvent(service, t, $"(service {service.Name}) has started {launch} tasks: {string.Join(' ', started.Select(x => $"(task {x.Id})"))}.");
                }
            }
        }

        // Daemon tasks stop last: once no other service task is active on the instance.
        foreach (var instance in draining)
        {
            var tasks = TasksOn(instance).Where(x => x.IsActive).ToList();
            if (tasks.All(x => IsDaemonTask(x) || x.ServiceName is null))
            {
                foreach (var daemon in tasks.Where(IsDaemonTask))
                {
                    daemon.StopCode = "ServiceSchedulerInitiated";
                    daemon.StoppedReason = "Daemon tasks on a container instance set to DRAINING are stopped last.";
                    StopNow(daemon, t);
                }
            }
        }
    }

    private bool TryContainerInstanceOperation(string operation, JsonObject input, out JsonObject output)
    {
        output = operation switch
        {
            "ListContainerInstances" => ListContainerInstancesOp(input),
            "DescribeContainerInstances" => DescribeContainerInstancesOp(input),
            "UpdateContainerInstancesState" => UpdateContainerInstancesStateOp(input),
            _ => null!,
        };
        return output is not null;
    }

    /// <summary>What ECS authorizes the container-instance calls on (IAM's catalogue: cluster for List, container-instance for the others).</summary>
    private List<Iam.IamRequest>? ContainerInstanceAuthorization(string operation, JsonObject input, string clusterName)
    {
        var clusterArn = Arn("ecs", $"cluster/{clusterName}");
        string InstanceArn(string reference) => reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : Arn("ecs", $"container-instance/{clusterName}/{reference}");
        var condition = new Dictionary<string, string> { ["ecs:cluster"] = clusterArn };
        return operation switch
        {
            "ListContainerInstances" => [new($"ecs:{operation}", clusterArn)],
            "DescribeContainerInstances" or "UpdateContainerInstancesState" =>
                [.. StrList(input, "containerInstances").Select(r => new Iam.IamRequest($"ecs:{operation}", InstanceArn(r), condition))],
            _ => null,
        };
    }

    private JsonObject ListContainerInstancesOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        var status = Str(input, "status");
        if (status is not null && status is not ("ACTIVE" or "DRAINING" or "REGISTERING" or "DEREGISTERING" or "REGISTRATION_FAILED"))
        {
            throw Invalid($"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED]");
        }

        if (Str(input, "filter") is not null)
        {
            throw Invalid("The ECS simulator does not evaluate cluster query language filters.");
        }

        var arns = _containerInstances
            .Where(i => i.Cluster == cluster.Name && (status is null ? i.Status is "ACTIVE" or "DRAINING" : i.Status == status))
            .Select(i => i.Arn).ToList();
        return Page(arns, input, "containerInstanceArns");
    }

    private JsonObject DescribeContainerInstancesOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        var references = StrList(input, "containerInstances");
        if (references.Count == 0)
        {
            throw Invalid("ContainerInstances cannot be empty.");
        }

        if (references.Count > 100)
        {
            throw Invalid("Too many containerInstances. Maximum is 100.");
        }

        var found = new JsonArray();
        var failures = new JsonArray();
        foreach (var reference in references)
        {
            if (FindContainerInstance(cluster, reference) is { } instance)
            {
                found.Add(ContainerInstanceJson(instance));
            }
            else
            {
                failures.Add(new JsonObject { ["arn"] = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : Arn($"container-instance/{cluster.Name}/{reference}"), ["reason"] = "MISSING" });
            }
        }

        return new JsonObject { ["containerInstances"] = found, ["failures"] = failures };
    }

    private JsonObject UpdateContainerInstancesStateOp(JsonObject input)
    {
        var cluster = FindCluster(Str(input, "cluster"));
        var references = StrList(input, "containerInstances");
        var status = Str(input, "status") ?? throw Invalid("status can not be blank.");
        if (status is not ("ACTIVE" or "DRAINING"))
        {
            throw Invalid($"Container instances status should be one of [ACTIVE,DRAINING].");
        }

        if (references.Count == 0)
        {
            throw Invalid("ContainerInstances cannot be empty.");
        }

        if (references.Count > 10)
        {
            throw Invalid("Too many containerInstances. Maximum is 10.");
        }

        var now = Clock.GetUtcNow();
        var updated = new JsonArray();
        var failures = new JsonArray();
        foreach (var reference in references)
        {
            if (FindContainerInstance(cluster, reference) is not { } instance)
            {
                failures.Add(new JsonObject { ["arn"] = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : Arn($"container-instance/{cluster.Name}/{reference}"), ["reason"] = "MISSING" });
                continue;
            }

            if (instance.Status != status)
            {
                instance.Status = status;
                instance.Version++;
                if (status == "ACTIVE")
                {
                    StartDaemonTasks(instance, now);
                    PlaceTasks();
                }
            }

            updated.Add(ContainerInstanceJson(instance));
        }

        return new JsonObject { ["containerInstances"] = updated, ["failures"] = failures };
    }

    private SimulatedContainerInstance? FindContainerInstance(EcsCluster cluster, string reference) =>
        _containerInstances.FirstOrDefault(i => i.Cluster == cluster.Name && (i.Arn == reference || i.Id == reference));

    private JsonObject ContainerInstanceJson(SimulatedContainerInstance instance)
    {
        // A task told to stop still runs until it has stopped: it counts.
        var tasks = TasksOn(instance).Where(t => t.LastStatus != "STOPPED").ToList();
        return new JsonObject
        {
            ["containerInstanceArn"] = instance.Arn,
            ["ec2InstanceId"] = instance.Ec2InstanceId,
            ["version"] = instance.Version,
            ["versionInfo"] = new JsonObject { ["agentVersion"] = "1.89.0", ["agentHash"] = "d5ef0e1c", ["dockerVersion"] = "DockerVersion: 25.0.8" },
            ["remainingResources"] = new JsonArray(),
            ["registeredResources"] = new JsonArray(),
            ["status"] = instance.Status,
            ["agentConnected"] = true,
            ["runningTasksCount"] = tasks.Count(t => t.LastStatus == "RUNNING"),
            ["pendingTasksCount"] = tasks.Count(t => t.LastStatus != "RUNNING"),
            ["attributes"] = new JsonArray(new JsonObject { ["name"] = "ecs.instance-type", ["value"] = "m6i.xlarge" }),
            ["registeredAt"] = Epoch(instance.RegisteredAt),
            ["attachments"] = new JsonArray(),
            ["tags"] = new JsonArray(),
        };
    }

    /// <summary>DescribeServices' answer for a daemon service (null when <paramref name="name"/> is none).</summary>
    private JsonObject? DaemonServiceJson(EcsCluster cluster, string name)
    {
        var shortName = name.StartsWith("arn:", StringComparison.Ordinal) ? name[(name.LastIndexOf('/') + 1)..] : name;
        if (!_daemons.Any(d => d.Cluster == cluster.Name && d.Name == shortName))
        {
            return null;
        }

        var daemon = _daemons.First(d => d.Cluster == cluster.Name && d.Name == shortName);
        var running = cluster.Tasks.Count(t => t.ServiceName == shortName && t.IsRunning);
        return new JsonObject
        {
            ["serviceArn"] = Arn($"service/{cluster.Name}/{shortName}"),
            ["serviceName"] = shortName,
            ["clusterArn"] = cluster.Arn,
            ["status"] = "ACTIVE",
            ["desiredCount"] = _containerInstances.Count(i => i.Cluster == cluster.Name && i.Status == "ACTIVE"),
            ["runningCount"] = running,
            ["pendingCount"] = 0,
            ["launchType"] = "EC2",
            ["taskDefinition"] = daemon.TaskDefinitionArn,
            ["schedulingStrategy"] = "DAEMON",
            ["deploymentConfiguration"] = new JsonObject { ["maximumPercent"] = 100, ["minimumHealthyPercent"] = 0 },
        };
    }
}
