using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The host floor that goes with a live event's task floor: the services' scheduled actions raise their minimum
/// tasks at pre-warm, and these Auto Scaling scheduled actions raise the group's <c>MinSize</c> and
/// <c>DesiredCapacity</c> at the same instant to the hosts those tasks need (CPU, memory and ENIs of the smallest
/// instance type, from <see cref="ClusterCapacity"/>), so the tasks find warm hosts instead of waiting for managed
/// scaling. At restore only <c>MinSize</c> returns to <c>cluster.minHosts</c>: managed scaling owns the desired count
/// and scales in as tasks drain (the hosts are protected from scale-in while they run tasks).
/// </summary>
internal static class HostFloorBuilder
{
    public static void Add(Template t, PlatformContext ctx, Resource group)
    {
        var cluster = ctx.Spec.Cluster;
        if (ClusterCapacity.SmallestHost(cluster) is not { } host)
        {
            return;
        }

        foreach (var ev in ctx.Spec.LiveEvents)
        {
            var floor = ClusterCapacity.Demand(host, cluster.EniTrunking, ClusterCapacity.Tasks(ctx.Spec, ev.Services, floor: true)).Hosts;
            var hosts = (int)Math.Clamp(floor, cluster.MinHosts, cluster.MaxHosts);
            if (hosts <= cluster.MinHosts)
            {
                continue;
            }

            var id = PlatformContext.Pascal(ev.Name);
            t.AddResource($"{id}HostFloorPrewarm", "AWS::AutoScaling::ScheduledAction", new CfnObject
            {
                ["AutoScalingGroupName"] = group.Ref(),
                ["StartTime"] = Utc(ev.PreWarmStartUtc),
                ["MinSize"] = hosts,
                ["DesiredCapacity"] = hosts,
            });
            t.AddResource($"{id}HostFloorRestore", "AWS::AutoScaling::ScheduledAction", new CfnObject
            {
                ["AutoScalingGroupName"] = group.Ref(),
                ["StartTime"] = Utc(ev.RestoreAtUtc),
                ["MinSize"] = cluster.MinHosts,
            });
        }
    }

    /// <summary>Auto Scaling's one-time start: <c>YYYY-MM-DDThh:mm:ssZ</c> in UTC.</summary>
    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
