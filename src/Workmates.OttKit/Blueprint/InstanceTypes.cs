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

    /// <summary>
    /// Network interfaces the type can attach (EC2 User Guide, "Maximum IP addresses per network interface"); the
    /// primary one belongs to the host, so without ENI trunking the host runs this many minus one awsvpc tasks.
    /// </summary>
    public int MaxNetworkInterfaces { get; init; }

    /// <summary>
    /// awsvpc tasks per host with the ECS account setting <c>awsvpcTrunking</c> on (ECS Developer Guide, "ENI trunking
    /// supported instance types"); <see langword="null"/> when the type does not support trunking (burstable types).
    /// </summary>
    public int? TrunkedTaskLimit { get; init; }

    /// <summary>awsvpc tasks one host can place: its task ENIs, or the trunked limit when trunking is on and supported.</summary>
    /// <param name="eniTrunking">Whether the account setting <c>awsvpcTrunking</c> is on.</param>
    /// <returns>Tasks per host (at least 0).</returns>
    public int AwsvpcTasks(bool eniTrunking) =>
        eniTrunking && TrunkedTaskLimit is { } trunked ? trunked : Math.Max(0, MaxNetworkInterfaces - 1);
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
        // Every family above has the same network shape per size: ENIs large 3, xlarge 4, 2xlarge 4, 4xlarge 8; trunked task
        // limits large 10, xlarge 20, 2xlarge 40, 4xlarge 60. Checked row by row against the ECS Developer Guide, "Supported
        // Amazon EC2 instance types" of "Elastic network interface trunking"
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html; read in
        // its source awsdocs/amazon-ecs-developer-guide, doc_source/container-instance-eni.md at 49232cf, June 2023), whose
        // table gives "task limit without ENI trunking" (= ENIs - 1) and "with ENI trunking": m5, m5a, m6a, m6i, m6g, m7g,
        // c5, c6a, c6i, c6g, c7g, r5, r6i, r6g and r7g match for all four sizes (2/10, 3/20, 3/40, 7/60). m7i, m7a, c7i,
        // r7i, m8g and c8g came out after that table and are not in it: their figures follow the same generation's shape
        // and are not confirmed by a page read here.
        (string Size, int VCpus, int Enis, int Trunked)[] sizes = [("large", 2, 3, 10), ("xlarge", 4, 4, 20), ("2xlarge", 8, 4, 40), ("4xlarge", 16, 8, 60)];
        foreach (var (family, perVCpu, arch) in families)
        {
            foreach (var (size, vcpus, enis, trunked) in sizes)
            {
                var name = $"{family}.{size}";
                table[name] = new InstanceTypeInfo(name, vcpus, vcpus * perVCpu * 1024, arch) { MaxNetworkInterfaces = enis, TrunkedTaskLimit = trunked };
            }
        }

        // Burstable types: 2 vCPUs each, memory does not follow a ratio; 3 ENIs each (EC2 User Guide; consistent with the
        // max-pods 17 and 35 of t4g.medium/large in awslabs/amazon-eks-ami's eni-max-pods.txt); ECS does not trunk them:
        // no t3, t3a or t4g type is in the ECS guide's table above.
        (string Name, int GiB, CpuArchitecture Arch)[] burstable =
        [
            ("t3.medium", 4, CpuArchitecture.X64), ("t3.large", 8, CpuArchitecture.X64), ("t3a.medium", 4, CpuArchitecture.X64),
            ("t3a.large", 8, CpuArchitecture.X64), ("t4g.medium", 4, CpuArchitecture.Arm64), ("t4g.large", 8, CpuArchitecture.Arm64),
        ];
        foreach (var (name, gib, arch) in burstable)
        {
            table[name] = new InstanceTypeInfo(name, 2, gib * 1024, arch) { MaxNetworkInterfaces = 3 };
        }

        // One-vCPU Graviton and AMD sizes (2 ENIs each, EC2 User Guide) for small hosts such as the VPN host; ECS does not trunk them.
        (string Name, int GiB, CpuArchitecture Arch)[] medium =
        [
            ("m7g.medium", 4, CpuArchitecture.Arm64), ("c7g.medium", 2, CpuArchitecture.Arm64), ("m7a.medium", 4, CpuArchitecture.X64),
        ];
        foreach (var (name, gib, arch) in medium)
        {
            table[name] = new InstanceTypeInfo(name, 1, gib * 1024, arch) { MaxNetworkInterfaces = 2 };
        }

        return table;
    }
}
