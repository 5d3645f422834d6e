using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The people's access stack: roles for administrators, developers and read-only auditors, assumable only by the
/// spec's principals with MFA (or by the roles IAM Identity Center provisions for the permission sets of the same
/// names), scoped to this environment's resources, with explicit denies that keep even administrators from switching
/// the audit trail off; and the Session Manager preferences document (sessions KMS-encrypted with the data key, logged
/// to a KMS-encrypted log group and the audit bucket) that the roles must use to reach the environment's hosts.
/// </summary>
internal static class PeopleAccessBuilder
{
    /// <summary>The people's roles, in the order the template lists them.</summary>
    internal static readonly IReadOnlyList<string> People = ["administrator", "developer", "readonly"];

    /// <summary>How old the MFA sign-in behind an assumed role may be: one working day.</summary>
    internal const int MfaMaxAgeSeconds = 12 * 3600;

    /// <summary>IAM path of the people's roles.</summary>
    internal static string PeoplePath(PlatformNaming naming) => $"{naming.RolePath}people/";

    /// <summary>Name of a person's role (<c>&lt;env&gt;-administrator</c>, …); also the Identity Center permission set's name.</summary>
    internal static string RoleName(PlatformNaming naming, string person) => $"{naming.Env}-{person}";

    /// <summary>The Session Manager preferences document people must name in <c>aws ssm start-session</c>.</summary>
    internal static string SessionDocumentName(PlatformNaming naming) => $"{naming.Env}-SessionManagerRunShell";

    /// <summary>Log group of the Session Manager transcripts.</summary>
    internal static string SessionLogGroupName(PlatformNaming naming) => $"/ottkit/{naming.Env}/sessions";

    /// <summary>Key prefix of the session transcripts in the audit bucket.</summary>
    internal const string SessionKeyPrefix = "session-manager/";

    /// <summary>Builds the access stack.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="scope">The access stack.</param>
    /// <param name="access">The access construct's props.</param>
    /// <param name="security">The keys (sessions, transcripts) and the audit bucket (transcripts, its deny), when present.</param>
    /// <returns>The access stack's handle.</returns>
    public static PeopleAccess Build(PlatformNaming naming, StackScope scope, PeopleAccessProps access, SecurityBaseline security)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: people's roles (administrator, developer, read-only; MFA) and the Session Manager path";
        var logsKey = security.LogsKey.Arn.In(scope);
        var dataKey = security.DataKey.Arn.In(scope);

