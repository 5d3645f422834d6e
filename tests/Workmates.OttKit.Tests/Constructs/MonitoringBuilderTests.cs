using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

public sealed class MonitoringBuilderTests
{
    private static EnvironmentSpec Spec() => TestSpecs.Valid() with { Monitoring = new MonitoringSpec { AlarmEmails = ["oncall@example.com", "a.b@example.com", "a-b@example.com"] } };

    private const bool NoDatabase = false;

    /// <summary>A three-member replica set: the monitoring stack takes its members through the database's typed handles.</summary>
    private static bool ThreeMembers() => true;

    private static Template Build(bool database)
    {
        var spec = database ? Spec() with { Database = new DatabaseSpec { Members = 3 } } : Spec();
        return PlatformGraph.Compose(spec).Stacks.Single(s => s.Part == PlatformNaming.MonitoringPart).Template;
    }

    private static IEnumerable<Resource> Alarms(Template t) => t.Resources.Values.Where(r => r.Type == "AWS::CloudWatch::Alarm");

    [Fact]
    public void Every_service_gets_target_5xx_p95_unhealthy_and_tasks_below_desired_alarms()
    {
        var names = Alarms(Build(NoDatabase)).Select(a => ((CfnScalar)a.Properties["AlarmName"]).Text).ToHashSet(StringComparer.Ordinal);

        foreach (var service in new[] { "web", "api" })
        {
            Assert.Contains($"demo-{service}-target-5xx", names);
            Assert.Contains($"demo-{service}-p95-response-time", names);
            Assert.Contains($"demo-{service}-unhealthy-targets", names);
            Assert.Contains($"demo-{service}-tasks-below-desired", names);
        }

        Assert.Contains("demo-load-balancer-5xx-rate", names);
        Assert.Contains("demo-cluster-cpu-reservation", names);
        Assert.Contains("demo-cluster-memory-reservation", names);
    }

    [Fact]
    public void Response_time_threshold_is_converted_from_milliseconds_to_seconds()
    {
        var alarm = Build(NoDatabase).Resources["WebResponseTimeAlarm"];
        Assert.Equal(1.5, ((CfnScalar)alarm.Properties["Threshold"]).NumberValue);
        Assert.Equal("p95", ((CfnScalar)alarm.Properties["ExtendedStatistic"]).Text);
    }

    [Fact]
    public void Without_database_exports_there_are_no_mongodb_or_backup_alarms()
    {
        var t = Build(NoDatabase);
        Assert.DoesNotContain(t.Resources.Keys, k => k.StartsWith("MongoMember", StringComparison.Ordinal));
        Assert.False(t.Resources.ContainsKey("BackupFailedRule"));
        Assert.DoesNotContain(":database:", t.ToYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Database_member_exports_give_status_check_and_volume_throughput_alarms_per_member()
    {
        var t = Build(ThreeMembers());

        foreach (var n in new[] { 1, 2, 3 })
        {
            Assert.Contains($"demo:database:Member{n}InstanceId", t.Resources[$"MongoMember{n}StatusCheckAlarm"].Properties["Dimensions"].ToString(), StringComparison.Ordinal);
            Assert.Contains($"demo:database:Member{n}DataVolumeId", t.Resources[$"MongoMember{n}VolumeThroughputAlarm"].Properties["Metrics"].ToString(), StringComparison.Ordinal);
        }

        Assert.False(t.Resources.ContainsKey("MongoMember4StatusCheckAlarm"));
    }

    [Fact]
    public void Blacksheep_backup_failure_rule_watches_the_family_the_database_backup_stack_registers()
    {
        var set = SampleSpecs.Blacksheep().Synthesize();
        var family = ((CfnScalar)set["blacksheep-database-backup"].Template.Resources["BackupTaskDefinition"].Properties["Family"]).Text;
        var pattern = set["blacksheep-monitoring"].Template.Resources["BackupFailedRule"].Properties["EventPattern"].ToString();

        Assert.Contains($"task-definition/{family}:", pattern, StringComparison.Ordinal);
    }

    [Fact]
    public void Backup_rule_matches_only_failed_runs_of_the_backup_family_and_notifies_the_topic()
    {
        var rule = Build(ThreeMembers()).Resources["BackupFailedRule"];
        var pattern = rule.Properties["EventPattern"].ToString();
        Assert.Contains("task-definition/demo-mongodb-backup:", pattern, StringComparison.Ordinal);
        Assert.Contains("\"anything-but\":0", pattern, StringComparison.Ordinal);
        Assert.Contains("STOPPED", pattern, StringComparison.Ordinal);
        Assert.Equal(Fn.Ref("AlarmTopic").ToString(), ((CfnObject)((CfnList)rule.Properties["Targets"])[0])["Arn"].ToString());
    }

    [Fact]
    public void Audit_delivery_is_watched_when_cloudtrail_and_config_are_on()
    {
        var t = Build(NoDatabase);
        Assert.Equal("breaching", ((CfnScalar)t.Resources["TrailDeliveryAlarm"].Properties["TreatMissingData"]).Text);
        Assert.Contains("ConfigurationSnapshotDeliveryFailed", t.Resources["ConfigDeliveryFailedRule"].Properties["EventPattern"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_email_is_subscribed_even_when_two_addresses_give_the_same_logical_id()
    {
        var endpoints = Build(NoDatabase).Resources.Values.Where(r => r.Type == "AWS::SNS::Subscription")
            .Select(r => ((CfnScalar)r.Properties["Endpoint"]).Text).Order(StringComparer.Ordinal);
        Assert.Equal(["a-b@example.com", "a.b@example.com", "oncall@example.com"], endpoints);
    }

    [Fact]
    public void Dashboard_starts_with_big_numbers_and_lists_every_alarm()
    {
        var t = Build(ThreeMembers());
        var sub = (CfnList)((Intrinsic)t.Resources["Dashboard"].Properties["DashboardBody"]).Argument;
        var body = ((CfnScalar)sub[0]).Text!;
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var widgets = json.RootElement.GetProperty("widgets").EnumerateArray().ToArray();

        Assert.All(widgets.Where(w => w.GetProperty("y").GetInt32() == 0), w => Assert.Equal("singleValue", w.GetProperty("properties").GetProperty("view").GetString()));
        var alarmWidget = widgets.Single(w => w.GetProperty("type").GetString() == "alarm");
        Assert.Equal(Alarms(t).Count(), alarmWidget.GetProperty("properties").GetProperty("alarms").GetArrayLength());
        Assert.Contains("${Member3Instance}", body, StringComparison.Ordinal);
        Assert.Contains("Failed backups", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_widgets_fit_the_24_column_grid_without_overlapping()
    {
        var sub = (CfnList)((Intrinsic)Build(ThreeMembers()).Resources["Dashboard"].Properties["DashboardBody"]).Argument;
        using var json = System.Text.Json.JsonDocument.Parse(((CfnScalar)sub[0]).Text!);
        var cells = new HashSet<(int, int)>();
        foreach (var w in json.RootElement.GetProperty("widgets").EnumerateArray())
        {
            var (x, y, width, height) = (w.GetProperty("x").GetInt32(), w.GetProperty("y").GetInt32(), w.GetProperty("width").GetInt32(), w.GetProperty("height").GetInt32());
            Assert.True(x + width <= 24);
            for (var i = x; i < x + width; i++)
            {
                for (var j = y; j < y + height; j++)
                {
                    Assert.True(cells.Add((i, j)), $"overlap at {i},{j}");
                }
            }
        }
    }
}
