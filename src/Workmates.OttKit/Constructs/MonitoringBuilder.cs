using System.Globalization;
using System.Text;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The monitoring stack: an SNS topic encrypted with the data key (whose policy lets CloudWatch and EventBridge use
/// it) with the spec's e-mail subscriptions; alarms that all notify the topic (load balancer 5xx rate; per service
/// target 5xx, p95 response time, unhealthy targets and running tasks below desired; cluster reservation; MongoDB
/// member status checks, data-volume throughput and free space (the members' CloudWatch agent); the replica set's health metrics — no primary, replication lag,
/// oplog headroom, members down — and the backup age, declared in <see cref="DatabaseHealthAlarms"/>; audit delivery); EventBridge rules for a failed backup task and a
/// failed AWS Config delivery; and one dashboard for a person watching a live event, big numbers first.
/// MongoDB members come from the <see cref="Database"/> construct's typed member handles: each use records the import.
/// </summary>
internal static class MonitoringBuilder
{
    /// <summary>Family of the scheduled MongoDB backup task, <c>&lt;env&gt;-mongodb-backup</c> (the database-backup stack's task family).</summary>
    public static string BackupFamily(PlatformNaming naming) => DatabaseBackupBuilder.Family(naming);

    /// <summary>Name of the SNS topic every alarm notifies, <c>&lt;env&gt;-alarms</c>.</summary>
    public static string AlarmTopicName(PlatformNaming naming) => $"{naming.Env}-alarms";

    private const double MiB = 1024 * 1024;

    /// <summary>Used share of a member's data volume above which its space alarm fires: 20 % left is a few days of growth to act in.</summary>
    public const int DataVolumeUsedPercent = 80;

    /// <param name="naming">The environment's naming.</param>
    /// <param name="scope">The monitoring stack.</param>
    /// <param name="monitoring">What is watched how: <c>monitoring.*</c> and which audit deliveries exist.</param>
    /// <param name="security">The keys and the trail.</param>
    /// <param name="cluster">The cluster whose reservation and services are watched.</param>
    /// <param name="loadBalancer">The load balancer whose 5xx rate is watched.</param>
    /// <param name="services">The services whose targets and tasks are watched.</param>
    /// <param name="database">The replica set, when the environment has one: its members get alarms.</param>
    public static Monitoring Build(PlatformNaming naming, StackScope scope, MonitoringProps monitoring, SecurityBaseline security, Cluster cluster, LoadBalancer loadBalancer, IReadOnlyList<Service> services, Database? database)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: alarms, notifications and the live-event dashboard";

        var topic = t.AddResource("AlarmTopic", "AWS::SNS::Topic", new CfnObject
        {
            ["TopicName"] = AlarmTopicName(naming),
            ["DisplayName"] = $"{naming.Env} alarms",
            ["KmsMasterKeyId"] = security.DataKey.Arn.In(scope),
            ["Tags"] = naming.Tags("alarms"),
        });
        t.AddResource("AlarmTopicPolicy", "AWS::SNS::TopicPolicy", new CfnObject
        {
            ["Topics"] = new CfnList { topic.Ref() },
            ["PolicyDocument"] = new PolicyDocument
            {
                new PolicyStatement
                {
                    Sid = "AlarmsAndRulesOfThisAccountPublish",
                    Principal = PolicyPrincipal.Service("cloudwatch.amazonaws.com", "events.amazonaws.com"),
                    Actions = { "sns:Publish" },
                    Resources = { topic.Ref() },
                    Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId } },
                },
                new PolicyStatement
                {
                    Sid = "DenyInsecureTransport",
                    Effect = PolicyEffect.Deny,
                    Principal = PolicyPrincipal.Anyone,
                    Actions = { "sns:Publish" },
                    Resources = { topic.Ref() },
                    Conditions = new CfnObject { ["Bool"] = new CfnObject { ["aws:SecureTransport"] = "false" } },
                },
            }.ToNode(),
        });
        var subscriptionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var email in monitoring.AlarmEmails)
        {
            var id = "AlarmEmail" + PlatformNaming.Pascal(email);
            if (!subscriptionIds.Add(id))
            {
                // "a.b@x" and "a-b@x" give the same name; a stable suffix from the address keeps both.
                id += StableSuffix(email);
                subscriptionIds.Add(id);
            }

            t.AddResource(id, "AWS::SNS::Subscription", new CfnObject
            {
                ["TopicArn"] = topic.Ref(),
                ["Protocol"] = "email",
                ["Endpoint"] = email,
            });
        }

        var alarms = new AlarmFactory(t, naming, topic);
        var loadBalancerName = loadBalancer.LoadBalancerFullName.In(scope);
        var clusterName = cluster.ClusterName.In(scope);
        var targetGroups = services.ToDictionary(s => s.Name, s => s.TargetGroupFullName, StringComparer.Ordinal);

        alarms.Math(
            "LoadBalancer5xxRateAlarm",
            "load-balancer-5xx-rate",
            $"More than {monitoring.LoadBalancer5xxPercent} % of requests answered 5xx (load balancer or targets) for 3 of 5 minutes",
            "IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)",
            "5xx % of requests",
            [
                ("elb5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", Dims(("LoadBalancer", loadBalancerName)), "Sum"),
                ("target5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", Dims(("LoadBalancer", loadBalancerName)), "Sum"),
                ("requests", "AWS/ApplicationELB", "RequestCount", Dims(("LoadBalancer", loadBalancerName)), "Sum"),
            ],
            60,
            5,
            3,
            monitoring.LoadBalancer5xxPercent,
            "GreaterThanThreshold");

        foreach (var service in services)
        {
            var id = PlatformNaming.Pascal(service.Name);
            var targets = Dims(("LoadBalancer", loadBalancerName), ("TargetGroup", targetGroups[service.Name].In(scope)));
            alarms.Metric(
                $"{id}Target5xxAlarm",
                $"{service.Name}-target-5xx",
                $"{service.Name} answers more than {monitoring.Target5xxPerMinute} 5xx a minute, 3 minutes in a row",
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                targets,
                "Sum",
                60,
                3,
                3,
                monitoring.Target5xxPerMinute,
                "GreaterThanThreshold");
            alarms.Metric(
                $"{id}ResponseTimeAlarm",
                $"{service.Name}-p95-response-time",
                $"{service.Name} p95 response time above {monitoring.TargetResponseTimeP95Milliseconds} ms, 3 minutes in a row",
                "AWS/ApplicationELB",
                "TargetResponseTime",
                (CfnList)targets.DeepClone(),
                "p95",
                60,
                3,
                3,
                monitoring.TargetResponseTimeP95Milliseconds / 1000.0,
                "GreaterThanThreshold");
            alarms.Metric(
                $"{id}UnhealthyHostsAlarm",
                $"{service.Name}-unhealthy-targets",
                $"{service.Name} has unhealthy targets for 3 minutes",
                "AWS/ApplicationELB",
                "UnHealthyHostCount",
                (CfnList)targets.DeepClone(),
                "Maximum",
                60,
                3,
                3,
                0,
                "GreaterThanThreshold");
            var serviceDims = Dims(("ClusterName", clusterName), ("ServiceName", service.Name));
            alarms.Math(
                $"{id}TasksBelowDesiredAlarm",
                $"{service.Name}-tasks-below-desired",
                $"{service.Name} runs fewer tasks than desired for 10 minutes (no capacity, failing health checks or crash loop)",
                "FILL(desired, 0) - FILL(running, 0)",
                "tasks missing",
                [
                    ("running", "ECS/ContainerInsights", "RunningTaskCount", serviceDims, "Average"),
                    ("desired", "ECS/ContainerInsights", "DesiredTaskCount", (CfnList)serviceDims.DeepClone(), "Average"),
                ],
                60,
                10,
                10,
                0,
                "GreaterThanThreshold");
        }

        foreach (var (resource, metric) in new[] { ("Cpu", "CPUReservation"), ("Memory", "MemoryReservation") })
        {
            alarms.Metric(
                $"Cluster{resource}ReservationAlarm",
                $"cluster-{resource.ToLowerInvariant()}-reservation",
                $"Cluster {resource.ToLowerInvariant()} reservation above {monitoring.HostReservationPercent} % for 15 minutes: hosts are nearly full",
                "AWS/ECS",
                metric,
                Dims(("ClusterName", clusterName)),
                "Maximum",
                300,
                3,
                3,
                monitoring.HostReservationPercent,
                "GreaterThanThreshold");
        }

        // Published by the hosts' CloudWatch agent (EcsHostAgent), aggregated per Auto Scaling group: the fullest host.
        alarms.Metric(
            "ClusterHostDiskSpaceAlarm",
            "cluster-host-disk-space",
            $"An ECS host's root volume is more than {DataVolumeUsedPercent} % full for 15 minutes (image layers and logs; ECS stops placing tasks on a full host)",
            EcsHostAgent.MetricsNamespace,
            EcsHostAgent.DiskUsedPercentMetric,
            Dims((EcsHostAgent.GroupDimension, cluster.AutoScalingGroupName.In(scope))),
            "Maximum",
            300,
            3,
            3,
            DataVolumeUsedPercent,
            "GreaterThanThreshold");

        var members = Members(scope, database);
        foreach (var (member, instance, volume) in members)
        {
            var n = member.ToString(CultureInfo.InvariantCulture);
            if (instance is not null)
            {
                alarms.Metric(
                    $"MongoMember{n}StatusCheckAlarm",
                    $"mongo-{n}-status-check",
                    $"MongoDB member {n} fails its EC2 status checks (instance or host) for 2 minutes",
                    "AWS/EC2",
                    "StatusCheckFailed",
                    Dims(("InstanceId", instance)),
                    "Maximum",
                    60,
                    2,
                    2,
                    1,
                    "GreaterThanOrEqualToThreshold");

                // Published by the member's CloudWatch agent (MongoUserData): the data volume's mount, device dropped.
                alarms.Metric(
                    $"MongoMember{n}DataVolumeSpaceAlarm",
                    $"mongo-{n}-data-volume-space",
                    $"MongoDB member {n}'s data volume is more than {DataVolumeUsedPercent} % full for 15 minutes (grow the volume before mongod stops writing)",
                    MongoUserData.HostMetricsNamespace,
                    MongoUserData.DiskUsedPercentMetric,
                    Dims(("InstanceId", instance), ("fstype", MongoUserData.DataFileSystem), ("path", MongoUserData.DataPath)),
                    "Maximum",
                    300,
                    3,
                    3,
                    DataVolumeUsedPercent,
                    "GreaterThanThreshold");
            }

            if (volume is not null)
            {
                var volumeDims = Dims(("VolumeId", volume));
                alarms.Math(
                    $"MongoMember{n}VolumeThroughputAlarm",
                    $"mongo-{n}-volume-throughput",
                    $"MongoDB member {n}'s data volume moves more than {monitoring.DataVolumeThroughputMiBps} MiB/s for 15 minutes",
                    $"(FILL(reads, 0) + FILL(writes, 0)) / PERIOD(reads) / {MiB.ToString(CultureInfo.InvariantCulture)}",
                    "MiB/s",
                    [
                        ("reads", "AWS/EBS", "VolumeReadBytes", volumeDims, "Sum"),
                        ("writes", "AWS/EBS", "VolumeWriteBytes", (CfnList)volumeDims.DeepClone(), "Sum"),
                    ],
                    300,
                    3,
                    3,
                    monitoring.DataVolumeThroughputMiBps,
                    "GreaterThanThreshold");
            }
        }

        var hasDatabase = members.Count > 0;
        if (hasDatabase)
        {
            // The replica set's health (published every minute by the database-backup stack's health task) and the backup age.
            foreach (var alarm in DatabaseHealthAlarms.For(naming.Env))
            {
                alarms.Metric(
                    alarm.Id,
                    alarm.Name,
                    alarm.Description,
                    alarm.Namespace,
                    alarm.Metric,
                    Dims([.. alarm.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => (d.Key, (CfnNode)d.Value))]),
                    alarm.Statistic,
                    alarm.Period,
                    alarm.Evaluations,
                    alarm.ToAlarm,
                    alarm.Threshold,
                    alarm.Comparison,
                    alarm.TreatMissingData);
            }

            // A backup task that stops with a non-zero exit code; the topic gets the ECS event itself.
            t.AddResource("BackupFailedRule", "AWS::Events::Rule", new CfnObject
            {
                ["Name"] = $"{naming.Env}-backup-failed",
                ["Description"] = $"{naming.Env}: the MongoDB backup task stopped with a non-zero exit code",
                ["State"] = "ENABLED",
                ["EventPattern"] = new CfnObject
                {
                    ["source"] = new CfnList { "aws.ecs" },
                    ["detail-type"] = new CfnList { "ECS Task State Change" },
                    ["detail"] = new CfnObject
                    {
                        ["lastStatus"] = new CfnList { "STOPPED" },
                        ["taskDefinitionArn"] = new CfnList { new CfnObject { ["prefix"] = PlatformNaming.Arn("ecs", $"task-definition/{BackupFamily(naming)}:") } },
                        ["containers"] = new CfnObject { ["exitCode"] = new CfnList { new CfnObject { ["anything-but"] = 0 } } },
                    },
                },
                ["Targets"] = new CfnList { new CfnObject { ["Id"] = "alarm-topic", ["Arn"] = topic.Ref() } },
            });
        }

        if (monitoring.AuditTrail)
        {
            // The trail delivers to CloudWatch Logs continuously; an hour without events means delivery broke.
            alarms.Metric(
                "TrailDeliveryAlarm",
                "cloudtrail-delivery",
                "CloudTrail delivered no events to CloudWatch Logs for an hour (trail stopped or delivery failing)",
                "AWS/Logs",
                "IncomingLogEvents",
                Dims(("LogGroupName", security.TrailLogGroupName!.In(scope))),
                "Sum",
                3600,
                1,
                1,
                1,
                "LessThanThreshold",
                treatMissingData: "breaching");
        }

        if (monitoring.ConfigRecorder)
        {
            t.AddResource("ConfigDeliveryFailedRule", "AWS::Events::Rule", new CfnObject
            {
                ["Name"] = $"{naming.Env}-config-delivery-failed",
                ["Description"] = $"{naming.Env}: AWS Config could not deliver a configuration history or snapshot",
                ["State"] = "ENABLED",
                ["EventPattern"] = new CfnObject
                {
                    ["source"] = new CfnList { "aws.config" },
                    ["detail-type"] = new CfnList { "Config Configuration History Delivery Status", "Config Configuration Snapshot Delivery Status" },
                    ["detail"] = new CfnObject
                    {
                        ["messageType"] = new CfnList { "ConfigurationHistoryDeliveryFailed", "ConfigurationSnapshotDeliveryFailed" },
                    },
                },
                ["Targets"] = new CfnList { new CfnObject { ["Id"] = "alarm-topic", ["Arn"] = topic.Ref() } },
            });
        }

        t.AddResource("Dashboard", "AWS::CloudWatch::Dashboard", new CfnObject
        {
            ["DashboardName"] = $"{naming.Env}-live",
            ["DashboardBody"] = MonitoringDashboard.Body(naming, scope, cluster, loadBalancer, services, members, hasDatabase, alarms.Names),
        });

        return new Monitoring(scope, scope.Export("AlarmTopicArn", topic.Ref(), "SNS topic every alarm notifies"));
    }

    /// <summary>The database members whose exports the stack set publishes, numbered from 1 without gaps.</summary>
    internal static IReadOnlyList<(int Member, Intrinsic? Instance, Intrinsic? Volume)> Members(StackScope scope, Database? database) =>
        database is null ? [] : [.. database.Members.Select(m => (m.Number, (Intrinsic?)m.InstanceId.In(scope), (Intrinsic?)m.DataVolumeId.In(scope)))];

    internal static CfnList Dims(params (string Name, CfnNode Value)[] dimensions) =>
        [.. dimensions.Select(d => (CfnNode)new CfnObject { ["Name"] = d.Name, ["Value"] = d.Value })];

    private static string StableSuffix(string text)
    {
        // FNV-1a: deterministic across runs and machines, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash.ToString("X8", CultureInfo.InvariantCulture);
    }

    /// <summary>Adds alarms that all notify the topic on ALARM and OK, and remembers their names for the dashboard.</summary>
    private sealed class AlarmFactory(Template template, PlatformNaming naming, Resource topic)
    {
        public List<string> Names { get; } = [];

        public void Metric(string id, string name, string description, string ns, string metric, CfnList dimensions, string statistic, int period, int evaluations, int toAlarm, double threshold, string comparison, string treatMissingData = "notBreaching")
        {
            var properties = Common(name, description, evaluations, toAlarm, threshold, comparison, treatMissingData);
            properties["Namespace"] = ns;
            properties["MetricName"] = metric;
            properties["Dimensions"] = dimensions;
            properties[statistic.StartsWith('p') ? "ExtendedStatistic" : "Statistic"] = statistic;
            properties["Period"] = period;
            template.AddResource(id, "AWS::CloudWatch::Alarm", properties);
        }

        public void Math(string id, string name, string description, string expression, string label, (string Id, string Namespace, string Metric, CfnList Dimensions, string Statistic)[] inputs, int period, int evaluations, int toAlarm, double threshold, string comparison)
        {
            var properties = Common(name, description, evaluations, toAlarm, threshold, comparison, "notBreaching");
            var metrics = new CfnList
            {
                new CfnObject { ["Id"] = "result", ["Expression"] = expression, ["Label"] = label, ["ReturnData"] = true },
            };
            foreach (var input in inputs)
            {
                metrics.Add(new CfnObject
                {
                    ["Id"] = input.Id,
                    ["ReturnData"] = false,
                    ["MetricStat"] = new CfnObject
                    {
                        ["Metric"] = new CfnObject { ["Namespace"] = input.Namespace, ["MetricName"] = input.Metric, ["Dimensions"] = input.Dimensions },
                        ["Period"] = period,
                        ["Stat"] = input.Statistic,
                    },
                });
            }

            properties["Metrics"] = metrics;
            template.AddResource(id, "AWS::CloudWatch::Alarm", properties);
        }

        private CfnObject Common(string name, string description, int evaluations, int toAlarm, double threshold, string comparison, string treatMissingData)
        {
            var alarmName = $"{naming.Env}-{name}";
            Names.Add(alarmName);
            return new CfnObject
            {
                ["AlarmName"] = alarmName,
                ["AlarmDescription"] = description,
                ["ActionsEnabled"] = true,
                ["AlarmActions"] = new CfnList { topic.Ref() },
                ["OKActions"] = new CfnList { topic.Ref() },
                ["EvaluationPeriods"] = evaluations,
                ["DatapointsToAlarm"] = toAlarm,
                ["Threshold"] = threshold,
                ["ComparisonOperator"] = comparison,
                ["TreatMissingData"] = treatMissingData,
            };
        }
    }
}