        var sessions = t.AddResource("SessionLogGroup", "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = SessionLogGroupName(naming),
            ["RetentionInDays"] = access.LogRetentionDays,
            ["KmsKeyId"] = logsKey,
            ["Tags"] = naming.Tags("sessions")
        });
        sessions.DeletionPolicy = DeletionPolicy.Retain;
        sessions.UpdateReplacePolicy = UpdateReplacePolicy.Retain;

        // The audit bucket exists when CloudTrail or AWS Config is on (the security stack exports its name then).
        var auditBucket = security.AuditBucket?.Name;
        var inputs = new CfnObject
        {
            ["s3BucketName"] = auditBucket is not null ? auditBucket.In(scope) : string.Empty,
            ["s3KeyPrefix"] = auditBucket is not null ? SessionKeyPrefix : string.Empty,
            ["s3EncryptionEnabled"] = auditBucket is not null,
            ["cloudWatchLogGroupName"] = SessionLogGroupName(naming),
            ["cloudWatchEncryptionEnabled"] = true,
            ["cloudWatchStreamingEnabled"] = true,
            ["kmsKeyId"] = dataKey,
            ["runAsEnabled"] = false,
            ["runAsDefaultUser"] = string.Empty,
            ["idleSessionTimeout"] = "20",
            ["maxSessionDuration"] = "60",
            ["shellProfile"] = new CfnObject { ["linux"] = "cd ~ && exec bash -l", ["windows"] = string.Empty },
        };
        t.AddResource("SessionPreferences", "AWS::SSM::Document", new CfnObject
        {
            ["Name"] = SessionDocumentName(naming),
            ["DocumentType"] = "Session",
            ["DocumentFormat"] = "JSON",
            ["UpdateMethod"] = "NewVersion",
            ["Content"] = new CfnObject
            {
                ["schemaVersion"] = "1.0",
                ["description"] = $"{naming.Env}: Session Manager preferences (KMS-encrypted sessions, transcripts in CloudWatch Logs and the audit bucket)",
                ["sessionType"] = "Standard_Stream",
                ["inputs"] = inputs,
            },
            ["Tags"] = naming.Tags("session-preferences")
        }).DependOn(sessions);

        var policies = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal)
        {
            ["administrator"] = AdministratorPolicy(naming, access, scope, security),
            ["developer"] = DeveloperPolicy(naming, scope, security.DataKey),
            ["readonly"] = ReadOnlyPolicy(naming),
        };
        foreach (var person in People)
        {
            var principals = person switch
            {
                "administrator" => access.Administrators,
                "developer" => access.Developers,
                _ => access.ReadOnly,
            };
            var id = PlatformNaming.Pascal(person == "readonly" ? "read-only" : person) + "Role";
            var properties = new CfnObject
            {
                ["RoleName"] = RoleName(naming, person),
                ["Path"] = PeoplePath(naming),
                ["Description"] = $"{naming.Env}: {person} (people's access; MFA required)",
                ["AssumeRolePolicyDocument"] = Trust(naming, person, principals, access.IdentityCenter).ToNode(),
                ["MaxSessionDuration"] = person == "administrator" ? 3600 : access.MaxSessionHours * 3600,
                ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = person, ["PolicyDocument"] = policies[person].ToNode() } },
                ["Tags"] = naming.Tags(person)
            };
            if (person == "readonly")
            {
                // Auditors see the whole account's configuration (that is what an audit checks) but no data: neither
                // managed policy reads objects, secret values, table items or log events.
                properties["ManagedPolicyArns"] = new CfnList
                {
                    Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/job-function/ViewOnlyAccess"),
                    Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/SecurityAudit"),
                };
            }

            var role = t.AddResource(id, "AWS::IAM::Role", properties);
            scope.Export(id + "Arn", role.GetAtt("Arn"), $"ARN of {RoleName(naming, person)}");
        }

        scope.Export("SessionDocumentName", SessionDocumentName(naming), "Session Manager document people name in aws ssm start-session");
        scope.Export("SessionLogGroupName", SessionLogGroupName(naming), "Log group of the Session Manager transcripts");
        return new PeopleAccess(scope);
    }

    private static PolicyDocument Trust(PlatformNaming naming, string person, IReadOnlyList<string> principals, bool identityCenter)
    {
        var trust = new PolicyDocument();
        if (principals.Count > 0)
        {
            trust.Add(new PolicyStatement
            {
                Sid = "PeopleWithRecentMfa",
                Principal = PolicyPrincipal.Aws([.. principals.Select(Principal)]),
                Actions = { "sts:AssumeRole" },
                Conditions = new CfnObject
                {
                    ["Bool"] = new CfnObject { ["aws:MultiFactorAuthPresent"] = "true" },
                    ["NumericLessThan"] = new CfnObject { ["aws:MultiFactorAuthAge"] = MfaMaxAgeSeconds.ToString(CultureInfo.InvariantCulture) },
                },
            });
        }

        if (identityCenter)
        {
            // Identity Center signs people in (with its own MFA) and hands them a role named after the permission set
            // in this account; that role may assume this one, nothing else of the account may.
            trust.Add(new PolicyStatement
            {
                Sid = "IdentityCenterPermissionSet",
                Principal = PolicyPrincipal.Aws(Fn.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")),
                Actions = { "sts:AssumeRole" },
                Conditions = new CfnObject
                {
                    ["ArnLike"] = new CfnObject
                    {
                        ["aws:PrincipalArn"] = Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_{RoleName(naming, person)}_*"),
                    },
                },
            });
        }

        return trust;
    }

    private static Value<string> Principal(string principal) =>
        principal.Length == 12 && principal.All(char.IsAsciiDigit) ? Fn.Sub($"arn:${{AWS::Partition}}:iam::{principal}:root") : principal;

    private static Intrinsic Arn(string service, string resource) => PlatformNaming.Arn(service, resource);

    private static Intrinsic AccountArn(string service, string resource) =>
        Fn.Sub($"arn:${{AWS::Partition}}:{service}::${{AWS::AccountId}}:{resource}");

    private static CfnObject EnvironmentTag(string key, PlatformNaming naming) =>
        new() { ["StringEquals"] = new CfnObject { [key] = naming.Env } };

    /// <summary>What every person may read: the environment's services, logs, metrics, alarms, images and hosts.</summary>
    private static IEnumerable<PolicyStatement> Observe(PlatformNaming naming)
    {
        yield return new PolicyStatement
        {
            // List and describe calls that IAM authorizes on "*" only.
            Sid = "ListAndDescribe",
            Actions =
            {
                "ecs:ListClusters", "ecs:ListServices", "ecs:ListTasks", "ecs:ListContainerInstances", "ecs:ListTaskDefinitions",
                "ecs:DescribeTaskDefinition", "logs:DescribeLogGroups", "logs:GetQueryResults", "logs:StopQuery",
                "cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard",
                "cloudwatch:ListDashboards", "ec2:DescribeInstances", "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
                "ecr:DescribeRepositories", "ssm:DescribeInstanceInformation", "ssm:DescribeSessions", "ssm:GetConnectionStatus",
                "cloudformation:ListStacks",
            },
            Resources = { "*" },
        };
        yield return new PolicyStatement
        {
            Sid = "DescribeOwnCluster",
            Actions = { "ecs:DescribeClusters", "ecs:DescribeServices", "ecs:DescribeTasks", "ecs:DescribeContainerInstances" },
            Resources = { Arn("ecs", $"cluster/{naming.Env}"), Arn("ecs", $"service/{naming.Env}/*"), Arn("ecs", $"task/{naming.Env}/*"), Arn("ecs", $"container-instance/{naming.Env}/*") },
        };
        yield return new PolicyStatement
        {
            Sid = "ReadOwnLogs",
            Actions = { "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery" },
            Resources = { Arn("logs", $"log-group:/ottkit/{naming.Env}/*") },
        };
        yield return new PolicyStatement
        {
            Sid = "ReadOwnImages",
            Actions = { "ecr:DescribeImages", "ecr:ListImages", "ecr:DescribeImageScanFindings" },
            Resources = { Arn("ecr", "repository/*") },
            Conditions = EnvironmentTag("aws:ResourceTag/ottkit:environment", naming),
        };
        yield return new PolicyStatement
        {
            Sid = "DescribeOwnStacks",
            Actions = { "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources", "cloudformation:GetTemplate" },
            Resources = { Arn("cloudformation", $"stack/{naming.Env}-*/*") },
        };
    }

    /// <summary>Session Manager onto this environment's hosts only, and only through its logged preferences document.</summary>
    private static IEnumerable<PolicyStatement> Sessions(PlatformNaming naming, StackScope scope, KmsKey dataKey)
    {
        yield return new PolicyStatement
        {
            Sid = "StartSessionsOnOwnHosts",
            Actions = { "ssm:StartSession" },
            Resources = { Arn("ec2", "instance/*") },
            Conditions = EnvironmentTag("ssm:resourceTag/ottkit:environment", naming),
        };
        yield return new PolicyStatement
        {
            Sid = "StartSessionsThroughLoggedDocument",
            Actions = { "ssm:StartSession" },
            Resources = { Arn("ssm", $"document/{SessionDocumentName(naming)}") },
            Conditions = new CfnObject { ["Bool"] = new CfnObject { ["ssm:SessionDocumentAccessCheck"] = "true" } },
        };
        yield return new PolicyStatement
        {
            Sid = "EndOwnSessions",
            Actions = { "ssm:TerminateSession", "ssm:ResumeSession" },
            Resources = { Fn.Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:session/${!aws:userid}-*") },
        };
        // The client generates the session's data key; the host decrypts it.
        yield return dataKey.Grant(scope, "EncryptOwnSessions", "kms:GenerateDataKey");
    }

    private static PolicyDocument DeveloperPolicy(PlatformNaming naming, StackScope scope, KmsKey dataKey)
    {
        var policy = new PolicyDocument();
        foreach (var statement in Observe(naming).Concat(Sessions(naming, scope, dataKey)))
        {
            policy.Add(statement);
        }

        policy.Add(new PolicyStatement
        {
            Sid = "OperateOwnServices",
            Actions = { "ecs:UpdateService", "ecs:StopTask" },
            Resources = { Arn("ecs", $"service/{naming.Env}/*"), Arn("ecs", $"task/{naming.Env}/*") },
        });
        policy.Add(new PolicyStatement
        {
            // Stack-generated bucket names begin with the stack's name, which begins with the environment's.
            Sid = "ReadOwnBuckets",
            Actions = { "s3:ListBucket", "s3:GetObject" },
            Resources = { Fn.Sub($"arn:${{AWS::Partition}}:s3:::{naming.Env}-*") },
            Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["aws:ResourceAccount"] = Fn.Ref("AWS::AccountId") } },
        });
        policy.Add(dataKey.GrantThrough(scope, "s3", "kms:Decrypt"));
        return policy;
    }

    /// <summary>The administrator's grants of <see cref="PatchPermissionScopes.Operator"/>, each statement's Sid prefixed <c>Patch</c>.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="database">Whether the environment has a database (its members are a second patch group).</param>
    internal static IEnumerable<PolicyStatement> PatchStatements(PlatformNaming naming, bool database)
    {
        IReadOnlyList<string> groups = database ? [naming.EcsPatchGroup, naming.MongoPatchGroup] : [naming.EcsPatchGroup];
        foreach (var statement in PermissionGrants.Statements(PatchPermissionScopes.Operator, scope => PatchPermissionScopes.Resolve(naming, scope, groups)))
        {
            statement.Sid = $"Patch{statement.Sid}";
            yield return statement;
        }
    }

    private static PolicyDocument AdministratorPolicy(PlatformNaming naming, PeopleAccessProps access, StackScope scope, SecurityBaseline security)
    {
        var policy = DeveloperPolicy(naming, scope, security.DataKey);
        policy.Add(new PolicyStatement
        {
            Sid = "AdministerOwnServices",
            Actions = { "ecs:UpdateCluster", "ecs:UpdateContainerInstancesState", "ecs:RunTask", "ecs:StartTask" },
            Resources = { Arn("ecs", $"cluster/{naming.Env}"), Arn("ecs", $"container-instance/{naming.Env}/*"), Arn("ecs", "task-definition/*") },
        });
        policy.Add(new PolicyStatement
        {
            Sid = "AdministerOwnHosts",
            Actions = { "ec2:RebootInstances", "ec2:StopInstances", "ec2:StartInstances", "ssm:SendCommand", "autoscaling:SetDesiredCapacity", "autoscaling:UpdateAutoScalingGroup" },
            Resources = { Arn("ec2", "instance/*"), Arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/*") },
            Conditions = EnvironmentTag("aws:ResourceTag/ottkit:environment", naming),
        });
        policy.Add(new PolicyStatement
        {
            Sid = "RunShellDocument",
            Actions = { "ssm:SendCommand" },
            Resources = { Fn.Sub("arn:${AWS::Partition}:ssm:${AWS::Region}::document/AWS-RunShellScript") },
        });

        // `ottkit patch scan|install` (and the ECS hosts' drain), granted from what they declare: an action a patch
        // operation newly declares reaches this role with no edit here.
        foreach (var statement in PatchStatements(naming, access.Database))
        {
            policy.Add(statement);
        }

        policy.Add(new PolicyStatement
        {
            Sid = "FollowCommands",
            Actions = { "ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:ListCommands" },
            Resources = { "*" },
        });
        policy.Add(new PolicyStatement
        {
            Sid = "ReadOwnSecrets",
            Actions = { "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue" },
            Resources = { Arn("secretsmanager", $"secret:{naming.Env}/*") },
        });
        policy.Add(security.DataKey.GrantThrough(scope, "secretsmanager", "kms:Decrypt"));
        policy.Add(new PolicyStatement
        {
            Sid = "WriteOwnBuckets",
            Actions = { "s3:PutObject", "s3:DeleteObject" },
            Resources = { Fn.Sub($"arn:${{AWS::Partition}}:s3:::{naming.Env}-*/*") },
            Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["aws:ResourceAccount"] = Fn.Ref("AWS::AccountId") } },
        });
        policy.Add(new PolicyStatement
        {
            Sid = "ReadAudit",
            Actions = { "cloudtrail:LookupEvents", "config:DescribeComplianceByConfigRule", "config:GetComplianceDetailsByConfigRule" },
            Resources = { "*" },
        });

        // Explicit denies win over any allow, including one a later policy adds: the audit trail stays on.
        policy.Add(new PolicyStatement
        {
            Sid = "DenyDisablingTheAuditTrail",
            Effect = PolicyEffect.Deny,
            Actions =
            {
                "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
                "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
                "config:PutConfigurationRecorder", "config:DeleteConfigRule",
            },
            Resources = { "*" },
        });
        policy.Add(new PolicyStatement
        {
            Sid = "DenyDestroyingKeysAndLogs",
            Effect = PolicyEffect.Deny,
            Actions = { "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "logs:DeleteLogGroup", "logs:DeleteLogStream", "logs:DisassociateKmsKey", "logs:PutRetentionPolicy" },
            Resources = { "*" },
        });
        if (security.AuditBucket is { } auditBucket)
        {
            var bucket = auditBucket.Arn(scope);
            var objects = auditBucket.ObjectsUnder(scope, string.Empty);
            policy.Add(new PolicyStatement
            {
                Sid = "DenyTamperingWithTheAuditBucket",
                Effect = PolicyEffect.Deny,
                Actions = { "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject" },
                Resources = { bucket, objects },
            });
        }

        return policy;
    }

    private static PolicyDocument ReadOnlyPolicy(PlatformNaming naming)
    {
        var policy = new PolicyDocument();
        foreach (var statement in Observe(naming))
        {
            policy.Add(statement);
        }

        return policy;
    }
}

