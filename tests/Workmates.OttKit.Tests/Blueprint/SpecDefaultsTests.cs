using System.Globalization;
using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>
/// <see cref="SpecDefaults"/> is the one source of the spec's defaults: the records' initializers reference it, and
/// the documented defaults (docs/blueprint.md) and the scaffold's stated values must say the same thing.
/// </summary>
public sealed class SpecDefaultsTests
{
    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>docs/blueprint.md field → the default its table states, from <see cref="SpecDefaults"/>.</summary>
    public static TheoryData<string, string> DocumentedDefaults() => new()
    {
        { "vpcCidr", SpecDefaults.VpcCidr },
        { "availabilityZones", N(SpecDefaults.AvailabilityZones) },
        { "interfaceEndpoints", SpecDefaults.InterfaceEndpoints ? "true" : "false" },
        { "instanceTypes", "[" + string.Join(", ", SpecDefaults.InstanceTypes) + "]" },
        { "minHosts` / `desiredHosts` / `maxHosts", $"{N(SpecDefaults.MinHosts)}` / `{N(SpecDefaults.DesiredHosts)}` / `{N(SpecDefaults.MaxHosts)}" },
        { "targetCapacityPercent", N(SpecDefaults.TargetCapacityPercent) },
        { "rootVolumeGiB", N(SpecDefaults.RootVolumeGiB) },
        { "allowedClientCidrs", $"[{SpecDefaults.AllowedClientCidr}]" },
        { "containerPort", N(SpecDefaults.ContainerPort) },
        { "healthCheckPath", SpecDefaults.HealthCheckPath },
        { "cpu` / `memory", $"{N(SpecDefaults.Cpu)}` / `{N(SpecDefaults.MemoryMiB)}" },
        { "scaling.minTasks` / `desiredTasks` / `maxTasks", $"{N(SpecDefaults.MinTasks)}` / `{N(SpecDefaults.DesiredTasks)}` / `{N(SpecDefaults.MaxTasks)}" },
        { "scaling.requestsPerTarget", N(SpecDefaults.RequestsPerTarget) },
        { "healthCheckGraceSeconds", N(SpecDefaults.HealthCheckGraceSeconds) },
        { "preWarmMinutes", N(SpecDefaults.PreWarmMinutes) },
        { "restoreAfterMinutes", N(SpecDefaults.RestoreAfterMinutes) },
        { "slots", N(SpecDefaults.Slots) },
        { "members", N(SpecDefaults.DatabaseMembers) },
        { "version", SpecDefaults.DatabaseVersion },
        { "volumeGiB` / `volumeIops` / `volumeThroughput", $"{N(SpecDefaults.DatabaseVolumeGiB)}` / `{N(SpecDefaults.DatabaseVolumeIops)}` / `{N(SpecDefaults.DatabaseVolumeThroughput)}" },
        { "replicaSetName", SpecDefaults.ReplicaSetName },
        { "vpnPort", N(SpecDefaults.VpnPort) },
        { "sshPort", N(SpecDefaults.VpnSshPort) },
        { "clientCidr", SpecDefaults.VpnClientCidr },
        { "maxSessionHours", N(SpecDefaults.MaxSessionHours) },
        { "approveAfterDays", N(SpecDefaults.PatchApproveAfterDays) },
        { "windowHours", N(SpecDefaults.PatchWindowHours) },
        { "timeZone", SpecDefaults.ScheduleTimeZone },
        { "retentionDays", N(SpecDefaults.BackupRetentionDays) },
        { "scheduleUtc", SpecDefaults.BackupScheduleUtc },
        { "prefix", SpecDefaults.BackupPrefix },
        { "priceClass", SpecDefaults.MediaPriceClass },
        { "rateLimitPer5Minutes", N(SpecDefaults.MediaRateLimitPer5Minutes) },
        { "imageScanGate.timeoutMinutes", N(SpecDefaults.ImageScanTimeoutMinutes) },
        { "thresholds.loadBalancer5xxPercent", N(SpecDefaults.LoadBalancer5xxPercent) },
        { "thresholds.target5xxPerMinute", N(SpecDefaults.Target5xxPerMinute) },
        { "thresholds.targetResponseTimeP95Milliseconds", N(SpecDefaults.TargetResponseTimeP95Milliseconds) },
        { "thresholds.hostReservationPercent", N(SpecDefaults.HostReservationPercent) },
        { "thresholds.dataVolumeThroughputMiBps", N(SpecDefaults.DataVolumeThroughputMiBps) },
    };

    [Theory]
    [MemberData(nameof(DocumentedDefaults))]
    public void The_documented_default_is_the_one_in_SpecDefaults(string field, string expected)
    {
        var rows = File.ReadAllLines(Path.Combine(SampleSpecs.RepositoryRoot, "docs", "blueprint.md"))
            .Where(l => l.StartsWith($"| `{field}` |", StringComparison.Ordinal))
            .Select(l => l.Split(" | ")[1])
            .ToList();

        Assert.NotEmpty(rows);
        Assert.Contains($"`{expected}`", rows);
    }

    [Fact]
    public void The_scaffold_states_the_defaults_of_SpecDefaults()
    {
        var text = SpecScaffold.Spec("acme-tv");

        foreach (var line in (string[])
        [
            $"vpcCidr: {SpecDefaults.VpcCidr}",
            $"availabilityZones: {N(SpecDefaults.AvailabilityZones)}",
            $"instanceTypes: [{string.Join(", ", SpecDefaults.InstanceTypes)}]",
            $"allowedClientCidrs: [{SpecDefaults.AllowedClientCidr}]",
            $"scaling: {{ minTasks: {N(SpecDefaults.MinTasks)}, desiredTasks: {N(SpecDefaults.DesiredTasks)}, maxTasks: {N(SpecDefaults.MaxTasks)} }}",
            $"cpu: {N(SpecDefaults.Cpu)}",
            $"memory: {N(SpecDefaults.MemoryMiB)}",
            $"containerPort: {N(SpecDefaults.ContainerPort)}",
            $"logRetentionDays: {N(SpecDefaults.SecurityLogRetentionDays)}",
            $"members: {N(SpecDefaults.DatabaseMembers)}",
            $"version: \"{SpecDefaults.DatabaseVersion}\"",
            $"instanceType: {SpecDefaults.DatabaseInstanceType}",
            $"volumeGiB: {N(SpecDefaults.DatabaseVolumeGiB)}",
        ])
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_records_default_to_SpecDefaults()
    {
        Assert.Equal(SpecDefaults.MaxSessionHours, new AccessSpec().MaxSessionHours);
        Assert.Equal(SpecDefaults.ImageScanTimeoutMinutes, new ImageScanGateSpec().TimeoutMinutes);
        Assert.Equal(SpecDefaults.LoadBalancer5xxPercent, new AlarmThresholds().LoadBalancer5xxPercent);
    }
}
