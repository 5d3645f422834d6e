using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The database-backup stack: a daily EventBridge Scheduler schedule that runs the library's MongoDB backup
/// (<c>ottkit mongo backup</c> and prune, in the <c>&lt;env&gt;/ottkit-backup</c> image) as an ECS task on the cluster.
/// The task role may only write, list and prune below <c>backups.prefix</c> in the backup bucket and read the backup
/// user's secret; its own security group is admitted to MongoDB by an ingress rule this stack adds to the database's group.
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
        var executionRole = t.AddResource("BackupExecutionRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{ctx.Env}: ECS pulls the backup image and writes its logs",
            ["AssumeRolePolicyDocument"] = TaskAssumeRole(),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "task-execution",
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement { Sid = "PullOwnImage", Actions = { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" }, Resources = { repositoryArn } },
                        new PolicyStatement { Sid = "RegistryLogin", Actions = { "ecr:GetAuthorizationToken" }, Resources = { "*" } },
                        new PolicyStatement { Sid = "WriteOwnLogs", Actions = { "logs:CreateLogStream", "logs:PutLogEvents" }, Resources = { Fn.Sub("${BackupLogGroup.Arn}:*") } },
                    }.ToNode(),
                },
            },
            ["Tags"] = ctx.Tags("mongodb-backup"),
        });

        var objects = Fn.Sub($"${{Bucket}}/{prefix}*", new CfnObject { ["Bucket"] = bucketArn });
        var taskPolicy = new PolicyDocument
        {
            new PolicyStatement
            {
                Sid = "WriteAndPruneOwnPrefix",
                Actions = { "s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts" },
                Resources = { objects },
            },
            new PolicyStatement
            {
                Sid = "ListOwnPrefix",
                Actions = { "s3:ListBucket" },
                Resources = { bucketArn },
                Conditions = new CfnObject { ["StringLike"] = new CfnObject { ["s3:prefix"] = new CfnList { $"{prefix}*" } } },
            },
            HostParts.DecryptVia(backupKey, "s3", "kms:GenerateDataKey", "kms:Decrypt"),
        };
        foreach (var statement in HostParts.ReadSecrets(dataKey, secret))
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
            ["ContainerDefinitions"] = new CfnList
            {
                new CfnObject
                {
                    ["Name"] = "backup",
                    ["Image"] = Fn.Sub("${Uri}:${ImageTag}", new CfnObject { ["Uri"] = ctx.Import(PlatformContext.RepositoriesPart, "OttkitBackupRepositoryUri") }),
                    ["Essential"] = true,
                    ["Environment"] = new CfnList
                    {
                        Variable("OTTKIT_BACKUP_BUCKET", ctx.Import(PlatformContext.BackupsPart, "BackupBucketName")),
                        Variable("OTTKIT_BACKUP_KMS_KEY_ID", backupKey),
                        Variable("OTTKIT_BACKUP_PREFIX", prefix),
                        Variable("OTTKIT_BACKUP_RETENTION_DAYS", backups.RetentionDays.ToString(CultureInfo.InvariantCulture)),
                        Variable("OTTKIT_MONGO_CONNECTION_STRING", ctx.Import(PlatformContext.DatabasePart, "ConnectionString")),
                        Variable("OTTKIT_MONGO_SECRET_ARN", secret),
                    },
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

    private static CfnObject Variable(string name, CfnNode value) => new() { ["Name"] = name, ["Value"] = value };

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