/// <summary>
/// Where the environment's Session Manager sessions are logged when people's access is on: the access stack's log
/// group (named, not imported, so a host need not wait for that stack), the audit bucket's <c>session-manager/</c>
/// prefix when the security stack has one, the data key (sessions) and the logs key (transcripts through S3). A host
/// role that carries sessions gets what it needs from <see cref="GrantWriteTranscripts"/>.
/// </summary>
/// <param name="LogGroupName">The transcripts' log group (<see cref="PeopleAccessBuilder.SessionLogGroupName"/>).</param>
/// <param name="DataKey">The key the sessions are encrypted with.</param>
/// <param name="LogsKey">The key the audit bucket's objects are encrypted with.</param>
/// <param name="AuditBucket">The audit bucket, when CloudTrail or AWS Config is on.</param>
internal sealed record SessionLogging(string LogGroupName, KmsKey DataKey, KmsKey LogsKey, NamedBucket? AuditBucket)
{
    /// <summary>The environment's session logging, from its naming and security baseline.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="security">The keys and the audit bucket.</param>
    /// <returns>The session logging the hosts' roles are granted.</returns>
    public static SessionLogging Of(PlatformNaming naming, SecurityBaseline security) =>
        new(PeopleAccessBuilder.SessionLogGroupName(naming), security.DataKey, security.LogsKey, security.AuditBucket);

