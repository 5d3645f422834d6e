using System.Text.Json.Nodes;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Testing;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// The ECS hosts' CloudWatch agent (issue 18): the configuration the user data writes is valid JSON shipping the ECS,
/// system and cloud-init logs to the hosts' KMS log group and publishing root-disk and memory use to the namespace and
/// group dimension the monitoring stack's disk alarm watches; the instance role allows the agent exactly that.
/// </summary>
public sealed class EcsHostAgentTests
{
    private const string Account = "246813579024";

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_agent_configuration_is_valid_and_publishes_what_the_disk_alarm_watches(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var set = spec.Synthesize();
        var cluster = set[$"{spec.Name}-cluster"].Template;
        var userData = ((JsonObject)JsonNode.Parse(((CfnObject)cluster.Resources["LaunchTemplate"].Properties["LaunchTemplateData"])["UserData"].ToString())!)["Fn::Base64"]!["Fn::Sub"]!.GetValue<string>();

        // What bash writes (quoted heredoc: no expansion) after CloudFormation's Fn::Sub.
        var start = userData.IndexOf("<<'AGENT'\n", StringComparison.Ordinal) + "<<'AGENT'\n".Length;
        var json = userData[start..userData.IndexOf("\nAGENT\n", start, StringComparison.Ordinal)]
            .Replace($"${{{EcsHostAgent.LogGroupId}}}", $"/ottkit/{spec.Name}/ecs-hosts", StringComparison.Ordinal)
            .Replace("${!", "${", StringComparison.Ordinal);
        var config = JsonNode.Parse(json)!;
        var files = config["logs"]!["logs_collected"]!["files"]!["collect_list"]!.AsArray().Select(f => f!["file_path"]!.GetValue<string>()).ToList();
        Assert.Equal(["/var/log/ecs/ecs-agent.log", "/var/log/ecs/ecs-init.log", "/var/log/messages", "/var/log/cloud-init-output.log"], files);
        Assert.All(config["logs"]!["logs_collected"]!["files"]!["collect_list"]!.AsArray(), f => Assert.Equal($"/ottkit/{spec.Name}/ecs-hosts", f!["log_group_name"]!.GetValue<string>()));
        Assert.Equal("${aws:AutoScalingGroupName}", config["metrics"]!["append_dimensions"]![EcsHostAgent.GroupDimension]!.GetValue<string>());
        Assert.Contains("systemctl enable --now rsyslog", userData, StringComparison.Ordinal);

        var logGroup = cluster.Resources[EcsHostAgent.LogGroupId];
        Assert.IsType<Intrinsic>(logGroup.Properties["KmsKeyId"]);
        Assert.Equal(DeletionPolicy.Retain, logGroup.DeletionPolicy);

        if (spec.Monitoring is null)
        {
            Assert.DoesNotContain(set.Stacks, s => s.Name == $"{spec.Name}-monitoring");
            return;
        }

        var alarm = set[$"{spec.Name}-monitoring"].Template.Resources["ClusterHostDiskSpaceAlarm"].Properties;
        Assert.Equal(config["metrics"]!["namespace"]!.GetValue<string>(), ((CfnScalar)alarm["Namespace"]).Text);
        Assert.Equal(EcsHostAgent.DiskUsedPercentMetric, ((CfnScalar)alarm["MetricName"]).Text);
        Assert.Contains("used_percent", config["metrics"]!["metrics_collected"]!["disk"]!["measurement"]!.AsArray().Select(m => m!.GetValue<string>()));
        // The alarm's dimensions are exactly one aggregation the agent publishes.
        var dimensions = ((CfnList)alarm["Dimensions"]).Cast<CfnObject>().Select(d => ((CfnScalar)d["Name"]).Text).ToList();
        Assert.Contains(config["metrics"]!["aggregation_dimensions"]!.AsArray(), a => a!.AsArray().Select(n => n!.GetValue<string>()).SequenceEqual(dimensions));
        Assert.Contains("AutoScalingGroupName", alarm["Dimensions"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_role_lets_the_agent_write_its_own_group_and_namespace_only()
    {
        var spec = SampleSpecs.Owl270();
        var set = spec.Synthesize();
        var stack = $"{spec.Name}-cluster";
        var policies = new SynthesizedPolicies(set, Account, new Dictionary<string, string>(StringComparer.Ordinal)).Of(stack, "InstanceRole");
        var otherGroup = $"arn:aws:logs:{spec.Region}:{Account}:log-group:/ottkit/{spec.Name}/mongodb";
        IamDecision Decide(string action, string resource, Dictionary<string, string>? context = null) => PolicyEvaluator.Evaluate(new IamRequest(action, resource, context), policies);

        Assert.Equal(IamDecision.Allowed, Decide("cloudwatch:PutMetricData", "*", new() { ["cloudwatch:namespace"] = EcsHostAgent.MetricsNamespace }));
        Assert.NotEqual(IamDecision.Allowed, Decide("cloudwatch:PutMetricData", "*", new() { ["cloudwatch:namespace"] = "OttKit/MongoDB" }));
        Assert.NotEqual(IamDecision.Allowed, Decide("logs:PutLogEvents", otherGroup));
        var statements = string.Join("\n", policies.Select(p => p.ToJsonString()));
        Assert.Contains("HostLogGroup", set[stack].Template.Resources["InstanceRole"].Properties["Policies"].ToString(), StringComparison.Ordinal);
        Assert.Contains("AgentShipsLogsToOwnGroup", statements, StringComparison.Ordinal);
    }
}
