using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The spec-free naming every construct shares: the environment name, its tags, stack names, stable export names
/// (<c>&lt;env&gt;:&lt;part&gt;:&lt;Name&gt;</c>), role paths and logical-ID/ARN helpers. It never holds the
/// whole spec: what a construct reads from the spec arrives in its own props record, mapped by
/// <see cref="ConstructProps"/>. Cross-stack wiring is typed: see <see cref="StackGraph"/>.
/// </summary>
internal class PlatformNaming(string environment, IReadOnlyDictionary<string, string> environmentTags)
{
    public const string SecurityPart = "security";
    public const string NetworkPart = "network";
    public const string ClusterPart = "cluster";
    public const string LoadBalancerPart = "load-balancer";
    public const string RepositoriesPart = "repositories";
    public const string DatabasePart = "database";
    public const string AdminAccessPart = "admin-access";
    public const string PatchingPart = "patching";
    public const string BackupsPart = "backups";
    public const string DatabaseBackupPart = "database-backup";
    public const string AccessPart = "access";

    /// <summary>The tag key SSM Patch Manager reads to find an instance's patch group.</summary>
    public const string PatchGroupTag = "Patch Group";

    /// <summary>Patch group of the ECS hosts.</summary>
    public string EcsPatchGroup => $"{Env}-ecs-hosts";

    /// <summary>Patch group of the MongoDB members.</summary>
    public string MongoPatchGroup => $"{Env}-mongodb";

    /// <summary>Tag key and value that put a resource in the AWS Backup plan's daily selection.</summary>
    public const string BackupTag = "ottkit:backup";

    public string BackupTagValue => $"{Env}-daily";
    public const string MediaPart = "media";
    public const string EdgeWafPart = "edge-waf";
    public const string MonitoringPart = "monitoring";
    public const string CiPart = "ci";

    /// <summary>The stack an administrator deploys first: the artifacts bucket and its key (see <see cref="BootstrapBuilder"/>).</summary>
    public const string BootstrapPart = "bootstrap";

    /// <summary>CloudFront reads WAF web ACLs and certificates only from us-east-1.</summary>
    public const string EdgeRegion = "us-east-1";

    /// <summary>The environment name (<c>metadata.name</c>): the prefix of every stack, export, role path and name tag.</summary>
    public string Env { get; } = environment;

    public string StackName(string part) => $"{Env}-{part}";

    /// <summary>IAM path of the services' task and execution roles: the CI role may pass exactly these.</summary>
    public string TaskRolePath => $"/ottkit/{Env}/tasks/";

    /// <summary>IAM path of every other role and instance profile the stacks create without a name: the CloudFormation
    /// service role manages exactly <c>role/ottkit/&lt;env&gt;/*</c>, which no other environment's role can match (an
    /// environment name holds no '/'), where <c>role/&lt;stack&gt;-*</c> also matched an environment named
    /// <c>&lt;env&gt;-prod</c>.</summary>
    public string RolePath => $"/ottkit/{Env}/";

    /// <summary>Gives every unnamed role and instance profile of <paramref name="template"/> that has no path of its
    /// own the environment's <see cref="RolePath"/>.</summary>
    public void PlaceRolesUnderEnvironmentPath(Template template)
    {
        foreach (var resource in template.Resources.Values)
        {
            var named = resource.Type switch
            {
                "AWS::IAM::Role" => resource.Properties.ContainsKey("RoleName"),
                "AWS::IAM::InstanceProfile" => resource.Properties.ContainsKey("InstanceProfileName"),
                _ => true,
            };
            if (!named && !resource.Properties.ContainsKey("Path"))
            {
                resource.Properties["Path"] = RolePath;
            }
        }
    }

    public static string ServicePart(string service) => $"service-{service}";

    /// <summary>The stable export name <c>&lt;env&gt;:&lt;part&gt;:&lt;name&gt;</c> (<see cref="StackScope.ExportNameOf"/> of that part's stack).</summary>
    public string ExportName(string part, string name) => $"{Env}:{part}:{name}";

    /// <summary>The environment's tags plus <c>ottkit:environment</c> and, when given, <c>Name</c>.</summary>
    public Tags Tags(string? name = null)
    {
        var tags = new Tags();
        foreach (var (key, value) in environmentTags)
        {
            tags[key] = value;
        }

        tags["ottkit:environment"] = Env;
        if (name is not null)
        {
            tags["Name"] = $"{Env}-{name}";
        }

        return tags;
    }

    /// <summary>Auto Scaling group tags: the same keys, each propagated to launched instances.</summary>
    public CfnList AutoScalingTags(string name) =>
        [.. Tags(name).Select(t => (CfnNode)new CfnObject { ["Key"] = t.Key, ["Value"] = t.Value, ["PropagateAtLaunch"] = true })];

    /// <summary><c>live-chat</c> → <c>LiveChat</c>: a logical-ID fragment derived from a DNS-safe name.</summary>
    public static string Pascal(string name) => LogicalIds.Pascal(name);

    /// <summary>An ARN in this partition, region and account: <c>arn:${AWS::Partition}:&lt;service&gt;:${AWS::Region}:${AWS::AccountId}:&lt;resource&gt;</c>.</summary>
    public static Intrinsic Arn(string service, string resource) =>
        Fn.Sub($"arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{resource}");

    /// <summary>A security group egress rule that matches no traffic, so the group allows none (AWS adds allow-all otherwise).</summary>
    public static CfnObject NoEgress() => new()
    {
        ["CidrIp"] = "255.255.255.255/32",
        ["Description"] = "Disallow all traffic",
        ["IpProtocol"] = "icmp",
        ["FromPort"] = 252,
        ["ToPort"] = 86,
    };

    public static CfnObject AssumeRole(string service) => new PolicyDocument
    {
        new PolicyStatement
        {
            Principal = PolicyPrincipal.Service(service),
            Actions = { "sts:AssumeRole" },
        },
    }.ToNode();
}
