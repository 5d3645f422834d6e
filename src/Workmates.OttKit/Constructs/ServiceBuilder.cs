using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// One service stack: log group (retention, KMS); execution and task roles with least privilege; task definition
/// (awsvpc, non-root, read-only root with a tmpfs /tmp, health check, awslogs, secrets from Secrets Manager/SSM);
/// target group; listener rule; 5xx and latency alarms; ECS service (private subnets, no public IP, spread across
/// AZs, circuit breaker and alarms with rollback, 100/200 %, AZ rebalancing). Scaling comes from <see cref="AutoscalingBuilder"/>.
/// </summary>
internal static class ServiceBuilder
{
    /// <summary>
    /// A rollback alarm also tells the environment's alarm topic (Control Tower CT.CLOUDWATCH.PR.1), named rather
    /// than imported: the monitoring stack reads the service stacks' exports, so it deploys after them.
    /// </summary>
    private static void Notify(string? alarmTopicName, Resource alarm)
    {
        if (alarmTopicName is null)
        {
            return;
        }

        var topic = Fn.Sub($"arn:${{AWS::Partition}}:sns:${{AWS::Region}}:${{AWS::AccountId}}:{alarmTopicName}");
        alarm.Properties["AlarmActions"] = new CfnList { topic };
        alarm.Properties["OKActions"] = new CfnList { topic };
    }

    /// <summary>The deployment alarms of a service (ECS rolls back on them; the deployer reads their state).</summary>
    public static (string ServerErrors, string Latency) AlarmNames(PlatformNaming naming, string service) =>
        ($"{naming.Env}-{service}-5xx", $"{naming.Env}-{service}-latency");

    /// <summary>Builds one service's stack.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="scope">The service's stack.</param>
    /// <param name="props">The service's props.</param>
    /// <param name="security">The logs key of its log group.</param>
    /// <param name="network">The VPC and private subnets of its tasks.</param>
    /// <param name="cluster">The cluster and capacity provider it runs on.</param>
    /// <param name="repositories">The repository of its image.</param>
    /// <param name="loadBalancer">The listener, security group and metrics dimension in front of it.</param>
    /// <param name="database">The database, when the service is one of its clients.</param>
    /// <returns>The service's handles.</returns>
    public static Service Build(PlatformNaming naming, StackScope scope, ServiceProps props, SecurityBaseline security, Network network, Cluster cluster, Repositories repositories, LoadBalancer loadBalancer, Database? database)
    {
        var service = props.Service;
        var id = PlatformNaming.Pascal(service.Name);
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: service {service.Name}";

        var imageTag = t.Add(new Parameter("ImageTag")
        {
            Description = $"Image tag of {service.Name} to run (tags are immutable: each deploy names a new one)",
            AllowedPattern = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
            ConstraintDescription = "an image tag: letters, digits, _ . - (at most 128 characters)",
        });

        var logGroupName = $"/ottkit/{naming.Env}/{service.Name}";
        var logs = t.AddResource("LogGroup", "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = logGroupName,
            ["RetentionInDays"] = service.LogRetentionDays,
            ["KmsKeyId"] = security.LogsKey.Arn.In(scope),
            ["Tags"] = naming.Tags(service.Name),
        });
        logs.DeletionPolicy = DeletionPolicy.Retain;
        logs.UpdateReplacePolicy = UpdateReplacePolicy.Retain;