    /// <summary>
    /// What a host's role needs to carry Session Manager sessions through the environment's preferences document:
    /// decrypting the session's data key, writing the transcript to the log group and (when present) the audit bucket.
    /// </summary>
    /// <param name="host">The stack of the host's role.</param>
    /// <returns>The statements to add to the role's policy.</returns>
    public IEnumerable<PolicyStatement> GrantWriteTranscripts(StackScope host)
    {
        yield return DataKey.GrantDecrypt(host, "DecryptSessions");
        yield return new PolicyStatement { Sid = "FindSessionLogGroup", Actions = { "logs:DescribeLogGroups" }, Resources = { "*" } };
        yield return new PolicyStatement
        {
            Sid = "WriteSessionTranscripts",
            Actions = { "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams" },
            Resources = { PlatformNaming.Arn("logs", $"log-group:{LogGroupName}:*") },
        };
        if (AuditBucket is not null)
        {
            yield return new PolicyStatement
            {
                Sid = "WriteSessionTranscriptsToAuditBucket",
                Actions = { "s3:PutObject" },
                Resources = { AuditBucket.ObjectsUnder(host, PeopleAccessBuilder.SessionKeyPrefix) },
            };
            yield return new PolicyStatement
            {
                Sid = "CheckAuditBucketEncryption",
                Actions = { "s3:GetEncryptionConfiguration" },
                Resources = { AuditBucket.Arn(host) },
            };
            var encrypt = LogsKey.GrantThrough(host, "s3", "kms:GenerateDataKey");
            encrypt.Sid = "EncryptSessionTranscriptsThroughS3";
            yield return encrypt;
        }
    }
}

/// <summary>The people's access construct's props (<c>access.*</c>, the security log retention and whether a database
/// adds its patch group; see <see cref="ConstructProps.PeopleAccess"/>).</summary>
/// <param name="Administrators">Principals that may assume the administrator role.</param>
/// <param name="Developers">Principals that may assume the developer role.</param>
/// <param name="ReadOnly">Principals that may assume the read-only role.</param>
/// <param name="IdentityCenter">Whether IAM Identity Center permission sets of the same names may assume the roles.</param>
/// <param name="MaxSessionHours">Session length of the developer and read-only roles.</param>
/// <param name="LogRetentionDays">Retention of the session transcripts' log group (<c>security.logRetentionDays</c>).</param>
/// <param name="Database">Whether the environment has a database (the administrator patches its members too).</param>
internal sealed record PeopleAccessProps(
    IReadOnlyList<string> Administrators,
    IReadOnlyList<string> Developers,
    IReadOnlyList<string> ReadOnly,
    bool IdentityCenter,
    int MaxSessionHours,
    int LogRetentionDays,
    bool Database);
