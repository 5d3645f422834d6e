using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Tests.Blueprint;
using static Workmates.OttKit.Tests.Mongo.Health.ReplicaSetShapes;

namespace Workmates.OttKit.Tests.Constructs;

public sealed class DatabaseHealthAlarmsTests
{
    private static Template Monitoring(EnvironmentSpec spec) => spec.Synthesize()[$"{spec.Name}-{PlatformNaming.MonitoringPart}"].Template;

    private static Dictionary<string, string> Dimensions(Resource alarm) =>
        ((CfnList)alarm.Properties["Dimensions"]).Cast<CfnObject>().ToDictionary(d => ((CfnScalar)d["Name"]).Text!, d => d["Value"] is CfnScalar scalar ? scalar.Text! : d["Value"].ToString()!, StringComparer.Ordinal);

    private static string Text(Resource alarm, string key) => ((CfnScalar)alarm.Properties[key]).Text!;

    [Fact]
    public void Every_replica_set_alarm_watches_a_metric_and_dimensions_the_health_publisher_emits()
    {
        var spec = SampleSpecs.Owl270();
        var points = ReplicaSetHealthMetrics.ToDataPoints(Evaluate(Healthy()), spec.Name);
        var alarms = Monitoring(spec).Resources.Values
            .Where(r => r.Type == "AWS::CloudWatch::Alarm" && r.Properties.ContainsKey("Namespace") && Text(r, "Namespace") == ReplicaSetHealthMetricNames.Namespace)
            .ToList();

        Assert.Equal(["MongoMembersDownAlarm", "MongoNoPrimaryAlarm", "MongoOplogHeadroomAlarm", "MongoReplicationLagAlarm"], alarms.Select(a => a.LogicalId).Order(StringComparer.Ordinal));
        foreach (var alarm in alarms)
        {
            var dimensions = Dimensions(alarm);
            Assert.Contains(points, p => p.MetricName == Text(alarm, "MetricName")
                && p.Dimensions.Count == dimensions.Count
                && dimensions.All(d => p.Dimensions.TryGetValue(d.Key, out var value) && value == d.Value));
        }
    }

    [Fact]
    public void The_no_primary_alarm_treats_a_silent_health_task_as_breaching_and_the_others_do_not()
    {
        var alarms = Monitoring(SampleSpecs.Owl270()).Resources;

        Assert.Equal("breaching", Text(alarms["MongoNoPrimaryAlarm"], "TreatMissingData"));
        Assert.Equal("LessThanThreshold", Text(alarms["MongoNoPrimaryAlarm"], "ComparisonOperator"));
        Assert.Equal("notBreaching", Text(alarms["MongoReplicationLagAlarm"], "TreatMissingData"));
        Assert.Equal(ReplicaSetHealthDefaults.ReplicationLagDegraded.TotalSeconds, ((CfnScalar)alarms["MongoReplicationLagAlarm"].Properties["Threshold"]).NumberValue);
    }

    [Fact]
    public void The_backup_age_alarm_watches_what_the_backup_task_publishes_over_the_daily_interval_plus_slack()
    {
        var spec = SampleSpecs.Blacksheep();
        var alarm = Monitoring(spec).Resources["BackupAgeAlarm"];

        Assert.Equal(BackupMetricNames.Namespace, Text(alarm, "Namespace"));
        Assert.Equal(BackupMetricNames.LastSuccessfulBackupAgeSeconds, Text(alarm, "MetricName"));
        Assert.Equal(new Dictionary<string, string> { [BackupMetricNames.EnvironmentDimension] = spec.Name }, Dimensions(alarm));
        Assert.Equal(26d * 3600, ((CfnScalar)alarm.Properties["Threshold"]).NumberValue);
        Assert.Equal("26", Text(alarm, "EvaluationPeriods"));
        Assert.Equal("3600", Text(alarm, "Period"));
        Assert.Equal("breaching", Text(alarm, "TreatMissingData"));
    }

    [Fact]
    public void Every_alarm_notifies_the_environment_topic_on_alarm_and_on_ok()
    {
        var alarms = Monitoring(SampleSpecs.Owl270()).Resources.Values.Where(r => r.Type == "AWS::CloudWatch::Alarm").ToList();

        var topic = Monitoring(SampleSpecs.Owl270()).Resources["AlarmTopic"].Ref().ToString();
        Assert.Contains(alarms, a => a.LogicalId == "MongoNoPrimaryAlarm");
        Assert.All(alarms, a => Assert.Equal(topic, ((CfnList)a.Properties["AlarmActions"]).Single().ToString()));
        Assert.All(alarms, a => Assert.Equal(topic, ((CfnList)a.Properties["OKActions"]).Single().ToString()));
    }

    [Fact]
    public void The_data_volume_space_alarm_watches_what_the_members_CloudWatch_agent_is_configured_to_publish()
    {
        var spec = SampleSpecs.Owl270();
        var set = spec.Synthesize();
        var alarm = set[$"{spec.Name}-monitoring"].Template.Resources["MongoMember1DataVolumeSpaceAlarm"];
        var database = set[$"{spec.Name}-database"].Template;
        var userData = string.Join("\n", Strings(System.Text.Json.Nodes.JsonNode.Parse(database.Resources["Member1"].Properties["UserData"].ToString())!));
        var role = string.Join("\n", Strings(System.Text.Json.Nodes.JsonNode.Parse(database.Resources["Member1Role"].Properties["Policies"].ToString())!));

        Assert.Equal(MongoUserData.HostMetricsNamespace, Text(alarm, "Namespace"));
        Assert.Equal(MongoUserData.DiskUsedPercentMetric, Text(alarm, "MetricName"));
        Assert.Equal(MongoUserData.DiskDimensions, Dimensions(alarm).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(MongoUserData.DataPath, Dimensions(alarm)["path"]);
        Assert.Equal(MongoUserData.DataFileSystem, Dimensions(alarm)["fstype"]);
        Assert.Contains($"\"namespace\": \"{MongoUserData.HostMetricsNamespace}\"", userData, StringComparison.Ordinal);
        Assert.Contains($"\"resources\": [\"{MongoUserData.DataPath}\"], \"drop_device\": true", userData, StringComparison.Ordinal);
        Assert.Contains("$DOLLAR{aws:InstanceId}", userData, StringComparison.Ordinal);
        Assert.Contains($"mkfs.{MongoUserData.DataFileSystem}", userData, StringComparison.Ordinal);
        Assert.Contains(MongoUserData.HostMetricsNamespace, role, StringComparison.Ordinal);
        Assert.Contains("logs:PutLogEvents", role, StringComparison.Ordinal);
        Assert.IsType<Intrinsic>(database.Resources["MongoLogGroup"].Properties["KmsKeyId"]);
    }

    private static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => p.Value is null ? Enumerable.Empty<string>() : Strings(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(v => v is null ? Enumerable.Empty<string>() : Strings(v)),
        _ => node.GetValueKind() == System.Text.Json.JsonValueKind.String ? [node.GetValue<string>()] : [],
    };
}
