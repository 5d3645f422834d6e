using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// A service's scaling: a scalable target; target tracking on <c>ALBRequestCountPerTarget</c> (resource label from the
/// load balancer and target group full names); optional CPU tracking; and scheduled actions for live events
/// (raise at pre-warm, restore after the end, both in UTC) and recurring schedules (cron in a named time zone).
/// </summary>
internal static class AutoscalingBuilder
{
    public static void Add(Template t, PlatformNaming naming, ServiceProps props, Resource ecsService, Resource targets, CfnNode loadBalancerFullName, StackScope scope, Cluster cluster)
    {
        var service = props.Service;
        var scheduled = new CfnList();
        foreach (var ev in props.LiveEvents)
        {
            var bounds = ev.Services.FirstOrDefault(s => string.Equals(s.Service, service.Name, StringComparison.Ordinal));
            if (bounds is null)
            {
                continue;
            }

            scheduled.Add(Action($"{ev.Name}-prewarm", At(ev.PreWarmStartUtc), "UTC", bounds.MinTasks, bounds.MaxTasks));
            scheduled.Add(Action($"{ev.Name}-restore", At(ev.RestoreAtUtc), "UTC", service.Scaling.MinTasks, service.Scaling.MaxTasks));
        }

        foreach (var schedule in props.ScheduledScaling)
        {
            var bounds = schedule.Services.FirstOrDefault(s => string.Equals(s.Service, service.Name, StringComparison.Ordinal));
            if (bounds is null)
            {
                continue;
            }

            scheduled.Add(Action($"{schedule.Name}-start", schedule.StartCron, schedule.TimeZone, bounds.MinTasks, bounds.MaxTasks));
            scheduled.Add(Action($"{schedule.Name}-end", schedule.EndCron, schedule.TimeZone, service.Scaling.MinTasks, service.Scaling.MaxTasks));
        }

        var target = new CfnObject
        {
            ["ServiceNamespace"] = "ecs",
            ["ScalableDimension"] = "ecs:service:DesiredCount",
            ["ResourceId"] = Fn.Sub("service/${Cluster}/${Service.Name}", new CfnObject { ["Cluster"] = cluster.ClusterName.In(scope) }),
            ["MinCapacity"] = service.Scaling.MinTasks,
            ["MaxCapacity"] = service.Scaling.MaxTasks,
        };
        if (scheduled.Count > 0)
        {
            target["ScheduledActions"] = scheduled;
        }

        var scalable = t.AddResource("ScalableTarget", "AWS::ApplicationAutoScaling::ScalableTarget", target);
        scalable.DependOn(ecsService);

        t.AddResource("RequestCountScaling", "AWS::ApplicationAutoScaling::ScalingPolicy", new CfnObject
        {
            ["PolicyName"] = $"{naming.Env}-{service.Name}-requests",
            ["PolicyType"] = "TargetTrackingScaling",
            ["ScalingTargetId"] = scalable.Ref(),
            ["TargetTrackingScalingPolicyConfiguration"] = new CfnObject
            {
                ["TargetValue"] = (double)service.Scaling.RequestsPerTarget,
                ["PredefinedMetricSpecification"] = new CfnObject
                {
                    ["PredefinedMetricType"] = "ALBRequestCountPerTarget",
                    ["ResourceLabel"] = Fn.Join("/", loadBalancerFullName, targets.GetAtt("TargetGroupFullName")),
                },
                ["ScaleOutCooldown"] = 60,
                ["ScaleInCooldown"] = 300,
            },
        });

        if (service.Scaling.CpuTargetPercent is { } cpu)
        {
            t.AddResource("CpuScaling", "AWS::ApplicationAutoScaling::ScalingPolicy", new CfnObject
            {
                ["PolicyName"] = $"{naming.Env}-{service.Name}-cpu",
                ["PolicyType"] = "TargetTrackingScaling",
                ["ScalingTargetId"] = scalable.Ref(),
                ["TargetTrackingScalingPolicyConfiguration"] = new CfnObject
                {
                    ["TargetValue"] = (double)cpu,
                    ["PredefinedMetricSpecification"] = new CfnObject { ["PredefinedMetricType"] = "ECSServiceAverageCPUUtilization" },
                    ["ScaleOutCooldown"] = 60,
                    ["ScaleInCooldown"] = 300,
                },
            });
        }
    }

    /// <summary><c>at(yyyy-mm-ddThh:mm:ss)</c>: Application Auto Scaling's one-time schedule, read in the action's time zone (UTC here).</summary>
    internal static string At(DateTimeOffset utc) => $"at({utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)})";

    private static CfnObject Action(string name, string schedule, string timeZone, int min, int max) => new()
    {
        ["ScheduledActionName"] = name,
        ["Schedule"] = schedule,
        ["Timezone"] = timeZone,
        ["ScalableTargetAction"] = new CfnObject { ["MinCapacity"] = min, ["MaxCapacity"] = max },
    };
}
