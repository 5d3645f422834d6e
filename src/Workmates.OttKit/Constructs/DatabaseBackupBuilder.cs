using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Mongo.Backup;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The database-backup stack: a daily EventBridge Scheduler schedule that runs the library's MongoDB backup
/// (<c>ottkit mongo backup</c> and prune, in the <c>&lt;env&gt;/ottkit-backup</c> image) as an ECS task on the cluster.
/// The task role is granted from what the backup, the prune and the metric call (write, list and prune below
/// <c>backups.prefix</c>, the backup-age metric); the execution role reads the backup user's secret, which ECS injects
/// as <c>OTTKIT_MONGO_USERNAME</c> / <c>OTTKIT_MONGO_PASSWORD</c>; its own security group is admitted to MongoDB by an ingress rule this stack adds to the database's group.
/// </summary>
internal static class DatabaseBackupBuilder
{
    private const string Part = PlatformContext.DatabaseBackupPart;

    public static string Family(PlatformContext ctx) => $"{ctx.Env}-mongodb-backup";

    public static Template Build(PlatformContext ctx)
    {
        var backups = ctx.Spec.Backups;
        var t = new Template { Description = $"OttKit {ctx.Env}: scheduled MongoDB backup task (EventBridge Scheduler → ECS RunTask)" };
        var tag = t.Add(new Parameter("ImageTag", "String")
        {
            Description = "Tag of the ottkit-backup image in the environment's repository",
            AllowedPattern = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
        });

        var backupKey = ctx.Import(PlatformContext.SecurityPart, "BackupKeyArn");
        var dataKey = ctx.Import(PlatformContext.SecurityPart, "DataKeyArn");
        var bucketArn = ctx.Import(PlatformContext.BackupsPart, "BackupBucketArn");
        var secret = ctx.Import(PlatformContext.DatabasePart, "BackupSecretArn");
        var tls = DatabaseBuilder.TlsEnabled(ctx);
        var databaseGroup = ctx.Import(PlatformContext.DatabasePart, "SecurityGroupId");
        var prefix = backups.Prefix;

        var group = t.AddResource("BackupTaskSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
        {
            ["GroupDescription"] = $"{ctx.Env}: MongoDB backup task (no inbound; MongoDB and HTTPS out)",
            ["VpcId"] = ctx.Import(PlatformContext.NetworkPart, "VpcId"),
            ["SecurityGroupEgress"] = new CfnList
            {
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "HTTPS to S3, Secrets Manager and ECR" },
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = SpecDefaults.MongoPort, ["ToPort"] = SpecDefaults.MongoPort, ["DestinationSecurityGroupId"] = databaseGroup, ["Description"] = "MongoDB members" },
            },
            ["Tags"] = ctx.Tags("mongodb-backup"),
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
            ["LogGroupName"] = $"/ottkit/{ctx.Env}/mongodb-backup",
            ["RetentionInDays"] = SpecDefaults.LogRetentionDays,
            ["KmsKeyId"] = ctx.Import(PlatformContext.SecurityPart, "LogsKeyArn"),
            ["Tags"] = ctx.Tags("mongodb-backup"),
        });
        logs.DeletionPolicy = DeletionPolicy.Retain;
        logs.UpdateReplacePolicy = UpdateReplacePolicy.Retain;

        var repositoryArn = ctx.Import(PlatformContext.RepositoriesPart, "OttkitBackupRepositoryArn");
        var executionPolicy = new PolicyDocument
        {
            new PolicyStatement { Sid = "PullOwnImage", Actions = { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" }, Resources = { repositoryArn } },
            new PolicyStatement { Sid = "RegistryLogin", Actions = { "ecr:GetAuthorizationToken" }, Resources = { "*" } },
            new PolicyStatement { Sid = "WriteOwnLogs", Actions = { "logs:CreateLogStream", "logs:PutLogEvents" }, Resources = { Fn.Sub("${BackupLogGroup.Arn}:*") } },
        };

        // ECS injects the backup user's name and password (the task's "Secrets") with the execution role.
        foreach (var statement in HostParts.ReadSecrets(dataKey, secret))
        {
            executionPolicy.Add(statement);
        }

        var executionRole = t.AddResource("BackupExecutionRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{ctx.Env}: ECS pulls the backup image and writes its logs",
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "task-execution",
                    ["PolicyDocument"] = executionPolicy.ToNode(),
                },
            },
            ["Tags"] = ctx.Tags("mongodb-backup"),
        });

        // Granted from what the task runs: the backup, the prune and the backup-age metric.
        var objects = Fn.Sub($"${{Bucket}}/{prefix}*", new CfnObject { ["Bucket"] = bucketArn });
        var taskPolicy = new PolicyDocument();
        var taskPermissions = RequiredAction.Union(
            BackupRunner.RequiredPermissions.Backup,
            BackupRunner.RequiredPermissions.Prune,
            CloudWatchHealthMetricsPublisher.RequiredPermissions.Publish);
        foreach (var statement in PermissionGrants.Statements(taskPermissions, scope => scope switch
        {
            PermissionScope.BackupObjects => new ScopeGrant([objects]),
            PermissionScope.BackupBucket => new ScopeGrant(
                [bucketArn],
                new CfnObject { ["StringLike"] = new CfnObject { ["s3:prefix"] = new CfnList { $"{prefix}*" } } }),
            PermissionScope.BucketKeyThroughS3 => new ScopeGrant(
                [backupKey],
                new CfnObject { ["StringEquals"] = new CfnObject { ["kms:ViaService"] = Fn.Sub("s3.${AWS::Region}.amazonaws.com") } }),
            PermissionScope.OwnMetricNamespace => new ScopeGrant(
                ["*"],
                new CfnObject { ["StringEquals"] = new CfnObject { ["cloudwatch:namespace"] = BackupMetricsNamespace } }),
            _ => throw new InvalidOperationException($"The backup task cannot be granted permissions on {scope}."),
        }))
        {
            taskPolicy.Add(statement);
        }

        var taskRole = t.AddResource("BackupTaskRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{ctx.Env}: the backup writes below {prefix} and reads the backup user's secret, nothing else",
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = "mongodb-backup", ["PolicyDocument"] = taskPolicy.ToNode() } },
            ["Tags"] = ctx.Tags("mongodb-backup"),
        });

        var task = t.AddResource("BackupTaskDefinition", "AWS::ECS::TaskDefinition", new CfnObject
        {
            ["Family"] = Family(ctx),
            ["NetworkMode"] = "awsvpc",
            ["RequiresCompatibilities"] = new CfnList { "EC2" },
            ["Cpu"] = "512",
            ["Memory"] = "1024",
            ["ExecutionRoleArn"] = executionRole.GetAtt("Arn"),
            ["TaskRoleArn"] = taskRole.GetAtt("Arn"),
            ["RuntimePlatform"] = ClusterBuilder.RuntimePlatform(ctx),
            ["ContainerDefinitions"] = new CfnList
            {
                new CfnObject
                {
                    ["Name"] = "backup",
                    ["Image"] = Fn.Sub("${Uri}:${ImageTag}", new CfnObject { ["Uri"] = ctx.Import(PlatformContext.RepositoriesPart, "OttkitBackupRepositoryUri") }),
                    ["Essential"] = true,
                    ["Memory"] = 1024,
                    ["Environment"] = new CfnList
                    {
                        Variable("OTTKIT_BACKUP_BUCKET", ctx.Import(PlatformContext.BackupsPart, "BackupBucketName")),
                        Variable("OTTKIT_BACKUP_KMS_KEY_ID", backupKey),
                        Variable("OTTKIT_BACKUP_PREFIX", prefix),
                        Variable("OTTKIT_BACKUP_RETENTION_DAYS", backups.RetentionDays.ToString(CultureInfo.InvariantCulture)),
                        Variable(BackupTaskEnvironment.ConnectionStringVariable, ctx.Import(PlatformContext.DatabasePart, "ConnectionString")),
                        Variable(BackupTaskEnvironment.EnvironmentVariable, ctx.Env),
                    },
                    // The secret holds {"username","password"}: ECS injects each key, the task composes the URI.
                    ["Secrets"] = BackupSecrets(secret, tls),
                    ["ReadonlyRootFilesystem"] = true,
                    ["Privileged"] = false,
                    ["User"] = SpecDefaults.ContainerUser,
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
                            ["awslogs-stream-prefix"] = "backup",
                        },
                    },
                },
            },
            ["Tags"] = ctx.Tags("mongodb-backup"),
        });

        var schedulerRole = t.AddResource("BackupSchedulerRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{ctx.Env}: EventBridge Scheduler starts the backup task",
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
                    ["PolicyName"] = "run-backup-task",
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement
                        {
                            Sid = "RunTheBackupTaskOnTheCluster",
                            Actions = { "ecs:RunTask" },
                            Resources = { PlatformContext.Arn("ecs", $"task-definition/{Family(ctx)}:*") },
                            Conditions = new CfnObject { ["ArnEquals"] = new CfnObject { ["ecs:cluster"] = ctx.Import(PlatformContext.ClusterPart, "ClusterArn") } },
                        },
                        new PolicyStatement { Sid = "TagTheTask", Actions = { "ecs:TagResource" }, Resources = { PlatformContext.Arn("ecs", "task/*") } },
                        new PolicyStatement
                        {
                            Sid = "PassOnlyTheBackupRoles",
                            Actions = { "iam:PassRole" },
                            Resources = { executionRole.GetAtt("Arn"), taskRole.GetAtt("Arn") },
                            Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } },
                        },
                    }.ToNode(),
                },
            },
            ["Tags"] = ctx.Tags("mongodb-backup-scheduler"),
        });

        var schedule = t.AddResource("BackupSchedule", "AWS::Scheduler::Schedule", new CfnObject
        {
            ["Name"] = $"{ctx.Env}-mongodb-backup",
            ["Description"] = $"{ctx.Env}: daily MongoDB backup at {backups.ScheduleUtc} UTC, kept {backups.RetentionDays.ToString(CultureInfo.InvariantCulture)} days",
            ["ScheduleExpression"] = BackupBuilder.DailyCron(backups),
            ["ScheduleExpressionTimezone"] = "UTC",
            ["FlexibleTimeWindow"] = new CfnObject { ["Mode"] = "OFF" },
            ["State"] = "ENABLED",
            ["Target"] = new CfnObject
            {
                ["Arn"] = ctx.Import(PlatformContext.ClusterPart, "ClusterArn"),
                ["RoleArn"] = schedulerRole.GetAtt("Arn"),
                ["RetryPolicy"] = new CfnObject { ["MaximumRetryAttempts"] = 2, ["MaximumEventAgeInSeconds"] = 3600 },
                ["EcsParameters"] = new CfnObject
                {
                    ["TaskDefinitionArn"] = task.Ref(),
                    ["TaskCount"] = 1,
                    ["CapacityProviderStrategy"] = new CfnList
                    {
                        new CfnObject { ["CapacityProvider"] = ctx.Import(PlatformContext.ClusterPart, "CapacityProviderName"), ["Weight"] = 1, ["Base"] = 0 },
                    },
                    ["NetworkConfiguration"] = new CfnObject
                    {
                        ["AwsvpcConfiguration"] = new CfnObject
                        {
                            ["Subnets"] = Fn.Split(",", ctx.Import(PlatformContext.NetworkPart, "PrivateSubnetIds")),
                            ["SecurityGroups"] = new CfnList { group.GetAtt("GroupId") },
                            ["AssignPublicIp"] = "DISABLED",
                        },
                    },
                    ["EnableECSManagedTags"] = true,
                    ["PropagateTags"] = "TASK_DEFINITION",
                },
            },
        });

        ctx.Export(t, Part, "TaskSecurityGroupId", group.GetAtt("GroupId"), "Security group of the backup task");
        ctx.Export(t, Part, "TaskDefinitionArn", task.Ref(), "Task definition of the MongoDB backup");
        ctx.Export(t, Part, "TaskFamily", Family(ctx), "Task definition family of the MongoDB backup (for task-failure alarms)");
        ctx.Export(t, Part, "LogGroupName", logs.Ref(), "Log group of the MongoDB backup task");
        ctx.Export(t, Part, "ScheduleName", schedule.Ref(), "EventBridge Scheduler schedule of the MongoDB backup");
        return t;
    }

    /// <summary>The CloudWatch namespace of the backup-age metric the task publishes.</summary>
    public const string BackupMetricsNamespace = "OttKit/Backup";

    private static CfnObject Variable(string name, CfnNode value) => new() { ["Name"] = name, ["Value"] = value };

    // The backup user's name and password and, with TLS, the CA certificate (the secret's "ca" key, a PEM member 1
    // adds when it issues the certificates) that BackupTaskEnvironment writes to a file for tlsCAFile.
    private static CfnList BackupSecrets(Intrinsic secret, bool tls)
    {
        var list = new CfnList
        {
            SecretKey(BackupTaskEnvironment.UsernameVariable, secret, "username"),
            SecretKey(BackupTaskEnvironment.PasswordVariable, secret, "password"),
        };
        if (tls)
        {
            list.Add(SecretKey(BackupTaskEnvironment.TlsCaVariable, secret, DatabaseBuilder.CaSecretKey));
        }

        return list;
    }

    // ECS reads one JSON key of a Secrets Manager secret with "<arn>:<json-key>::" (no version stage or id: the current one).
    private static CfnObject SecretKey(string name, Intrinsic secretArn, string jsonKey) =>
        new() { ["Name"] = name, ["ValueFrom"] = Fn.Sub($"${{Secret}}:{jsonKey}::", new CfnObject { ["Secret"] = secretArn }) };

    private static CfnObject TaskAssumeRole() => new PolicyDocument
    {
        new PolicyStatement
        {
            Principal = PolicyPrincipal.Service("ecs-tasks.amazonaws.com"),
            Actions = { "sts:AssumeRole" },
            Conditions = new CfnObject
            {
                ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId },
                ["ArnLike"] = new CfnObject { ["aws:SourceArn"] = PlatformContext.Arn("ecs", "*") },
            },
        },
    }.ToNode();
}
