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
    private static Template Monitoring(EnvironmentSpec spec) => spec.Synthesize()[$"{spec.Name}-{PlatformContext.MonitoringPart}"].Template;

    private static Dictionary<string, string> Dimensions(Resource alarm) =>
        ((CfnList)alarm.Properties["Dimensions"]).Cast<CfnObject>().ToDictionary(d => ((CfnScalar)d["Name"]).Text!, d => ((CfnScalar)d["Value"]).Text!, StringComparer.Ordinal);

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
}
