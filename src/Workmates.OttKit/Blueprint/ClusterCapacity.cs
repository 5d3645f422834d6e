namespace Workmates.OttKit.Blueprint;

/// <summary>
/// How many hosts a set of tasks needs: CPU units, schedulable memory and, because every service's tasks use the
/// <c>awsvpc</c> network mode, one ENI (or trunk branch) per task. The validator and the cluster's host-floor actions
/// both size from here, so the checks and the synthesized floors agree.
/// </summary>
public static class ClusterCapacity
{
    /// <summary>Hosts of <paramref name="host"/> needed to place the tasks, by the tightest of CPU, memory and ENIs.</summary>
    /// <param name="host">The instance type counted on (the smallest of the cluster's types).</param>
    /// <param name="eniTrunking">Whether the account setting <c>awsvpcTrunking</c> is on.</param>
    /// <param name="tasks">Each service's task size and the number of its tasks.</param>
    /// <returns>The demand and the hosts it needs.</returns>
    public static CapacityDemand Demand(InstanceTypeInfo host, bool eniTrunking, IEnumerable<(ServiceSpec Service, int Tasks)> tasks)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(tasks);
        long cpu = 0, memory = 0, count = 0;
        foreach (var (service, n) in tasks)
        {
            var k = Math.Max(0, n);
            cpu += (long)k * Math.Max(0, service.Cpu);
            memory += (long)k * Math.Max(0, service.Memory);
            count += k;
        }

        var perHost = host.AwsvpcTasks(eniTrunking);
        var byEni = perHost == 0 ? (count == 0 ? 0 : long.MaxValue) : Ceiling(count, perHost);
        var hosts = Math.Max(Math.Max(Ceiling(cpu, host.CpuUnits), Ceiling(memory, host.SchedulableMemoryMiB)), byEni);
        return new CapacityDemand(cpu, memory, count, hosts, Ceiling(cpu, host.CpuUnits), Ceiling(memory, host.SchedulableMemoryMiB), byEni);
    }

    /// <summary>Each service's tasks during a scenario: raised bounds where given, the service's own otherwise.</summary>
    /// <param name="spec">The environment.</param>
    /// <param name="raised">Bounds of a live event or schedule (empty for normal operation).</param>
    /// <param name="floor"><see langword="true"/> for the task floors (minTasks), <see langword="false"/> for the ceilings (maxTasks).</param>
    /// <returns>(service, tasks) in spec order.</returns>
    public static IEnumerable<(ServiceSpec Service, int Tasks)> Tasks(EnvironmentSpec spec, IReadOnlyList<LiveEventServiceSpec> raised, bool floor)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Tasks(spec.Services, raised, floor);
    }

    /// <summary>Each service's tasks during a scenario (the one implementation: the validator reaches it through the
    /// environment, the cluster's host floor through its props).</summary>
    /// <param name="services">The environment's services, in spec order.</param>
    /// <param name="raised">Bounds of a live event or schedule (empty for normal operation).</param>
    /// <param name="floor"><see langword="true"/> for the task floors (minTasks), <see langword="false"/> for the ceilings (maxTasks).</param>
    /// <returns>(service, tasks) in spec order.</returns>
    internal static IEnumerable<(ServiceSpec Service, int Tasks)> Tasks(IReadOnlyList<ServiceSpec> services, IReadOnlyList<LiveEventServiceSpec> raised, bool floor)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(raised);
        return Each(services, raised, floor);
    }

    private static IEnumerable<(ServiceSpec Service, int Tasks)> Each(IReadOnlyList<ServiceSpec> services, IReadOnlyList<LiveEventServiceSpec> raised, bool floor)
    {
        foreach (var s in services)
        {
            var bounds = raised.FirstOrDefault(r => string.Equals(r.Service, s.Name, StringComparison.Ordinal));
            yield return (s, floor ? bounds?.MinTasks ?? s.Scaling.MinTasks : bounds?.MaxTasks ?? s.Scaling.MaxTasks);
        }
    }

    /// <summary>The smallest known instance type of the cluster (by CPU, then memory): the conservative host to count on.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>The type, or <see langword="null"/> when none is known.</returns>
    public static InstanceTypeInfo? SmallestHost(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return SmallestHost(cluster.InstanceTypes, cluster.EniTrunking);
    }

    /// <summary>The smallest known of <paramref name="instanceTypes"/> (by CPU, then memory, then awsvpc tasks).</summary>
    /// <param name="instanceTypes">The cluster's instance types.</param>
    /// <param name="eniTrunking">Whether the account setting <c>awsvpcTrunking</c> is on.</param>
    /// <returns>The type, or <see langword="null"/> when none is known.</returns>
    internal static InstanceTypeInfo? SmallestHost(IReadOnlyList<string> instanceTypes, bool eniTrunking) =>
        instanceTypes
            .Select(name => InstanceTypes.TryGet(name, out var info) ? info : null)
            .OfType<InstanceTypeInfo>()
            .OrderBy(i => i.CpuUnits).ThenBy(i => i.MemoryMiB).ThenBy(i => i.AwsvpcTasks(eniTrunking))
            .FirstOrDefault();

    private static long Ceiling(long value, long per) => per <= 0 ? 0 : (value + per - 1) / per;
}

/// <summary>What a set of tasks asks of the cluster.</summary>
/// <param name="Cpu">ECS CPU units.</param>
/// <param name="MemoryMiB">Memory in MiB.</param>
/// <param name="Tasks">Tasks (one ENI or trunk branch each).</param>
/// <param name="Hosts">Hosts needed: the largest of the three below.</param>
/// <param name="HostsByCpu">Hosts needed for the CPU units.</param>
/// <param name="HostsByMemory">Hosts needed for the memory.</param>
/// <param name="HostsByEni">Hosts needed for the network interfaces.</param>
public sealed record CapacityDemand(long Cpu, long MemoryMiB, long Tasks, long Hosts, long HostsByCpu, long HostsByMemory, long HostsByEni);