        var repositoryArn = repositories[id].Arn.In(scope);
        var execution = new PolicyDocument
        {
            new PolicyStatement
            {
                Sid = "PullOwnImage",
                Actions = { "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage" },
                Resources = { repositoryArn },
            },
            new PolicyStatement
            {
                // GetAuthorizationToken has no resource-level permissions: AWS requires "*" as its resource.
                Sid = "RegistryLogin",
                Actions = { "ecr:GetAuthorizationToken" },
                Resources = { "*" },
            },
            new PolicyStatement
            {
                Sid = "WriteOwnLogs",
                Actions = { "logs:CreateLogStream", "logs:PutLogEvents" },
                Resources = { Fn.Sub("${LogGroup.Arn}") },
            },
        };
        var secrets = service.Secrets.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => (Name: s.Key, Reference: ParseSecret(s.Value)))
            .ToArray();
        var secretArns = secrets.Where(s => s.Reference.Store == SecretStore.SecretsManager).Select(s => SecretPolicyArn(s.Reference)).Distinct().ToArray();
        if (secretArns.Length > 0)
        {
            execution.Add(new PolicyStatement { Sid = "ReadOwnSecrets", Actions = { "secretsmanager:GetSecretValue" }, Resources = [.. secretArns] });
        }

        var parameterArns = secrets.Where(s => s.Reference.Store == SecretStore.ParameterStore).Select(s => ParameterArn(s.Reference)).Distinct().ToArray();
        if (parameterArns.Length > 0)
        {
            execution.Add(new PolicyStatement { Sid = "ReadOwnParameters", Actions = { "ssm:GetParameters" }, Resources = [.. parameterArns] });
        }

        var executionRole = t.AddResource("ExecutionRole", "AWS::IAM::Role", new CfnObject
        {
            ["Path"] = naming.TaskRolePath,
            ["Description"] = $"{naming.Env}/{service.Name}: ECS pulls the image, writes logs and reads this service's secrets",
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = "task-execution", ["PolicyDocument"] = execution.ToNode() } },
            ["Tags"] = naming.Tags(service.Name),
        });
        var taskRole = t.AddResource("TaskRole", "AWS::IAM::Role", new CfnObject
        {
            ["Path"] = naming.TaskRolePath,
            ["Description"] = $"{naming.Env}/{service.Name}: the application's own permissions (none by default)",
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Tags"] = naming.Tags(service.Name),
        });

        var taskGroup = t.AddResource("TaskSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
        {
            ["GroupDescription"] = $"{naming.Env}/{service.Name}: container port from the load balancer only",
            ["VpcId"] = network.VpcId.In(scope),
            ["SecurityGroupIngress"] = new CfnList
            {
                new CfnObject
                {
                    ["IpProtocol"] = "tcp",
                    ["FromPort"] = service.ContainerPort,
                    ["ToPort"] = service.ContainerPort,
                    ["SourceSecurityGroupId"] = loadBalancer.LoadBalancerSecurityGroupId.In(scope),
                    ["Description"] = "From the load balancer",
                },
            },
            ["SecurityGroupEgress"] = new CfnList
            {
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "HTTPS to AWS APIs and partners" },
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 0, ["ToPort"] = 65535, ["CidrIp"] = network.VpcCidr.In(scope), ["Description"] = "Services and data stores in the VPC" },
            },
            ["Tags"] = naming.Tags(service.Name),
        });

        var databaseClient = props.DatabaseClient ? database ?? throw new InvalidOperationException($"Service '{service.Name}' is a database client, but no database was built.") : null;
        if (databaseClient is not null)
        {
            // The rule lives with the client: the service stack deploys after the database and takes its rule along when deleted.
            t.AddResource("DatabaseIngress", "AWS::EC2::SecurityGroupIngress", new CfnObject
            {
                ["GroupId"] = databaseClient.SecurityGroupId.In(scope),
                ["IpProtocol"] = "tcp",
                ["FromPort"] = SpecDefaults.MongoPort,
                ["ToPort"] = SpecDefaults.MongoPort,
                ["SourceSecurityGroupId"] = taskGroup.GetAtt("GroupId"),
                ["Description"] = $"MongoDB from {service.Name}",
            });
        }

        var container = new CfnObject
        {
            ["Name"] = service.Name,
            ["Image"] = Fn.Sub("${Uri}:${ImageTag}", new CfnObject { ["Uri"] = repositories[id].Uri.In(scope) }),
            ["Essential"] = true,
            // A hard memory limit for the only container: the task's memory (Control Tower CT.ECS.PR.7).
            ["Memory"] = service.Memory,
            ["PortMappings"] = new CfnList { new CfnObject { ["ContainerPort"] = service.ContainerPort, ["Protocol"] = "tcp", ["AppProtocol"] = "http", ["Name"] = "http" } },
            ["HealthCheck"] = new CfnObject
            {
                // The services are NodeJS: node is in every image, curl and wget are not.
                ["Command"] = new CfnList
                {
                    "CMD-SHELL",
                    service.ContainerHealthCheckCommand
                        ?? $"node -e \"require('http').get('http://127.0.0.1:{service.ContainerPort.ToString(CultureInfo.InvariantCulture)}{service.HealthCheckPath}',r=>process.exit(r.statusCode<400?0:1)).on('error',()=>process.exit(1))\"",
                },
                ["Interval"] = 15,
                ["Timeout"] = 5,
                ["Retries"] = 3,
                ["StartPeriod"] = Math.Clamp(service.HealthCheckGraceSeconds, 0, 300),
            },
            ["ReadonlyRootFilesystem"] = !service.Weakenings.WritableRootFilesystem,
            ["Privileged"] = false,
            ["LinuxParameters"] = new CfnObject
            {
                ["InitProcessEnabled"] = true,
                ["Tmpfs"] = new CfnList { new CfnObject { ["ContainerPath"] = "/tmp", ["Size"] = 64, ["MountOptions"] = new CfnList { "rw", "noexec", "nosuid" } } },
            },
            ["LogConfiguration"] = new CfnObject
            {
                ["LogDriver"] = "awslogs",
                ["Options"] = new CfnObject
                {
                    ["awslogs-group"] = logs.Ref(),
                    ["awslogs-region"] = Pseudo.Region,
                    ["awslogs-stream-prefix"] = service.Name,
                    ["mode"] = "non-blocking",
                },
            },
        };
        if (!service.Weakenings.RunAsRoot)
        {
            container["User"] = SpecDefaults.ContainerUser;
        }

        if (service.Environment.Count > 0)
        {
            container["Environment"] = new CfnList([.. service.Environment.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => (CfnNode)new CfnObject { ["Name"] = e.Key, ["Value"] = e.Value })]);
        }

        if (secrets.Length > 0)
        {
            container["Secrets"] = new CfnList([.. secrets.Select(s => (CfnNode)new CfnObject { ["Name"] = s.Name, ["ValueFrom"] = ValueFrom(s.Reference) })]);
        }

        var task = t.AddResource("TaskDefinition", "AWS::ECS::TaskDefinition", new CfnObject
        {
            ["Family"] = $"{naming.Env}-{service.Name}",
            ["NetworkMode"] = "awsvpc",
            ["RequiresCompatibilities"] = new CfnList { "EC2" },
            ["Cpu"] = service.Cpu.ToString(CultureInfo.InvariantCulture),
            ["Memory"] = service.Memory.ToString(CultureInfo.InvariantCulture),
            ["ExecutionRoleArn"] = executionRole.GetAtt("Arn"),
            ["TaskRoleArn"] = taskRole.GetAtt("Arn"),
            ["RuntimePlatform"] = ClusterBuilder.RuntimePlatform(props.ClusterInstanceTypes),
            ["ContainerDefinitions"] = new CfnList { container },
            ["Tags"] = naming.Tags(service.Name),
        });

        var targets = t.AddResource("TargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", new CfnObject
        {
            ["VpcId"] = network.VpcId.In(scope),
            ["TargetType"] = "ip",
            ["Protocol"] = "HTTP",
            ["ProtocolVersion"] = "HTTP1",
            ["Port"] = service.ContainerPort,
            ["HealthCheckEnabled"] = true,
            ["HealthCheckPath"] = service.HealthCheckPath,
            ["HealthCheckProtocol"] = "HTTP",
            ["HealthCheckIntervalSeconds"] = 15,
            ["HealthCheckTimeoutSeconds"] = 5,
            ["HealthyThresholdCount"] = 2,
            ["UnhealthyThresholdCount"] = 3,
            ["Matcher"] = new CfnObject { ["HttpCode"] = "200-399" },
            ["TargetGroupAttributes"] = new CfnList
            {
                new CfnObject { ["Key"] = "deregistration_delay.timeout_seconds", ["Value"] = SpecDefaults.DeregistrationDelaySeconds.ToString(CultureInfo.InvariantCulture) },
            },
            ["Tags"] = naming.Tags(service.Name),
        });

        var routing = service.EffectiveRouting;
        var conditions = new CfnList();
        if (routing.PathPatterns.Count > 0)
        {
            conditions.Add(new CfnObject { ["Field"] = "path-pattern", ["PathPatternConfig"] = new CfnObject { ["Values"] = new CfnList([.. routing.PathPatterns.Select(p => (CfnNode)p)]) } });
        }

        if (routing.Hosts.Count > 0)
        {
            conditions.Add(new CfnObject { ["Field"] = "host-header", ["HostHeaderConfig"] = new CfnObject { ["Values"] = new CfnList([.. routing.Hosts.Select(h => (CfnNode)h)]) } });
        }

        var rule = t.AddResource("ListenerRule", "AWS::ElasticLoadBalancingV2::ListenerRule", new CfnObject
        {
            ["ListenerArn"] = loadBalancer.HttpsListenerArn.In(scope),
            ["Priority"] = props.RulePriority,
            ["Conditions"] = conditions,
            ["Actions"] = new CfnList { new CfnObject { ["Type"] = "forward", ["TargetGroupArn"] = targets.Ref() } },
        });

        var loadBalancerName = loadBalancer.LoadBalancerFullName.In(scope);
        var (errorsAlarm, latencyAlarm) = AlarmNames(naming, service.Name);
        var dimensions = new CfnList
        {
            new CfnObject { ["Name"] = "LoadBalancer", ["Value"] = loadBalancerName },
            new CfnObject { ["Name"] = "TargetGroup", ["Value"] = targets.GetAtt("TargetGroupFullName") },
        };
        var serverErrors = t.AddResource("ServerErrorsAlarm", "AWS::CloudWatch::Alarm", new CfnObject
        {
            ["AlarmName"] = errorsAlarm,
            ["AlarmDescription"] = $"{service.Name} answers 5xx: rolls back a deployment in progress",
            ["Namespace"] = "AWS/ApplicationELB",
            ["MetricName"] = "HTTPCode_Target_5XX_Count",
            ["Dimensions"] = dimensions,
            ["Statistic"] = "Sum",
            ["Period"] = 60,
            ["EvaluationPeriods"] = 3,
            ["DatapointsToAlarm"] = 2,
            ["Threshold"] = 10,
            ["ComparisonOperator"] = "GreaterThanThreshold",
            ["TreatMissingData"] = "notBreaching",
        });
        Notify(props.AlarmTopicName, serverErrors);
        var latency = t.AddResource("LatencyAlarm", "AWS::CloudWatch::Alarm", new CfnObject
        {
            ["AlarmName"] = latencyAlarm,
            ["AlarmDescription"] = $"{service.Name} p95 response time above 2 s: rolls back a deployment in progress",
            ["Namespace"] = "AWS/ApplicationELB",
            ["MetricName"] = "TargetResponseTime",
            ["Dimensions"] = dimensions.DeepClone(),
            ["ExtendedStatistic"] = "p95",
            ["Period"] = 60,
            ["EvaluationPeriods"] = 3,
            ["DatapointsToAlarm"] = 3,
            ["Threshold"] = 2,
            ["ComparisonOperator"] = "GreaterThanThreshold",
            ["TreatMissingData"] = "notBreaching",
        });
        Notify(props.AlarmTopicName, latency);

        var ecsService = t.AddResource("Service", "AWS::ECS::Service", new CfnObject
        {
            ["ServiceName"] = service.Name,
            ["Cluster"] = cluster.ClusterName.In(scope),
            ["TaskDefinition"] = task.Ref(),
            ["DesiredCount"] = service.Scaling.DesiredTasks,
            ["CapacityProviderStrategy"] = new CfnList
            {
                new CfnObject { ["CapacityProvider"] = cluster.CapacityProviderName.In(scope), ["Weight"] = 1, ["Base"] = 0 },
            },
            ["NetworkConfiguration"] = new CfnObject
            {
                ["AwsvpcConfiguration"] = new CfnObject
                {
                    ["AssignPublicIp"] = "DISABLED",
                    ["Subnets"] = Fn.Split(",", network.PrivateSubnetIds.In(scope)),
                    ["SecurityGroups"] = new CfnList { taskGroup.GetAtt("GroupId") },
                },
            },
            ["LoadBalancers"] = new CfnList
            {
                new CfnObject { ["ContainerName"] = service.Name, ["ContainerPort"] = service.ContainerPort, ["TargetGroupArn"] = targets.Ref() },
            },
            ["HealthCheckGracePeriodSeconds"] = service.HealthCheckGraceSeconds,
            ["DeploymentController"] = new CfnObject { ["Type"] = "ECS" },
            ["DeploymentConfiguration"] = new CfnObject
            {
                ["MinimumHealthyPercent"] = 100,
                ["MaximumPercent"] = 200,
                ["DeploymentCircuitBreaker"] = new CfnObject { ["Enable"] = true, ["Rollback"] = true },
                ["Alarms"] = new CfnObject { ["AlarmNames"] = new CfnList { errorsAlarm, latencyAlarm }, ["Enable"] = true, ["Rollback"] = true },
            },
            ["PlacementStrategies"] = new CfnList
            {
                new CfnObject { ["Type"] = "spread", ["Field"] = "attribute:ecs.availability-zone" },
                new CfnObject { ["Type"] = "binpack", ["Field"] = "memory" },
            },
            ["AvailabilityZoneRebalancing"] = "ENABLED",
            ["EnableECSManagedTags"] = true,
            ["PropagateTags"] = "SERVICE",
            ["EnableExecuteCommand"] = false,
            ["Tags"] = naming.Tags(service.Name),
        });
        ecsService.DependOn(rule);
        ecsService.DependsOn.Add("ServerErrorsAlarm");
        ecsService.DependsOn.Add("LatencyAlarm");

        AutoscalingBuilder.Add(t, naming, props, ecsService, targets, loadBalancerName, scope, cluster);

        var serviceName = scope.Export("ServiceName", ecsService.GetAtt("Name"), $"ECS service name of {service.Name}");
        scope.Export("ServiceArn", ecsService.Ref(), $"ECS service ARN of {service.Name}");
        scope.Export("TargetGroupArn", targets.Ref(), $"Target group ARN of {service.Name}");
        var targetGroupFullName = scope.Export("TargetGroupFullName", targets.GetAtt("TargetGroupFullName"), $"Target group full name of {service.Name}, for CloudWatch dimensions");
        scope.Export("LogGroupName", logs.Ref(), $"Log group of {service.Name}");
        scope.Export("TaskDefinitionArn", task.Ref(), $"Task definition of {service.Name} at this deploy");
        // Architecture facts: the service, the load balancer in front of it and the database it reaches.
        scope.Graph.Architecture.Services.Add(new(scope.Name, service.Name, service.Scaling.DesiredTasks));
        scope.Graph.Architecture.Links.Add(new(loadBalancer.Stack.Name, scope.Name, "HTTPS listener rule", service.ContainerPort));
        if (databaseClient is not null)
        {
            scope.Graph.Architecture.Links.Add(new(scope.Name, databaseClient.Stack.Name, "MongoDB", SpecDefaults.MongoPort));
        }

        return new Service(scope, service.Name, serviceName, targetGroupFullName);
    }

    private static CfnObject TaskAssumeRole() => new PolicyDocument
    {
        new PolicyStatement
        {
            Principal = PolicyPrincipal.Service("ecs-tasks.amazonaws.com"),
            Actions = { "sts:AssumeRole" },
            Conditions = new CfnObject
            {
                // Confused-deputy guard: only ECS acting for this account may assume the role.
                ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId },
            },
        },
    }.ToNode();

    private static SecretReference ParseSecret(string text) => SecretReference.TryParse(text, out var reference)
        ? reference
        : throw new InvalidOperationException($"'{text}' is not a secret reference (validation should have refused the spec).");

    private static Value<string> SecretPolicyArn(SecretReference r) => r.Region is null
        // A name resolves to the full ARN, which ends in a 6-character random suffix.
        ? PlatformNaming.Arn("secretsmanager", $"secret:{r.Name}-??????")
        : $"arn:aws:secretsmanager:{r.Region}:{r.Account}:secret:{r.Name}";

    private static Value<string> ParameterArn(SecretReference r) => r.Region is null
        ? PlatformNaming.Arn("ssm", $"parameter/{r.Name}")
        : $"arn:aws:ssm:{r.Region}:{r.Account}:parameter/{r.Name}";

    private static CfnNode ValueFrom(SecretReference r) => r.Store switch
    {
        SecretStore.SecretsManager when r.Region is null => PlatformNaming.Arn("secretsmanager", $"secret:{r.Name}"),
        SecretStore.SecretsManager => $"arn:aws:secretsmanager:{r.Region}:{r.Account}:secret:{r.Name}{r.JsonKeySuffix}",
        _ => ParameterArn(r),
    };
}

/// <summary>One service construct's props (its <c>services[]</c> entry and what it needs of the rest of the spec; see
/// <see cref="ConstructProps.Service"/>).</summary>
/// <param name="Service">The service's own section.</param>
/// <param name="RulePriority">Its listener rule's priority (<c>routing.priority</c>, or the next free step by position).</param>
/// <param name="ClusterInstanceTypes">The cluster's instance types (they decide the task definition's CPU architecture).</param>
/// <param name="DatabaseClient">Whether the service reaches the database (<c>database.clientServices</c>).</param>
/// <param name="AlarmTopicName">The monitoring alarm topic its rollback alarms also tell, when monitoring is on.</param>
/// <param name="LiveEvents">The live events (those that name the service raise its scaling bounds).</param>
/// <param name="ScheduledScaling">The recurring schedules (likewise).</param>
internal sealed record ServiceProps(
    ServiceSpec Service,
    int RulePriority,
    IReadOnlyList<string> ClusterInstanceTypes,
    bool DatabaseClient,
    string? AlarmTopicName,
    IReadOnlyList<LiveEventSpec> LiveEvents,
    IReadOnlyList<ScheduledScalingSpec> ScheduledScaling);
