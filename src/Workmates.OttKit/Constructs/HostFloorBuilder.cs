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
    public static void Add(Template t, HostFloorProps props, Resource group)
    {
        if (ClusterCapacity.SmallestHost(props.InstanceTypes, props.EniTrunking) is not { } host)
        {
            return;
        }

        foreach (var ev in props.LiveEvents)
        {
            var floor = ClusterCapacity.Demand(host, props.EniTrunking, ClusterCapacity.Tasks(props.Services, ev.Services, floor: true)).Hosts;
            var hosts = (int)Math.Clamp(floor, props.MinHosts, props.MaxHosts);
            if (hosts <= props.MinHosts)
            {
                continue;
            }

            var id = PlatformNaming.Pascal(ev.Name);
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
                ["MinSize"] = props.MinHosts,
            });
        }
    }

    /// <summary>Auto Scaling's one-time start: <c>YYYY-MM-DDThh:mm:ssZ</c> in UTC.</summary>
    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>What the host floor reads (see <see cref="ConstructProps.Cluster"/>): the cluster's instance types and
/// bounds, and the services' task sizes and floors during each live event, counted by <see cref="ClusterCapacity"/>.</summary>
/// <param name="InstanceTypes">The cluster's instance types (the smallest known one is counted on).</param>
/// <param name="EniTrunking">Whether <c>awsvpcTrunking</c> is on (tasks per host).</param>
/// <param name="MinHosts">The group's usual minimum (the floor is raised only above it, and restored to it).</param>
/// <param name="MaxHosts">The group's maximum (the floor never exceeds it).</param>
/// <param name="Services">The environment's services, in spec order (task sizes and usual floors).</param>
/// <param name="LiveEvents">The live events, each with its pre-warm and restore instants and raised task floors.</param>
internal sealed record HostFloorProps(
    IReadOnlyList<string> InstanceTypes,
    bool EniTrunking,
    int MinHosts,
    int MaxHosts,
    IReadOnlyList<ServiceSpec> Services,
    IReadOnlyList<LiveEventSpec> LiveEvents);
