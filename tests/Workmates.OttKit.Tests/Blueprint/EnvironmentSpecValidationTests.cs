using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class EnvironmentSpecValidationTests
{
    [Fact]
    public void Validate_BaselineSpec_HasNoProblems() => Assert.Empty(TestSpecs.Valid().Validate());

    [Fact]
    public void Validate_EnvironmentNameWithUppercase_ReportsName() =>
        (TestSpecs.Valid() with { Name = "Demo_Env" }).SingleProblemAt("name");

    [Fact]
    public void Validate_UnknownRegionFormat_ReportsRegion() =>
        (TestSpecs.Valid() with { Region = "mumbai" }).SingleProblemAt("region");

    [Fact]
    public void Validate_ShortAccountId_ReportsAccountId() =>
        (TestSpecs.Valid() with { AccountId = "12345" }).SingleProblemAt("accountId");

    [Fact]
    public void Validate_TagWithReservedPrefix_ReportsTag() =>
        (TestSpecs.Valid() with { Tags = new Dictionary<string, string> { ["aws:owner"] = "x" } }).SingleProblemAt("tags.aws:owner");

    [Fact]
    public void Validate_VpcCidrWithHostBits_ReportsVpcCidrAndSuggestsNetwork()
    {
        var problem = (TestSpecs.Valid() with { Network = new NetworkSpec { VpcCidr = "10.0.0.1/16" } }).SingleProblemAt("network.vpcCidr");
        Assert.Contains("10.0.0.0/16", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_VpcCidrTooLarge_ReportsVpcCidr() =>
        (TestSpecs.Valid() with { Network = new NetworkSpec { VpcCidr = "10.0.0.0/8" } }).SingleProblemAt("network.vpcCidr");

    [Fact]
    public void Validate_VpcCidrTooSmallForSubnets_ReportsVpcCidr() =>
        (TestSpecs.Valid() with { Network = new NetworkSpec { VpcCidr = "10.0.0.0/24" } }).SingleProblemAt("network.vpcCidr");

    [Fact]
    public void Validate_PublicVpcCidr_ReportsVpcCidr() =>
        (TestSpecs.Valid() with { Network = new NetworkSpec { VpcCidr = "8.8.0.0/16" } }).SingleProblemAt("network.vpcCidr");

    [Fact]
    public void Validate_VpcOverlappingReservedRange_ReportsVpcCidr()
    {
        var problem = (TestSpecs.Valid() with { Network = new NetworkSpec { ReservedCidrs = ["10.0.128.0/20"] } }).SingleProblemAt("network.vpcCidr");
        Assert.Contains("10.0.128.0/20", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MalformedReservedRange_ReportsItsIndex() =>
        (TestSpecs.Valid() with { Network = new NetworkSpec { ReservedCidrs = ["192.168.0.0/16", "nope"] } }).SingleProblemAt("network.reservedCidrs[1]");

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Validate_AvailabilityZonesOutOfRange_ReportsAvailabilityZones(int zones) =>
        (TestSpecs.Valid() with { Network = new NetworkSpec { AvailabilityZones = zones } }).SingleProblemAt("network.availabilityZones");

    [Fact]
    public void Validate_UnknownInstanceType_ReportsItsIndex() =>
        (TestSpecs.Valid() with { Cluster = new ClusterSpec { InstanceTypes = ["m6i.large", "x9.huge"] } }).SingleProblemAt("cluster.instanceTypes[1]");

    [Fact]
    public void Validate_MixedArchitectures_ReportsInstanceTypes() =>
        (TestSpecs.Valid() with { Cluster = new ClusterSpec { InstanceTypes = ["m6i.large", "m7g.large"] } }).SingleProblemAt("cluster.instanceTypes");

    [Fact]
    public void Validate_DesiredHostsAboveMax_ReportsDesiredHosts() =>
        (TestSpecs.Valid() with { Cluster = new ClusterSpec { DesiredHosts = 11 } }).SingleProblemAt("cluster.desiredHosts");

    [Fact]
    public void Validate_MinHostsAboveMax_ReportsMinHosts() =>
        (TestSpecs.Valid() with { Cluster = new ClusterSpec { MinHosts = 12, DesiredHosts = 12, MaxHosts = 11 } }).SingleProblemAt("cluster.minHosts");

    [Fact]
    public void Validate_TargetCapacityAbove100_ReportsTargetCapacity() =>
        (TestSpecs.Valid() with { Cluster = new ClusterSpec { TargetCapacityPercent = 120 } }).SingleProblemAt("cluster.targetCapacityPercent");

    [Fact]
    public void Validate_RootVolumeSmallerThanAmi_ReportsRootVolume() =>
        (TestSpecs.Valid() with { Cluster = new ClusterSpec { RootVolumeGiB = 8 } }).SingleProblemAt("cluster.rootVolumeGiB");

    [Fact]
    public void Validate_NoCertificateSource_ReportsCertificateArn() =>
        (TestSpecs.Valid() with { LoadBalancer = new LoadBalancerSpec() }).SingleProblemAt("loadBalancer.certificateArn");

    [Fact]
    public void Validate_CertificateAndDomainBoth_ReportsCertificateArn() =>
        (TestSpecs.Valid() with { LoadBalancer = new LoadBalancerSpec { CertificateArn = TestSpecs.Certificate, Domain = "watch.example.com", HostedZoneId = "Z0123456789ABC" } })
            .SingleProblemAt("loadBalancer.certificateArn");

    [Fact]
    public void Validate_MalformedCertificateArn_ReportsCertificateArn() =>
        (TestSpecs.Valid() with { LoadBalancer = new LoadBalancerSpec { CertificateArn = "arn:aws:acm:ap-south-1:123:cert/x" } }).SingleProblemAt("loadBalancer.certificateArn");

    [Fact]
    public void Validate_CertificateFromAnotherRegion_ReportsCertificateArnAndNamesBothRegions()
    {
        var arn = TestSpecs.Certificate.Replace("ap-south-1", "us-east-1", StringComparison.Ordinal);
        var problem = (TestSpecs.Valid() with { LoadBalancer = new LoadBalancerSpec { CertificateArn = arn } }).SingleProblemAt("loadBalancer.certificateArn");
        Assert.Contains("us-east-1", problem.Message, StringComparison.Ordinal);
        Assert.Contains("ap-south-1", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CertificateFromAnotherAccount_ReportsCertificateArn() =>
        (TestSpecs.Valid() with { AccountId = "210987654321" }).SingleProblemAt("loadBalancer.certificateArn");

    [Fact]
    public void Validate_DomainWithoutHostedZone_ReportsHostedZoneId() =>
        (TestSpecs.Valid() with { LoadBalancer = new LoadBalancerSpec { Domain = "watch.example.com" } }).SingleProblemAt("loadBalancer.hostedZoneId");

    [Fact]
    public void Validate_OverlappingClientCidrs_ReportsTheLaterOne() =>
        (TestSpecs.Valid() with { LoadBalancer = new LoadBalancerSpec { CertificateArn = TestSpecs.Certificate, AllowedClientCidrs = ["203.0.113.0/24", "203.0.113.128/25"] } })
            .SingleProblemAt("loadBalancer.allowedClientCidrs[1]");

    [Fact]
    public void Validate_NoServices_ReportsServices() =>
        (TestSpecs.Valid() with { Services = [], LiveEvents = [] }).SingleProblemAt("services");

    [Fact]
    public void Validate_ServiceNameNotDnsSafe_ReportsName() =>
        TestSpecs.Valid().WithService(1, s => s with { Name = "API_v2", Routing = new RoutingSpec { PathPatterns = ["/v2/*"] } }).SingleProblemAt("services[1].name");

    [Fact]
    public void Validate_DuplicateServiceName_ReportsTheLaterService() =>
        TestSpecs.Valid().WithService(1, s => s with { Name = "web", Routing = new RoutingSpec { PathPatterns = ["/other/*"] }, ImageRepository = "demo/other" }).SingleProblemAt("services[1].name");

    [Fact]
    public void Validate_PortOutOfRange_ReportsContainerPort() =>
        TestSpecs.Valid().WithService(1, s => s with { ContainerPort = 70000 }).SingleProblemAt("services[1].containerPort");

    [Fact]
    public void Validate_PrivilegedPortForNonRootContainer_ReportsContainerPort() =>
        TestSpecs.Valid().WithService(1, s => s with { ContainerPort = 80 }).SingleProblemAt("services[1].containerPort");

    [Fact]
    public void Validate_PrivilegedPortWithRunAsRootWeakening_IsAccepted() =>
        Assert.Empty(TestSpecs.Valid().WithService(1, s => s with { ContainerPort = 80, Weakenings = new ServiceWeakenings { RunAsRoot = true } }).Validate());

    [Fact]
    public void Validate_RelativeHealthCheckPath_ReportsHealthCheckPath() =>
        TestSpecs.Valid().WithService(0, s => s with { HealthCheckPath = "health" }).SingleProblemAt("services[0].healthCheckPath");

    [Fact]
    public void Validate_CpuLargerThanSmallestInstance_ReportsCpu()
    {
        var problem = TestSpecs.Valid().WithService(1, s => s with { Cpu = 4096 }).SingleProblemAt("services[1].cpu");
        Assert.Contains("m6i.large", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MemoryLargerThanSchedulableMemory_ReportsMemory() =>
        TestSpecs.Valid().WithService(1, s => s with { Memory = 8192 }).SingleProblemAt("services[1].memory");

    [Fact]
    public void Validate_MemoryThatFitsAMemoryOptimisedType_IsAccepted()
    {
        var problems = (TestSpecs.Valid() with { Cluster = new ClusterSpec { InstanceTypes = ["r6i.large"], MaxHosts = 20 } }).WithService(1, s => s with { Memory = 8192 }).Validate();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Validate_CpuBelowEcsMinimum_ReportsCpu() =>
        TestSpecs.Valid().WithService(1, s => s with { Cpu = 64 }).SingleProblemAt("services[1].cpu");

    [Fact]
    public void Validate_MaxTasksBelowMinTasks_ReportsMaxTasks() =>
        TestSpecs.Valid().WithService(0, s => s with { Scaling = new ScalingSpec { MinTasks = 4, DesiredTasks = 4, MaxTasks = 3 } }).SingleProblemAt("services[0].scaling.maxTasks");

    [Fact]
    public void Validate_DesiredTasksOutsideMinMax_ReportsDesiredTasks() =>
        TestSpecs.Valid().WithService(0, s => s with { Scaling = new ScalingSpec { DesiredTasks = 11 } }).SingleProblemAt("services[0].scaling.desiredTasks");

    [Fact]
    public void Validate_CpuTargetOutOfRange_ReportsCpuTargetPercent() =>
        TestSpecs.Valid().WithService(0, s => s with { Scaling = new ScalingSpec { CpuTargetPercent = 99 } }).SingleProblemAt("services[0].scaling.cpuTargetPercent");

    [Fact]
    public void Validate_ZeroRequestsPerTarget_ReportsRequestsPerTarget() =>
        TestSpecs.Valid().WithService(0, s => s with { Scaling = new ScalingSpec { RequestsPerTarget = 0 } }).SingleProblemAt("services[0].scaling.requestsPerTarget");

    [Fact]
    public void Validate_SameRoutingRuleTwice_ReportsTheLaterRouting() =>
        TestSpecs.Valid().WithService(1, s => s with { Routing = new RoutingSpec { PathPatterns = ["/*"] } }).SingleProblemAt("services[1].routing");

    [Fact]
    public void Validate_PathPatternClaimedByTwoServices_ReportsThePattern() =>
        TestSpecs.Valid().WithService(1, s => s with { Routing = new RoutingSpec { PathPatterns = ["/api/*", "/*"] } }).SingleProblemAt("services[1].routing.pathPatterns[1]");

    [Fact]
    public void Validate_SamePathOnDifferentHosts_IsAccepted() =>
        Assert.Empty(TestSpecs.Valid().WithService(1, s => s with { Routing = new RoutingSpec { PathPatterns = ["/*"], Hosts = ["api.example.com"] } }).Validate());

    [Fact]
    public void Validate_DuplicatePriority_ReportsPriority() =>
        TestSpecs.Valid().WithService(1, s => s with { Routing = new RoutingSpec { PathPatterns = ["/api/*"], Priority = 1000 } }).SingleProblemAt("services[1].routing.priority");

    [Fact]
    public void Validate_MoreThanFiveConditionValues_ReportsRouting() =>
        TestSpecs.Valid().WithService(1, s => s with { Routing = new RoutingSpec { PathPatterns = ["/a", "/b", "/c", "/d", "/e", "/f"] } }).SingleProblemAt("services[1].routing");

    [Fact]
    public void Validate_PathPatternWithoutLeadingSlash_ReportsPattern() =>
        TestSpecs.Valid().WithService(1, s => s with { Routing = new RoutingSpec { PathPatterns = ["api/*"] } }).SingleProblemAt("services[1].routing.pathPatterns[0]");

    [Fact]
    public void Validate_HostWithUppercase_ReportsHost() =>
        TestSpecs.Valid().WithService(1, s => s with { Routing = new RoutingSpec { Hosts = ["API.example.com"] } }).SingleProblemAt("services[1].routing.hosts[0]");

    [Fact]
    public void Validate_SecretLikeEnvironmentVariable_ReportsTheVariable() =>
        TestSpecs.Valid().WithService(1, s => s with { Environment = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2" } }).SingleProblemAt("services[1].environment.DB_PASSWORD");

    [Fact]
    public void Validate_SecretLikeVariableWithWeakening_IsAccepted() =>
        Assert.Empty((TestSpecs.Valid() with { Weakenings = new Weakenings { AllowSecretLikeEnvironmentVariables = true } })
            .WithService(1, s => s with { Environment = new Dictionary<string, string> { ["PUBLIC_KEY_URL"] = "https://x" } }).Validate());

    [Fact]
    public void Validate_InvalidVariableName_ReportsTheVariable() =>
        TestSpecs.Valid().WithService(1, s => s with { Environment = new Dictionary<string, string> { ["1BAD"] = "x" } }).SingleProblemAt("services[1].environment.1BAD");

    [Fact]
    public void Validate_MalformedSecretReference_ReportsTheSecret() =>
        TestSpecs.Valid().WithService(1, s => s with { Secrets = new Dictionary<string, string> { ["DB_URL"] = "vault://db" } }).SingleProblemAt("services[1].secrets.DB_URL");

    [Fact]
    public void Validate_SecretInAnotherRegion_ReportsTheSecret() =>
        TestSpecs.Valid().WithService(1, s => s with { Secrets = new Dictionary<string, string> { ["DB_URL"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" } })
            .SingleProblemAt("services[1].secrets.DB_URL");

    [Fact]
    public void Validate_SecretReferenceForms_AreAccepted() =>
        Assert.Empty(TestSpecs.Valid().WithService(1, s => s with
        {
            Secrets = new Dictionary<string, string>
            {
                ["A"] = "arn:aws:secretsmanager:ap-south-1:123456789012:secret:db-AbCdEf",
                ["B"] = "arn:aws:ssm:ap-south-1:123456789012:parameter/demo/api/key",
                ["C"] = "secretsmanager:demo/jwt",
                ["D"] = "ssm:/demo/api/flag",
            },
        }).Validate());

    [Fact]
    public void Validate_VariableThatIsAlsoASecret_ReportsTheVariable() =>
        TestSpecs.Valid().WithService(1, s => s with
        {
            Environment = new Dictionary<string, string> { ["DB_URL"] = "x" },
            Secrets = new Dictionary<string, string> { ["DB_URL"] = "ssm:/demo/db" },
        }).SingleProblemAt("services[1].environment.DB_URL");

    [Fact]
    public void Validate_InvalidRepositoryName_ReportsImageRepository() =>
        TestSpecs.Valid().WithService(1, s => s with { ImageRepository = "Demo/API" }).SingleProblemAt("services[1].imageRepository");

    [Fact]
    public void Validate_SharedRepository_ReportsTheLaterService() =>
        TestSpecs.Valid().WithService(1, s => s with { ImageRepository = "demo/web" }).SingleProblemAt("services[1].imageRepository");

    [Fact]
    public void Validate_LogRetentionNotACloudWatchValue_ReportsLogRetentionDays() =>
        TestSpecs.Valid().WithService(1, s => s with { LogRetentionDays = 45 }).SingleProblemAt("services[1].logRetentionDays");

    [Fact]
    public void Validate_GracePeriodOutOfRange_ReportsHealthCheckGraceSeconds() =>
        TestSpecs.Valid().WithService(1, s => s with { HealthCheckGraceSeconds = -1 }).SingleProblemAt("services[1].healthCheckGraceSeconds");

    [Fact]
    public void Validate_ClusterTooSmallForServiceMaximums_ReportsMaxHosts()
    {
        var spec = TestSpecs.Valid() with { LiveEvents = [], Cluster = new ClusterSpec { MinHosts = 1, DesiredHosts = 1, MaxHosts = 2 } };
        var problem = spec.SingleProblemAt("cluster.maxHosts");
        Assert.Contains("normal operation", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ClusterTooSmallForLiveEvent_ReportsMaxHostsNamingTheEvent()
    {
        var spec = TestSpecs.Valid();
        spec = spec with { LiveEvents = [spec.LiveEvents[0] with { Services = [new LiveEventServiceSpec { Service = "api", MinTasks = 4, MaxTasks = 200 }] }] };
        var problem = spec.SingleProblemAt("cluster.maxHosts");
        Assert.Contains("launch", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProblemsInSeveralPlaces_AreAllReported()
    {
        var spec = (TestSpecs.Valid() with { Name = "a", Network = new NetworkSpec { AvailabilityZones = 1 } })
            .WithService(0, s => s with { Cpu = 1 });
        var paths = spec.Validate().Select(p => p.Path).ToArray();
        Assert.True(paths.Length == 3, string.Join("\n", spec.Validate()));
        Assert.Equal(["name", "network.availabilityZones", "services[0].cpu"], paths);
    }

    [Fact]
    public void EnsureValid_InvalidSpec_ThrowsWithEveryProblemInAReadableMessage()
    {
        var spec = TestSpecs.Valid() with { Name = "a", Network = new NetworkSpec { AvailabilityZones = 9 } };
        var ex = Assert.Throws<OttKitValidationException>(spec.EnsureValid);
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains("  - name: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("  - network.availabilityZones: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("    fix: ", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class ServiceOptionTests
{
    [Fact]
    public void Validate_BlankContainerHealthCheckCommand_ReportsIt() =>
        TestSpecs.Valid().WithService(1, s => s with { ContainerHealthCheckCommand = " " }).SingleProblemAt("services[1].containerHealthCheckCommand");

    [Fact]
    public void Validate_TooManyServicesForOneListener_ReportsServices()
    {
        var services = Enumerable.Range(0, 100).Select(i => new ServiceSpec { Name = $"svc-{i}", Scaling = new ScalingSpec { MinTasks = 0, DesiredTasks = 0, MaxTasks = 1 } }).ToArray();
        var spec = TestSpecs.Valid() with { Services = services, LiveEvents = [], Cluster = new ClusterSpec { MaxHosts = 100 } };
        spec.SingleProblemAt("services");
    }

    [Fact]
    public void Synthesize_CustomContainerHealthCheck_ReplacesTheNodeProbe()
    {
        var spec = TestSpecs.Valid().WithService(1, s => s with { ContainerHealthCheckCommand = "curl -fs http://localhost:8080/health || exit 1" });
        var yaml = spec.Synthesize()["demo-service-api"].Template.ToYaml();
        Assert.Contains("curl -fs http://localhost:8080/health || exit 1", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("node -e", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void CircuitBreakerFailureThreshold_FollowsEcsRule() =>
        Assert.Equal((3, 3, 10, 200), (
            new ServiceSpec { Name = "a", Scaling = new ScalingSpec { DesiredTasks = 1 } }.CircuitBreakerFailureThreshold,
            new ServiceSpec { Name = "a", Scaling = new ScalingSpec { DesiredTasks = 6 } }.CircuitBreakerFailureThreshold,
            new ServiceSpec { Name = "a", Scaling = new ScalingSpec { DesiredTasks = 20 } }.CircuitBreakerFailureThreshold,
            new ServiceSpec { Name = "a", Scaling = new ScalingSpec { DesiredTasks = 1000 } }.CircuitBreakerFailureThreshold));

    [Fact]
    public void DescribeWeakenings_DefaultSpec_IsEmpty() => Assert.Empty(TestSpecs.Valid().DescribeWeakenings());

    [Fact]
    public void DescribeWeakenings_ListsEveryWeakenedSettingWithItsPath()
    {
        var spec = (TestSpecs.Valid() with
        {
            Network = new NetworkSpec { NatGateways = NatGatewayMode.Shared, InterfaceEndpoints = false },
            Weakenings = new Weakenings { DisableWebApplicationFirewall = true },
        }).WithService(1, s => s with { Weakenings = new ServiceWeakenings { WritableRootFilesystem = true, MutableImageTags = true } });
        Assert.Equal(
            ["network.natGateways", "network.interfaceEndpoints", "weakenings.disableWebApplicationFirewall", "services[1].weakenings.writableRootFilesystem", "services[1].weakenings.mutableImageTags"],
            spec.DescribeWeakenings().Select(w => w[..w.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void Builder_Tag_AddsTagsInKeyOrderAndKeepsDefaults()
    {
        var spec = EnvironmentSpec.Create("demo", "ap-south-1").Tag("b", "2").Tag("a", "1").WithCertificate(TestSpecs.Certificate).AddService("web").Build();
        Assert.Equal(["a", "b"], spec.Tags.Keys);
        Assert.Equal(new NetworkSpec().VpcCidr, spec.Network.VpcCidr);
        Assert.Equal(["/web", "/web/*"], spec.Services[0].EffectiveRouting.PathPatterns);
    }
}
