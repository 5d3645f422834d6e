namespace Workmates.OttKit.Blueprint;

/// <summary>CPU architecture of an instance type; it selects the ECS-optimised AMI.</summary>
public enum CpuArchitecture
{
    /// <summary>x86-64 (Intel, AMD).</summary>
    X64,

    /// <summary>64-bit Arm (AWS Graviton).</summary>
    Arm64,
}

/// <summary>An EC2 instance type's size as ECS sees it.</summary>
/// <param name="Name">Instance type, for example <c>m6i.large</c>.</param>
/// <param name="VCpus">Virtual CPUs (1024 ECS CPU units each).</param>
/// <param name="MemoryMiB">Nominal memory in MiB.</param>
/// <param name="Architecture">CPU architecture.</param>
public sealed record InstanceTypeInfo(string Name, int VCpus, int MemoryMiB, CpuArchitecture Architecture)
{
    /// <summary>ECS CPU units the host offers to tasks.</summary>
    public int CpuUnits => VCpus * 1024;

    /// <summary>
    /// Memory the host offers to tasks: nominal minus 10 % for the OS and the ECS agent
    /// (a conservative estimate of what the agent registers).
    /// </summary>
    public int SchedulableMemoryMiB => MemoryMiB - (MemoryMiB / 10);
}

/// <summary>The instance types the blueprint knows the size of (common general-purpose, compute and memory types).</summary>
public static class InstanceTypes
{
    private static readonly Dictionary<string, InstanceTypeInfo> Table = Build();

    /// <summary>Every known type, ordered by name.</summary>
    public static IReadOnlyList<InstanceTypeInfo> All { get; } = [.. Table.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>Looks up an instance type by name.</summary>
    /// <param name="name">Instance type, for example <c>m6i.large</c>.</param>
    /// <param name="info">The type's size when known.</param>
    /// <returns><see langword="true"/> when the type is in the table.</returns>
    public static bool TryGet(string name, out InstanceTypeInfo info)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Table.TryGetValue(name, out info!);
    }

    private static Dictionary<string, InstanceTypeInfo> Build()
    {
        var table = new Dictionary<string, InstanceTypeInfo>(StringComparer.Ordinal);
        // Families of the same shape: (family, memory GiB per vCPU, architecture); sizes large..4xlarge.
        (string Family, int GiBPerVCpu, CpuArchitecture Arch)[] families =
        [
            ("m5", 4, CpuArchitecture.X64), ("m5a", 4, CpuArchitecture.X64), ("m6i", 4, CpuArchitecture.X64),
            ("m6a", 4, CpuArchitecture.X64), ("m7i", 4, CpuArchitecture.X64), ("m7a", 4, CpuArchitecture.X64),
            ("c5", 2, CpuArchitecture.X64), ("c6i", 2, CpuArchitecture.X64), ("c6a", 2, CpuArchitecture.X64),
            ("c7i", 2, CpuArchitecture.X64), ("r5", 8, CpuArchitecture.X64), ("r6i", 8, CpuArchitecture.X64),
            ("r7i", 8, CpuArchitecture.X64),
            ("m6g", 4, CpuArchitecture.Arm64), ("m7g", 4, CpuArchitecture.Arm64), ("m8g", 4, CpuArchitecture.Arm64),
            ("c6g", 2, CpuArchitecture.Arm64), ("c7g", 2, CpuArchitecture.Arm64), ("c8g", 2, CpuArchitecture.Arm64),
            ("r6g", 8, CpuArchitecture.Arm64), ("r7g", 8, CpuArchitecture.Arm64),
        ];
        (string Size, int VCpus)[] sizes = [("large", 2), ("xlarge", 4), ("2xlarge", 8), ("4xlarge", 16)];
        foreach (var (family, perVCpu, arch) in families)
        {
            foreach (var (size, vcpus) in sizes)
            {
                var name = $"{family}.{size}";
                table[name] = new InstanceTypeInfo(name, vcpus, vcpus * perVCpu * 1024, arch);
            }
        }

        // Burstable types: 2 vCPUs each, memory does not follow a ratio.
        (string Name, int GiB, CpuArchitecture Arch)[] burstable =
        [
            ("t3.medium", 4, CpuArchitecture.X64), ("t3.large", 8, CpuArchitecture.X64), ("t3a.medium", 4, CpuArchitecture.X64),
            ("t3a.large", 8, CpuArchitecture.X64), ("t4g.medium", 4, CpuArchitecture.Arm64), ("t4g.large", 8, CpuArchitecture.Arm64),
        ];
        foreach (var (name, gib, arch) in burstable)
        {
            table[name] = new InstanceTypeInfo(name, 2, gib * 1024, arch);
        }

        return table;
    }
}
