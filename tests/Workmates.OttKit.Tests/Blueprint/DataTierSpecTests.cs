using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>Validation of the database, adminAccess, patching and backups sections: one failing spec and its exact path per rule.</summary>
public sealed class DataTierSpecTests
{
    private static EnvironmentSpec WithDatabase(DatabaseSpec database) => TestSpecs.Valid() with { Database = database };

    private static EnvironmentSpec WithAdmin(AdminAccessSpec admin) => TestSpecs.Valid() with { AdminAccess = admin };

    private static AdminAccessSpec Admin => new() { AllowedCidrs = ["203.0.113.0/24"] };

    [Fact]
    public void Validate_DefaultsOfEverySection_AreValidAndWeakenNothing()
    {
        var spec = TestSpecs.Valid() with { Database = new DatabaseSpec(), AdminAccess = Admin };
        Assert.Empty(spec.Validate());
        Assert.Empty(spec.DescribeWeakenings());
        Assert.Equal((3, "7.0", 15, 7), (spec.Database!.Members, spec.Database.Version, spec.Backups.RetentionDays, spec.Patching.ApproveAfterDays));
    }

    [Fact]
    public void Validate_MoreMembersThanZones_ReportsDatabaseMembers()
    {
        var spec = WithDatabase(new DatabaseSpec { Members = 3 }) with { Network = new NetworkSpec { AvailabilityZones = 2 } };
        Assert.Contains("availabilityZones", spec.SingleProblemAt("database.members").Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MoreThanSevenMembers_ReportsDatabaseMembers() =>
        WithDatabase(new DatabaseSpec { Members = 9 }).SingleProblemAt("database.members");

    [Fact]
    public void Validate_EvenMembersAllVoting_ReportsDatabaseMembersAndSuggestsVotingMembers()
    {
        var spec = WithDatabase(new DatabaseSpec { Members = 2 });
        Assert.Contains("votingMembers to 1", spec.SingleProblemAt("database.members").Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EvenVotingMembers_ReportsDatabaseVotingMembers() =>
        (WithDatabase(new DatabaseSpec { Members = 3, VotingMembers = 2 }) with { Network = new NetworkSpec { AvailabilityZones = 3 } }).SingleProblemAt("database.votingMembers");

    [Fact]
    public void Validate_MoreVotingMembersThanMembers_ReportsDatabaseVotingMembers() =>
        WithDatabase(new DatabaseSpec { Members = 3, VotingMembers = 5 }).SingleProblemAt("database.votingMembers");

    [Fact]
    public void Validate_EvenMembersWithOddVotingMembers_IsValid() =>
        Assert.Empty(WithDatabase(new DatabaseSpec { Members = 2, VotingMembers = 1 }).Validate());

    [Fact]
    public void Validate_UnsupportedVersion_ReportsDatabaseVersion() =>
        Assert.Contains("8.0", WithDatabase(new DatabaseSpec { Version = "5.0" }).SingleProblemAt("database.version").Fix, StringComparison.Ordinal);

    [Fact]
    public void Validate_UnknownInstanceType_ReportsDatabaseInstanceType() =>
        WithDatabase(new DatabaseSpec { InstanceType = "x9.huge" }).SingleProblemAt("database.instanceType");

    [Theory]
    [InlineData(5)]
    [InlineData(16385)]
    public void Validate_VolumeSizeOutsideGp3_ReportsDatabaseVolumeGiB(int size) =>
        WithDatabase(new DatabaseSpec { VolumeGiB = size }).SingleProblemAt("database.volumeGiB");

    [Theory]
    [InlineData(2999)]
    [InlineData(16001)]
    public void Validate_IopsOutsideGp3_ReportsDatabaseVolumeIops(int iops) =>
        WithDatabase(new DatabaseSpec { VolumeIops = iops }).SingleProblemAt("database.volumeIops");

    [Fact]
    public void Validate_IopsAbove500PerGiB_ReportsDatabaseVolumeIops() =>
        Assert.Contains("volumeGiB to 20", WithDatabase(new DatabaseSpec { VolumeGiB = 10, VolumeIops = 10000 }).SingleProblemAt("database.volumeIops").Fix, StringComparison.Ordinal);

    [Theory]
    [InlineData(100)]
    [InlineData(1001)]
    public void Validate_ThroughputOutsideGp3_ReportsDatabaseVolumeThroughput(int throughput) =>
        WithDatabase(new DatabaseSpec { VolumeThroughput = throughput }).SingleProblemAt("database.volumeThroughput");

    [Fact]
    public void Validate_ThroughputAboveAQuarterOfIops_ReportsDatabaseVolumeThroughput() =>
        WithDatabase(new DatabaseSpec { VolumeIops = 3000, VolumeThroughput = 1000 }).SingleProblemAt("database.volumeThroughput");

    [Fact]
    public void Validate_BadReplicaSetName_ReportsDatabaseReplicaSetName() =>
        WithDatabase(new DatabaseSpec { ReplicaSetName = "rs 0" }).SingleProblemAt("database.replicaSetName");

    [Theory]
    [InlineData("admin")]
    [InlineData("my db")]
    public void Validate_BadDatabaseName_ReportsDatabaseDatabaseName(string name) =>
        WithDatabase(new DatabaseSpec { DatabaseName = name }).SingleProblemAt("database.databaseName");

    [Fact]
    public void Validate_UnknownClientService_ReportsItsIndex() =>
        WithDatabase(new DatabaseSpec { ClientServices = ["api", "ghost"] }).SingleProblemAt("database.clientServices[1]");

    [Fact]
    public void Validate_NoAllowedCidrs_ReportsAdminAccessAllowedCidrs() =>
        WithAdmin(new AdminAccessSpec()).SingleProblemAt("adminAccess.allowedCidrs");

    [Fact]
    public void Validate_MalformedAllowedCidr_ReportsItsIndex() =>
        WithAdmin(Admin with { AllowedCidrs = ["203.0.113.0/24", "203.0.113.7/24"] }).SingleProblemAt("adminAccess.allowedCidrs[1]");

    [Fact]
    public void Validate_VpnPortOutOfRange_ReportsAdminAccessVpnPort() =>
        WithAdmin(Admin with { VpnPort = 70000 }).SingleProblemAt("adminAccess.vpnPort");

    [Theory]
    [InlineData(22)]
    [InlineData(70000)]
    public void Validate_SshOnAWellKnownPort_ReportsAdminAccessSshPort(int port) =>
        WithAdmin(Admin with { SshPort = port }).SingleProblemAt("adminAccess.sshPort");

    [Theory]
    [InlineData("10.0.8.0/24")]
    [InlineData("8.8.8.0/24")]
    [InlineData("172.31.240.0/29")]
    [InlineData("not-a-cidr")]
    public void Validate_ClientRangeOverlappingTheVpcOrPublicOrTiny_ReportsAdminAccessClientCidr(string cidr) =>
        WithAdmin(Admin with { ClientCidr = cidr }).SingleProblemAt("adminAccess.clientCidr");

    [Fact]
    public void Validate_UnknownVpnInstanceType_ReportsAdminAccessInstanceType() =>
        WithAdmin(Admin with { InstanceType = "t1.micro" }).SingleProblemAt("adminAccess.instanceType");

    [Fact]
    public void Validate_ApproveAfterDaysOutOfRange_ReportsPatchingApproveAfterDays() =>
        (TestSpecs.Valid() with { Patching = new PatchingSpec { ApproveAfterDays = 400 } }).SingleProblemAt("patching.approveAfterDays");

    [Fact]
    public void Validate_MaintenanceWindowNotACron_ReportsPatchingMaintenanceWindow() =>
        (TestSpecs.Valid() with { Patching = new PatchingSpec { MaintenanceWindow = "sundays at 3" } }).SingleProblemAt("patching.maintenanceWindow");

    [Fact]
    public void Validate_WindowTooShort_ReportsPatchingWindowHours() =>
        (TestSpecs.Valid() with { Patching = new PatchingSpec { WindowHours = 1 } }).SingleProblemAt("patching.windowHours");

    [Fact]
    public void Validate_UnknownTimeZone_ReportsPatchingTimeZone() =>
        (TestSpecs.Valid() with { Patching = new PatchingSpec { TimeZone = "Mars/Olympus" } }).SingleProblemAt("patching.timeZone");

    [Fact]
    public void Validate_RetentionOutOfRange_ReportsBackupsRetentionDays() =>
        (TestSpecs.Valid() with { Backups = new BackupsSpec { RetentionDays = 0 } }).SingleProblemAt("backups.retentionDays");

    [Theory]
    [InlineData("2:00")]
    [InlineData("24:00")]
    [InlineData("02:60")]
    public void Validate_ScheduleNotHHmm_ReportsBackupsScheduleUtc(string time) =>
        (TestSpecs.Valid() with { Backups = new BackupsSpec { ScheduleUtc = time } }).SingleProblemAt("backups.scheduleUtc");

    [Fact]
    public void Validate_PrefixWithoutTrailingSlash_ReportsBackupsPrefix() =>
        (TestSpecs.Valid() with { Backups = new BackupsSpec { Prefix = "mongodb" } }).SingleProblemAt("backups.prefix");

    [Fact]
    public void DescribeWeakenings_OpenVpnPortAndSingleVoter_AreListedByPath()
    {
        var spec = TestSpecs.Valid() with { Database = new DatabaseSpec { Members = 1 }, AdminAccess = Admin with { AllowedCidrs = ["0.0.0.0/0"] } };
        Assert.Equal(["database.members", "adminAccess.allowedCidrs"], spec.DescribeWeakenings().Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).ToArray());
    }

    [Fact]
    public void Load_EverySection_BindsFromYaml()
    {
        var spec = EnvironmentSpec.Parse(
            """
            name: demo
            region: ap-south-1
            database: { members: 3, votingMembers: 3, version: "8.0", instanceType: r7g.large, volumeGiB: 50, volumeIops: 4000, volumeThroughput: 200, replicaSetName: rs1, databaseName: demo, clientServices: [api] }
            adminAccess: { allowedCidrs: [203.0.113.0/24], vpnPort: 41194, sshPort: 2200, clientCidr: 172.30.0.0/24, instanceType: t4g.medium }
            patching: { approveAfterDays: 3, maintenanceWindow: cron(0 2 ? * SAT *), windowHours: 5, timeZone: Asia/Kolkata }
            backups: { retentionDays: 30, scheduleUtc: "21:15", objectLock: true, prefix: db/mongo/ }
            """, "demo.yaml");
        Assert.Equal(new DatabaseSpec { Members = 3, VotingMembers = 3, Version = "8.0", InstanceType = "r7g.large", VolumeGiB = 50, VolumeIops = 4000, VolumeThroughput = 200, ReplicaSetName = "rs1", DatabaseName = "demo", ClientServices = spec.Database!.ClientServices }, spec.Database);
        Assert.Equal(["api"], spec.Database.ClientServices!);
        Assert.Equal((41194, 2200, "172.30.0.0/24", "t4g.medium"), (spec.AdminAccess!.VpnPort, spec.AdminAccess.SshPort, spec.AdminAccess.ClientCidr, spec.AdminAccess.InstanceType));
        Assert.Equal(new PatchingSpec { ApproveAfterDays = 3, MaintenanceWindow = "cron(0 2 ? * SAT *)", WindowHours = 5, TimeZone = "Asia/Kolkata" }, spec.Patching);
        Assert.Equal(new BackupsSpec { RetentionDays = 30, ScheduleUtc = "21:15", ObjectLock = true, Prefix = "db/mongo/" }, spec.Backups);
    }

    [Fact]
    public void Builder_DataTierSections_SynthesizeTheirStacksInDependencyOrder()
    {
        var set = EnvironmentSpec.Create("demo", "ap-south-1")
            .WithCertificate(TestSpecs.Certificate)
            .AddService("api")
            .WithDatabase(d => d with { Version = "8.0" })
            .WithAdminAccess(["203.0.113.0/24"])
            .Backups(b => b with { RetentionDays = 30 })
            .Patching(p => p with { ApproveAfterDays = 3 })
            .Build()
            .Synthesize();
        var order = set.Stacks.Select(s => s.Name).ToList();

        Assert.True(order.IndexOf("demo-database") < order.IndexOf("demo-service-api"));
        Assert.True(order.IndexOf("demo-database") < order.IndexOf("demo-database-backup"));
        Assert.True(order.IndexOf("demo-backups") < order.IndexOf("demo-database-backup"));
        Assert.Contains("demo-admin-access", order);
        Assert.Contains(set["demo-database-backup"].Parameters, p => p.Name == "ImageTag" && p.Default is null);
    }

    [Fact]
    public void Synthesize_WithoutDatabase_KeepsDataSubnetsIsolatedAndHasNoDatabaseStacks()
    {
        var set = TestSpecs.Valid().Synthesize();
        var network = set["demo-network"].Template.Resources;

        Assert.DoesNotContain(set.Stacks, s => s.Name.Contains("database", StringComparison.Ordinal));
        Assert.Contains("IsolatedRouteTable", network["IsolatedSubnet1RouteTableAssociation"].Properties["RouteTableId"].ToString(), StringComparison.Ordinal);
        Assert.Contains(set.Stacks, s => s.Name == "demo-backups");
        Assert.Contains(set.Stacks, s => s.Name == "demo-patching");
    }

    [Fact]
    public void Synthesize_WithDatabase_DataSubnetsLeaveThroughTheirZonesNat()
    {
        var network = (TestSpecs.Valid() with { Database = new DatabaseSpec() }).Synthesize()["demo-network"].Template.Resources;
        Assert.Contains("PrivateRouteTable2", network["IsolatedSubnet2RouteTableAssociation"].Properties["RouteTableId"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyInDatabase_IsAnErrorWithASuggestion()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\ndatabase:\n  member: 3\n", "d.yaml"));
        Assert.Equal("database.member", ex.Problems[0].Path);
        Assert.Contains("members", ex.Problems[0].Message, StringComparison.Ordinal);
    }
}