/// <summary>The monitoring construct's props (<c>monitoring.*</c> and which audit deliveries the security stack makes;
/// see <see cref="ConstructProps.Monitoring"/>).</summary>
/// <param name="AlarmEmails">Addresses subscribed to the alarm topic.</param>
/// <param name="LoadBalancer5xxPercent">5xx share of requests above which the load balancer alarm fires.</param>
/// <param name="Target5xxPerMinute">5xx a minute above which a service's target alarm fires.</param>
/// <param name="TargetResponseTimeP95Milliseconds">p95 response time above which a service's latency alarm fires.</param>
/// <param name="HostReservationPercent">Cluster CPU or memory reservation above which the capacity alarm fires.</param>
/// <param name="DataVolumeThroughputMiBps">A member data volume's throughput above which its alarm fires.</param>
/// <param name="AuditTrail">Whether CloudTrail delivers to CloudWatch Logs (its delivery is watched).</param>
/// <param name="ConfigRecorder">Whether AWS Config delivers (a failed delivery is caught).</param>
internal sealed record MonitoringProps(
    IReadOnlyList<string> AlarmEmails,
    int LoadBalancer5xxPercent,
    int Target5xxPerMinute,
    int TargetResponseTimeP95Milliseconds,
    int HostReservationPercent,
    int DataVolumeThroughputMiBps,
    bool AuditTrail,
    bool ConfigRecorder);
