using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The CloudWatch agent on the ECS hosts, as the MongoDB members have one (<see cref="MongoUserData"/>): the ECS agent's
/// and ecs-init's logs, the system log (<c>/var/log/messages</c>: AL2023 keeps its journal in journald only, so the user
/// data installs rsyslog to write it) and cloud-init's output go to the KMS-encrypted log group
/// <c>/ottkit/&lt;env&gt;/ecs-hosts</c>, one stream per instance and file; the root volume's used percent and the memory's
/// used percent go to <see cref="MetricsNamespace"/>, per instance and aggregated per Auto Scaling group (what the
/// monitoring stack's disk alarm watches, so hosts that come and go need no alarm of their own).
/// </summary>
internal static class EcsHostAgent
{
    /// <summary>The namespace the hosts' agent publishes to (the instance role may publish there only).</summary>
    public const string MetricsNamespace = "OttKit/EcsHost";

    /// <summary>The root volume's used percent.</summary>
    public const string DiskUsedPercentMetric = "disk_used_percent";

    /// <summary>The dimension of the per-group aggregate the alarm watches.</summary>
    public const string GroupDimension = "AutoScalingGroupName";

    /// <summary>The logical id of the hosts' log group (<c>Fn::Sub</c> in the user data names it).</summary>
    public const string LogGroupId = "HostLogGroup";

    /// <summary>The hosts' log group, KMS-encrypted with the logs key and retained.</summary>
    public static Resource LogGroup(Template t, PlatformNaming ctx, Intrinsic logsKey)
    {
        var logGroup = t.AddResource(LogGroupId, "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = $"/ottkit/{ctx.Env}/ecs-hosts",
            ["RetentionInDays"] = SpecDefaults.LogRetentionDays,
            ["KmsKeyId"] = logsKey,
            ["Tags"] = ctx.Tags("ecs-hosts"),
        });
        logGroup.DeletionPolicy = DeletionPolicy.Retain;
        logGroup.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        return logGroup;
    }

    /// <summary>The agent's grants (CloudWatchAgentServerPolicy, narrowed as the members' are): its own log group, its own namespace, and the tag read that names the group dimension.</summary>
    public static PolicyDocument Policy(Resource logGroup) => new()
    {
        new PolicyStatement
        {
            Sid = "AgentShipsLogsToOwnGroup",
            Actions = { "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams" },
            Resources = { logGroup.GetAtt("Arn") },
        },
        new PolicyStatement
        {
            Sid = "AgentPublishesHostMetrics",
            Actions = { "cloudwatch:PutMetricData" },
            Resources = { "*" },
            Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["cloudwatch:namespace"] = MetricsNamespace } },
        },
        new PolicyStatement
        {
            // The agent resolves ${aws:AutoScalingGroupName} from the instance's tags; DescribeTags has no resource-level permission.
            Sid = "AgentReadsOwnGroupTag",
            Actions = { "ec2:DescribeTags" },
            Resources = { "*" },
        },
    };

    /// <summary>
    /// The user-data lines that install, configure and start the agent, inside the cluster's <c>Fn::Sub</c>: the log
    /// group is <c>${HostLogGroup}</c>, the agent's own placeholders are escaped <c>${!…}</c>, and the quoted heredoc
    /// keeps bash from expanding them.
    /// </summary>
    public static IEnumerable<string> UserDataLines()
    {
        const string Config = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json";
        string File(string path, string stream) =>
            string.Create(CultureInfo.InvariantCulture, $"    {{ \"file_path\": \"{path}\", \"log_group_name\": \"${{{LogGroupId}}}\", \"log_stream_name\": \"{{instance_id}}/{stream}\" }}");
        return
        [
            "# CloudWatch agent: ECS and system logs to the environment's log group, root disk and memory used percent",
            "dnf install -y amazon-cloudwatch-agent rsyslog",
            "systemctl enable --now rsyslog",
            "mkdir -p /opt/aws/amazon-cloudwatch-agent/etc",
            $"cat > {Config} <<'AGENT'",
            "{",
            "  \"agent\": { \"metrics_collection_interval\": 60, \"omit_hostname\": true },",
            "  \"metrics\": {",
            $"    \"namespace\": \"{MetricsNamespace}\",",
            $"    \"append_dimensions\": {{ \"InstanceId\": \"${{!aws:InstanceId}}\", \"{GroupDimension}\": \"${{!aws:AutoScalingGroupName}}\" }},",
            $"    \"aggregation_dimensions\": [[\"{GroupDimension}\"]],",
            "    \"metrics_collected\": {",
            "      \"disk\": { \"measurement\": [\"used_percent\"], \"resources\": [\"/\"], \"drop_device\": true },",
            "      \"mem\": { \"measurement\": [\"used_percent\"] }",
            "    }",
            "  },",
            "  \"logs\": { \"logs_collected\": { \"files\": { \"collect_list\": [",
            File("/var/log/ecs/ecs-agent.log", "ecs-agent") + ",",
            File("/var/log/ecs/ecs-init.log", "ecs-init") + ",",
            File("/var/log/messages", "messages") + ",",
            File("/var/log/cloud-init-output.log", "cloud-init"),
            "  ] } } }",
            "}",
            "AGENT",
            $"/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:{Config}",
        ];
    }
}
