using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The database-backup stack: a daily EventBridge Scheduler schedule that runs the library's MongoDB backup
/// (<c>ottkit mongo backup</c> and prune, in the <c>&lt;env&gt;/ottkit-backup</c> image) as an ECS task on the cluster.
/// The task role is granted from what the backup, the prune and the metric call (write, list and prune below
/// <c>backups.prefix</c>, the backup-age metric); the execution role reads the backup user's secret, which ECS injects
/// as <c>OTTKIT_MONGO_USERNAME</c> / <c>OTTKIT_MONGO_PASSWORD</c>; its own security group is admitted to MongoDB by an ingress rule this stack adds to the database's group.
/// The same image runs the replica-set health check every minute in its <c>health</c> mode (a second task definition
/// and schedule sharing the execution role, security group and log group), publishing the <c>OttKit/MongoDB</c> metrics
/// the monitoring stack alarms on; its task role may publish in that namespace only. Each container's environment and
/// secrets are generated from the settings its mode declares (<see cref="BackupTaskEnvironment.Settings(string)"/>).
/// </summary>
internal static class DatabaseBackupBuilder
{
    public static string Family(PlatformNaming naming) => $"{naming.Env}-mongodb-backup";

    public static DatabaseBackup Build(PlatformNaming naming, StackScope scope, DatabaseBackupProps props, SecurityBaseline security, Network network, Cluster cluster, Repositories repositories, Backups backups, Database database)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: scheduled MongoDB backup and health-check tasks (EventBridge Scheduler → ECS RunTask)";
        var tag = t.Add(new Parameter("ImageTag", "String")
        {
            Description = "Tag of the ottkit-backup image in the environment's repository",
            AllowedPattern = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
        });

        var backupKey = security.BackupKey.Arn.In(scope);
        var secret = database.BackupSecretArn.In(scope);
        // The replica set publishes its CA exactly when its members require TLS.
        var tls = database.TlsCaSecretArn is not null;
        var databaseGroup = database.SecurityGroupId.In(scope);
        var prefix = props.Prefix;

        var group = t.AddResource("BackupTaskSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
        {
            ["GroupDescription"] = $"{naming.Env}: MongoDB backup task (no inbound; MongoDB and HTTPS out)",
            ["VpcId"] = network.VpcId.In(scope),
            ["SecurityGroupEgress"] = new CfnList
            {
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "HTTPS to S3, Secrets Manager and ECR" },
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = SpecDefaults.MongoPort, ["ToPort"] = SpecDefaults.MongoPort, ["DestinationSecurityGroupId"] = databaseGroup, ["Description"] = "MongoDB members" },
            },
            ["Tags"] = naming.Tags("mongodb-backup"),
        });
        t.AddResource("DatabaseIngressFromBackupTask", "AWS::EC2::SecurityGroupIngress", new CfnObject
        {
            ["GroupId"] = databaseGroup,
            ["IpProtocol"] = "tcp",
            ["FromPort"] = SpecDefaults.MongoPort,
            ["ToPort"] = SpecDefaults.MongoPort,
            ["SourceSecurityGroupId"] = group.GetAtt("GroupId"),
            ["Description"] = "MongoDB backup task",
        });

        var logs = t.AddResource("BackupLogGroup", "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = $"/ottkit/{naming.Env}/mongodb-backup",
            ["RetentionInDays"] = SpecDefaults.LogRetentionDays,
            ["KmsKeyId"] = security.LogsKey.Arn.In(scope),
            ["Tags"] = naming.Tags("mongodb-backup"),
        });
        logs.DeletionPolicy = DeletionPolicy.Retain;
        logs.UpdateReplacePolicy = UpdateReplacePolicy.Retain;

        var repositoryArn = repositories["OttkitBackup"].Arn.In(scope);
        var executionPolicy = new PolicyDocument
        {
            new PolicyStatement { Sid = "PullOwnImage", Actions = { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" }, Resources = { repositoryArn } },
            new PolicyStatement { Sid = "RegistryLogin", Actions = { "ecr:GetAuthorizationToken" }, Resources = { "*" } },
            new PolicyStatement { Sid = "WriteOwnLogs", Actions = { "logs:CreateLogStream", "logs:PutLogEvents" }, Resources = { Fn.Sub("${BackupLogGroup.Arn}:*") } },
        };

        // ECS injects the backup user's name and password (the task's "Secrets") with the execution role.
        foreach (var statement in HostParts.ReadSecrets(scope, security.DataKey, secret))
        {
            executionPolicy.Add(statement);
        }

        var executionRole = t.AddResource("BackupExecutionRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{naming.Env}: ECS pulls the backup image and writes its logs",
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "task-execution",
                    ["PolicyDocument"] = executionPolicy.ToNode(),
                },
            },
            ["Tags"] = naming.Tags("mongodb-backup"),
        });

        // Granted from what the task runs: the backup, the prune and the backup-age metric.
        var taskRole = TaskRole(
            t,
            naming,
            "BackupTaskRole",
            $"{naming.Env}: the backup writes below {prefix} and reads the backup user's secret, nothing else",
            "mongodb-backup",
            RequiredAction.Union(
                BackupRunner.RequiredPermissions.Backup,
                BackupRunner.RequiredPermissions.Prune,
                CloudWatchHealthMetricsPublisher.RequiredPermissions.Publish),
            permission => permission switch
            {
                PermissionScope.BackupObjects => backups.BackupBucket.ObjectsUnder(scope, prefix),
                PermissionScope.BackupBucket => backups.BackupBucket.Bucket(scope, prefix),
                PermissionScope.BucketKeyThroughS3 => security.BackupKey.ThroughS3(scope),
                PermissionScope.OwnMetricNamespace => OwnNamespace(BackupMetricsNamespace),
                _ => throw new InvalidOperationException($"The backup task cannot be granted permissions on {permission}."),
            });

        var values = new TaskValues(naming, props, secret, tls, backupKey, scope, database, backups);
        var shared = new ScheduledTaskParts(naming, props.HostArchitecture, executionRole, group, logs, scope, network, cluster, repositories);
        var task = ScheduledTask(t, shared, "BackupTaskDefinition", Family(naming), "backup", BackupTaskEnvironment.BackupMode, taskRole, values, "512", "1024");
        var schedulerRole = SchedulerRole(t, shared, "BackupSchedulerRole", "run-backup-task", "backup", Family(naming), taskRole, "mongodb-backup-scheduler");
        var schedule = t.AddResource("BackupSchedule", "AWS::Scheduler::Schedule", new CfnObject
        {
            ["Name"] = $"{naming.Env}-mongodb-backup",
            ["Description"] = $"{naming.Env}: daily MongoDB backup at {props.ScheduleUtc} UTC, kept {props.RetentionDays.ToString(CultureInfo.InvariantCulture)} days",
            ["ScheduleExpression"] = BackupBuilder.DailyCron(props.ScheduleUtc),
            ["ScheduleExpressionTimezone"] = "UTC",
            ["FlexibleTimeWindow"] = new CfnObject { ["Mode"] = "OFF" },
            ["State"] = "ENABLED",
            ["Target"] = ScheduleTarget(shared, task, schedulerRole, maximumRetries: 2, maximumEventAgeSeconds: 3600),
        });

        // The replica-set health check, every minute, from the same image in its "health" mode: it publishes the
        // OttKit/MongoDB metrics the monitoring stack's alarms watch. Its role may publish in that namespace only.
        var healthRole = TaskRole(
            t,
            naming,
            "HealthTaskRole",
            $"{naming.Env}: the replica-set health check publishes its metrics, nothing else",
            "mongodb-health",
            CloudWatchHealthMetricsPublisher.RequiredPermissions.Publish,
            scope => scope switch
            {
                PermissionScope.OwnMetricNamespace => OwnNamespace(ReplicaSetHealthMetricNames.Namespace),
                _ => throw new InvalidOperationException($"The health task cannot be granted permissions on {scope}."),
            });
        var healthTask = ScheduledTask(t, shared, "HealthTaskDefinition", HealthFamily(naming), "health", BackupTaskEnvironment.HealthMode, healthRole, values, "256", "512");
        var healthSchedulerRole = SchedulerRole(t, shared, "HealthSchedulerRole", "run-health-task", "health check", HealthFamily(naming), healthRole, "mongodb-health-scheduler");
        var healthSchedule = t.AddResource("HealthSchedule", "AWS::Scheduler::Schedule", new CfnObject
        {
            ["Name"] = $"{naming.Env}-mongodb-health",
            ["Description"] = $"{naming.Env}: MongoDB replica-set health check every minute (metrics for the alarms)",
            ["ScheduleExpression"] = HealthScheduleExpression,
            ["FlexibleTimeWindow"] = new CfnObject { ["Mode"] = "OFF" },
            ["State"] = "ENABLED",
            // A late check is worth nothing: the next minute's run replaces it.
            ["Target"] = ScheduleTarget(shared, healthTask, healthSchedulerRole, maximumRetries: 0, maximumEventAgeSeconds: 60),
        });

        BuildPatchTask(t, naming, props, shared, values, executionPolicy, database.AdminSecretArn.In(scope), scope, security.DataKey);

        var taskGroup = scope.Export("TaskSecurityGroupId", group.GetAtt("GroupId"), "Security group of the backup task");
        var taskDefinition = scope.Export("TaskDefinitionArn", task.Ref(), "Task definition of the MongoDB backup");
        scope.Export("TaskFamily", Family(naming), "Task definition family of the MongoDB backup (for task-failure alarms)");
        scope.Export("LogGroupName", logs.Ref(), "Log group of the MongoDB backup task");
        scope.Export("ScheduleName", schedule.Ref(), "EventBridge Scheduler schedule of the MongoDB backup");
        scope.Export("HealthTaskFamily", HealthFamily(naming), "Task definition family of the MongoDB health check");
        scope.Export("HealthScheduleName", healthSchedule.Ref(), "EventBridge Scheduler schedule of the MongoDB health check");
        // Architecture facts: the backup task reads the replica set and writes the backup bucket.
        scope.Graph.Architecture.Links.Add(new(scope.Name, database.Stack.Name, "MongoDB", SpecDefaults.MongoPort));
        scope.Graph.Architecture.Links.Add(new(scope.Name, backups.Stack.Name, "S3 backup objects"));

        return new DatabaseBackup(scope, taskGroup, taskDefinition);
    }

    /// <summary>Family of the scheduled database patch task, <c>&lt;env&gt;-mongodb-patch</c>.</summary>
    public static string PatchFamily(PlatformNaming naming) => $"{naming.Env}-mongodb-patch";

    // The scheduled database patching (issue 18): at the patching window's schedule the same image, in its "patch" mode,
    // runs what `ottkit patch install --target database` runs — members one at a time, secondaries first, the primary
    // stepped down first, each waited for until SECONDARY and caught up — as the admin user (replSetStepDown). It runs
    // on Fargate, so the ECS hosts the maintenance window patches and reboots at the same time cannot stop it. Its task
    // role is granted from PatchRunner.RequiredPermissions.Install through PatchPermissionScopes; its execution role
    // reads the admin user's secret (and the backup secret's CA with TLS).
    private static void BuildPatchTask(Template t, PlatformNaming naming, DatabaseBackupProps props, ScheduledTaskParts shared, TaskValues values, PolicyDocument backupExecutionPolicy, Intrinsic adminSecret, StackScope scope, KmsKey dataKey)
    {
        var executionPolicy = new PolicyDocument();
        foreach (var statement in backupExecutionPolicy.Where(s => s.Sid is "PullOwnImage" or "RegistryLogin" or "WriteOwnLogs"))
        {
            executionPolicy.Add(statement);
        }

        // The admin user for the step-down; the backup user's secret only for its "ca" key (with TLS).
        foreach (var statement in HostParts.ReadSecrets(scope, dataKey, adminSecret, values.BackupSecret))
        {
            executionPolicy.Add(statement);
        }

        var executionRole = t.AddResource("PatchExecutionRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{naming.Env}: ECS pulls the backup image for the patch task, injects the admin user and writes its logs",
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = "task-execution", ["PolicyDocument"] = executionPolicy.ToNode() } },
            ["Tags"] = naming.Tags("mongodb-patch"),
        });
        var patchRole = TaskRole(
            t,
            naming,
            "PatchTaskRole",
            $"{naming.Env}: the database patch task sends AWS-RunPatchBaseline to the MongoDB members, nothing else",
            "mongodb-patch",
            PatchPermissionScopes.DatabaseInstall,
            scope => PatchPermissionScopes.Resolve(naming, scope, [naming.MongoPatchGroup]));
        var parts = shared with { ExecutionRole = executionRole };
        var adminValues = values.AsAdmin(adminSecret);
        var task = ScheduledTask(t, parts, "PatchTaskDefinition", PatchFamily(naming), "patch", BackupTaskEnvironment.PatchMode, patchRole, adminValues, "256", "512", fargate: true);
        var schedulerRole = SchedulerRole(t, parts, "PatchSchedulerRole", "run-patch-task", "patch", PatchFamily(naming), patchRole, "mongodb-patch-scheduler");
        t.AddResource("PatchSchedule", "AWS::Scheduler::Schedule", new CfnObject
        {
            ["Name"] = $"{naming.Env}-mongodb-patch",
            ["Description"] = $"{naming.Env}: MongoDB members patched one at a time, primary stepped down last, at the patching window ({props.PatchWindow})",
            ["ScheduleExpression"] = props.PatchWindow,
            ["ScheduleExpressionTimezone"] = props.PatchTimeZone,
            ["FlexibleTimeWindow"] = new CfnObject { ["Mode"] = "OFF" },
            ["State"] = "ENABLED",
            // Never twice at once, never late: a missed week is patched the next week (or by `ottkit patch install`).
            ["Target"] = ScheduleTarget(parts, task, schedulerRole, maximumRetries: 0, maximumEventAgeSeconds: 900, fargate: true),
        });
    }

    /// <summary>Family of the scheduled replica-set health check, <c>&lt;env&gt;-mongodb-health</c>.</summary>
    public static string HealthFamily(PlatformNaming naming) => $"{naming.Env}-mongodb-health";

    /// <summary>How often the health check runs: every minute, the resolution of the alarms that watch it.</summary>
    public const string HealthScheduleExpression = "rate(1 minute)";

    /// <summary>The period of the health check's schedule, in seconds.</summary>
    public const int HealthPeriodSeconds = 60;

    /// <summary>What the task definitions of this stack share: the naming, the hosts' CPU architecture, the execution role (pulls the image, reads the user's secret, writes the logs), the security group and the log group.</summary>
    private sealed record ScheduledTaskParts(PlatformNaming Naming, CpuArchitecture HostArchitecture, Resource ExecutionRole, Resource Group, Resource Logs, StackScope Scope, Network Network, Cluster Cluster, Repositories Repositories);

    /// <summary>The values the blueprint provides for <see cref="BackupTaskValue"/>; null for a value this environment has none of (the CA without TLS).</summary>
    private sealed class TaskValues(PlatformNaming naming, DatabaseBackupProps props, Intrinsic secret, bool tls, Intrinsic backupKey, StackScope scope, Database database, Backups backups, Intrinsic? adminSecret = null)
    {
        /// <summary>The backup user's secret (its <c>ca</c> key holds the CA with TLS).</summary>
        public Intrinsic BackupSecret => secret;

        /// <summary>The same values with the admin user's secret for <see cref="BackupTaskValue.AdminUsername"/> and <see cref="BackupTaskValue.AdminPassword"/>.</summary>
        public TaskValues AsAdmin(Intrinsic admin) => new(naming, props, secret, tls, backupKey, scope, database, backups, admin);

        public CfnNode? Of(BackupTaskValue value) => value switch
        {
            BackupTaskValue.AdminUsername => SecretKey(adminSecret ?? throw new InvalidOperationException("Only the patch task reads the admin user."), "username"),
            BackupTaskValue.AdminPassword => SecretKey(adminSecret ?? throw new InvalidOperationException("Only the patch task reads the admin user."), "password"),
            BackupTaskValue.ConnectionString => database.ConnectionString.In(scope),
            BackupTaskValue.EnvironmentName => naming.Env,
            BackupTaskValue.BucketName => backups.BackupBucket.Name.In(scope),
            BackupTaskValue.BackupKeyArn => backupKey,
            BackupTaskValue.Prefix => props.Prefix,
            BackupTaskValue.RetentionDays => props.RetentionDays.ToString(CultureInfo.InvariantCulture),
            // The secret holds {"username","password"} and, with TLS, the CA the first member adds as "ca" (a PEM that
            // BackupTaskEnvironment writes to a file for tlsCAFile): ECS injects each key, the task composes the URI.
            BackupTaskValue.Username => SecretKey(secret, "username"),
            BackupTaskValue.Password => SecretKey(secret, "password"),
            BackupTaskValue.TlsCa => tls ? SecretKey(secret, DatabaseBuilder.CaSecretKey) : null,
            _ => throw new InvalidOperationException($"The blueprint provides no value for {value}."),
        };
    }

    private static ScopeGrant OwnNamespace(string metricNamespace) => new(
        ["*"],
        new CfnObject { ["StringEquals"] = new CfnObject { ["cloudwatch:namespace"] = metricNamespace } });

    private static Resource TaskRole(Template t, PlatformNaming naming, string id, string description, string policyName, IEnumerable<RequiredAction> permissions, Func<PermissionScope, ScopeGrant> resolve)
    {
        var policy = new PolicyDocument();
        foreach (var statement in PermissionGrants.Statements([.. permissions], resolve))
        {
            policy.Add(statement);
        }

        return t.AddResource(id, "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = description,
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = policyName, ["PolicyDocument"] = policy.ToNode() } },
            ["Tags"] = naming.Tags(policyName),
        });
    }

    // One container of the ottkit-backup image in the given mode, its Environment and Secrets generated from the
    // settings that mode declares (BackupTaskEnvironment.Settings); the backup mode is the image's default and names no command.
    private static Resource ScheduledTask(Template t, ScheduledTaskParts parts, string id, string family, string container, string mode, Resource taskRole, TaskValues values, string cpu, string memory, bool fargate = false)
    {
        var naming = parts.Naming;
        var environment = new CfnList();
        var secrets = new CfnList();
        foreach (var setting in BackupTaskEnvironment.Settings(mode))
        {
            if (setting.Value is not { } kind || values.Of(kind) is not { } value)
            {
                continue;
            }

            (setting.IsSecret ? secrets : environment).Add(new CfnObject { ["Name"] = setting.Variable, [setting.IsSecret ? "ValueFrom" : "Value"] = value });
        }

        var definition = new CfnObject
        {
            ["Name"] = container,
            ["Image"] = Fn.Sub("${Uri}:${ImageTag}", new CfnObject { ["Uri"] = parts.Repositories["OttkitBackup"].Uri.In(parts.Scope) }),
            ["Essential"] = true,
            ["Memory"] = int.Parse(memory, System.Globalization.CultureInfo.InvariantCulture),
        };
        if (mode != BackupTaskEnvironment.BackupMode)
        {
            definition["Command"] = new CfnList { mode };
        }

        definition["Environment"] = environment;
        definition["Secrets"] = secrets;
        definition["ReadonlyRootFilesystem"] = true;
        definition["Privileged"] = false;
        definition["User"] = SpecDefaults.ContainerUser;
        // Fargate has no tmpfs: there /tmp is a task-scoped (ephemeral) volume.
        definition["LinuxParameters"] = fargate
            ? new CfnObject { ["InitProcessEnabled"] = true }
            : new CfnObject
            {
                ["InitProcessEnabled"] = true,
                ["Tmpfs"] = new CfnList { new CfnObject { ["ContainerPath"] = "/tmp", ["Size"] = 64, ["MountOptions"] = new CfnList { "rw", "noexec", "nosuid" } } },
            };
        if (fargate)
        {
            definition["MountPoints"] = new CfnList { new CfnObject { ["SourceVolume"] = "tmp", ["ContainerPath"] = "/tmp", ["ReadOnly"] = false } };
        }

        definition["LogConfiguration"] = new CfnObject
        {
            ["LogDriver"] = "awslogs",
            ["Options"] = new CfnObject
            {
                ["awslogs-group"] = parts.Logs.Ref(),
                ["awslogs-region"] = Pseudo.Region,
                ["awslogs-stream-prefix"] = container,
            },
        };

        var properties = new CfnObject
        {
            ["Family"] = family,
            ["NetworkMode"] = "awsvpc",
            ["RequiresCompatibilities"] = new CfnList { fargate ? "FARGATE" : "EC2" },
            ["Cpu"] = cpu,
            ["Memory"] = memory,
            ["ExecutionRoleArn"] = parts.ExecutionRole.GetAtt("Arn"),
            ["TaskRoleArn"] = taskRole.GetAtt("Arn"),
            ["RuntimePlatform"] = ClusterBuilder.RuntimePlatform(parts.HostArchitecture),
            ["ContainerDefinitions"] = new CfnList { definition },
        };
        if (fargate)
        {
            properties["Volumes"] = new CfnList { new CfnObject { ["Name"] = "tmp" } };
        }

        properties["Tags"] = naming.Tags(family[(naming.Env.Length + 1)..]);
        return t.AddResource(id, "AWS::ECS::TaskDefinition", properties);
    }

    // EventBridge Scheduler may start exactly this task family on the environment's cluster and pass its two roles.
    private static Resource SchedulerRole(Template t, ScheduledTaskParts parts, string id, string policyName, string what, string family, Resource taskRole, string tag)
    {
        var naming = parts.Naming;
        return t.AddResource(id, "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{naming.Env}: EventBridge Scheduler starts the {what} task",
            ["AssumeRolePolicyDocument"] = new PolicyDocument
            {
                new PolicyStatement
                {
                    Principal = PolicyPrincipal.Service("scheduler.amazonaws.com"),
                    Actions = { "sts:AssumeRole" },
                    Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId } },
                },
            }.ToNode(),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = policyName,
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement
                        {
                            Sid = what switch { "backup" => "RunTheBackupTaskOnTheCluster", "patch" => "RunThePatchTaskOnTheCluster", _ => "RunTheHealthTaskOnTheCluster" },
                            Actions = { "ecs:RunTask" },
                            Resources = { PlatformNaming.Arn("ecs", $"task-definition/{family}:*") },
                            Conditions = new CfnObject { ["ArnEquals"] = new CfnObject { ["ecs:cluster"] = parts.Cluster.ClusterArn.In(parts.Scope) } },
                        },
                        new PolicyStatement { Sid = "TagTheTask", Actions = { "ecs:TagResource" }, Resources = { PlatformNaming.Arn("ecs", "task/*") } },
                        new PolicyStatement
                        {
                            Sid = what switch { "backup" => "PassOnlyTheBackupRoles", "patch" => "PassOnlyThePatchRoles", _ => "PassOnlyTheHealthRoles" },
                            Actions = { "iam:PassRole" },
                            Resources = { parts.ExecutionRole.GetAtt("Arn"), taskRole.GetAtt("Arn") },
                            Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } },
                        },
                    }.ToNode(),
                },
            },
            ["Tags"] = naming.Tags(tag),
        });
    }

    // Runs one task on the cluster's capacity provider, in the private subnets, with the stack's security group.
    private static CfnObject ScheduleTarget(ScheduledTaskParts parts, Resource task, Resource schedulerRole, int maximumRetries, int maximumEventAgeSeconds, bool fargate = false)
    {
        var naming = parts.Naming;
        var ecs = new CfnObject
        {
            ["TaskDefinitionArn"] = task.Ref(),
            ["TaskCount"] = 1,
        };
        if (fargate)
        {
            ecs["LaunchType"] = "FARGATE";
            ecs["PlatformVersion"] = "LATEST";
        }
        else
        {
            ecs["CapacityProviderStrategy"] = new CfnList
            {
                new CfnObject { ["CapacityProvider"] = parts.Cluster.CapacityProviderName.In(parts.Scope), ["Weight"] = 1, ["Base"] = 0 },
            };
        }

        ecs["NetworkConfiguration"] = new CfnObject
        {
            ["AwsvpcConfiguration"] = new CfnObject
            {
                ["Subnets"] = Fn.Split(",", parts.Network.PrivateSubnetIds.In(parts.Scope)),
                ["SecurityGroups"] = new CfnList { parts.Group.GetAtt("GroupId") },
                ["AssignPublicIp"] = "DISABLED",
            },
        };
        ecs["EnableECSManagedTags"] = true;
        ecs["PropagateTags"] = "TASK_DEFINITION";
        return new CfnObject
        {
            ["Arn"] = parts.Cluster.ClusterArn.In(parts.Scope),
            ["RoleArn"] = schedulerRole.GetAtt("Arn"),
            ["RetryPolicy"] = new CfnObject { ["MaximumRetryAttempts"] = maximumRetries, ["MaximumEventAgeInSeconds"] = maximumEventAgeSeconds },
            ["EcsParameters"] = ecs,
        };
    }

    /// <summary>The CloudWatch namespace of the backup-age metric the task publishes.</summary>
    public const string BackupMetricsNamespace = BackupMetricNames.Namespace;

    // ECS reads one JSON key of a Secrets Manager secret with "<arn>:<json-key>::" (no version stage or id: the current one).
    private static Intrinsic SecretKey(Intrinsic secretArn, string jsonKey) =>
        Fn.Sub($"${{Secret}}:{jsonKey}::", new CfnObject { ["Secret"] = secretArn });

    private static CfnObject TaskAssumeRole() => new PolicyDocument
    {
        new PolicyStatement
        {
            Principal = PolicyPrincipal.Service("ecs-tasks.amazonaws.com"),
            Actions = { "sts:AssumeRole" },
            Conditions = new CfnObject
            {
                ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId },
                ["ArnLike"] = new CfnObject { ["aws:SourceArn"] = PlatformNaming.Arn("ecs", "*") },
            },
        },
    }.ToNode();
}

/// <summary>The database-backup construct's props (<c>backups.*</c>, the patching window its patch task shares with
/// the patching stack, and the cluster hosts' CPU architecture; see <see cref="ConstructProps.DatabaseBackup"/>).</summary>
/// <param name="Prefix">Key prefix of the backup objects.</param>
/// <param name="ScheduleUtc">Daily backup time, <c>HH:MM</c> UTC.</param>
/// <param name="RetentionDays">Days backups are kept (prune's horizon).</param>
/// <param name="PatchWindow">The patching window's schedule expression (the database patch task runs at it).</param>
/// <param name="PatchTimeZone">The patching window's time zone.</param>
/// <param name="HostArchitecture">CPU architecture of the cluster's hosts (the backup and health tasks run there).</param>
internal sealed record DatabaseBackupProps(
    string Prefix,
    string ScheduleUtc,
    int RetentionDays,
    string PatchWindow,
    string PatchTimeZone,
    CpuArchitecture HostArchitecture);
