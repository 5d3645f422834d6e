using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Simulators;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws.EndToEnd;

/// <summary>The simulators verify our client's SigV4 signature; wrong credentials surface as the typed service exception.</summary>
public sealed class SignatureEndToEndTests
{
    private static readonly SimulatorCredentials WrongSecret = SimulatorCredentials.Default with { SecretAccessKey = "not/the/right/secret/key/EXAMPLEKEY" };
    private static readonly SimulatorCredentials UnknownKey = new("AKIAUNKNOWNUNKNOWN00", SimulatorCredentials.Default.SecretAccessKey);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Ecs_CorrectCredentials_AreAccepted()
    {
        await using var bed = await EcsTestBed.StartAsync();

        await SimulatorClients.Ecs(bed.Simulator).ListTaskDefinitionsAsync(new ListTaskDefinitionsRequest(), Ct);

        var entry = Assert.Single(bed.Simulator.Requests.Entries);
        Assert.Equal((200, SimulatorCredentials.Default.AccessKeyId), (entry.StatusCode, entry.AccessKeyId));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Ecs_WrongSecret_ThrowsEcsExceptionWithInvalidSignatureException()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator, WrongSecret);

        var error = await Assert.ThrowsAsync<EcsException>(() => ecs.ListTaskDefinitionsAsync(new ListTaskDefinitionsRequest(), Ct));

        Assert.Equal(("InvalidSignatureException", System.Net.HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.False(error.IsThrottling);
        Assert.All(bed.Simulator.Requests.Entries, r => Assert.Equal("InvalidSignatureException", r.ErrorCode));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Ecs_UnknownAccessKey_ThrowsEcsExceptionWithUnrecognizedClientException()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator, UnknownKey);

        var error = await Assert.ThrowsAsync<EcsException>(() => ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] }, Ct));

        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
        Assert.All(bed.Simulator.Requests.Entries, r => Assert.Equal((UnknownKey.AccessKeyId, "UnrecognizedClientException"), (r.AccessKeyId, r.ErrorCode)));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CloudFormation_WrongSecret_ThrowsCloudFormationExceptionWithSignatureDoesNotMatch()
    {
        await using var simulator = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        var cfn = SimulatorClients.CloudFormation(simulator, WrongSecret);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => cfn.DescribeStacksAsync(new DescribeStacksRequest(), Ct));

        Assert.Equal(("SignatureDoesNotMatch", System.Net.HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
        Assert.All(simulator.Requests.Entries, r => Assert.Equal("SignatureDoesNotMatch", r.ErrorCode));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CloudFormation_UnknownAccessKey_ThrowsCloudFormationExceptionWithInvalidClientTokenId()
    {
        await using var simulator = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        var cfn = SimulatorClients.CloudFormation(simulator, UnknownKey);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => cfn.DescribeStacksAsync(new DescribeStacksRequest(), Ct));

        Assert.Equal(("InvalidClientTokenId", System.Net.HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task SigningForAnotherRegion_ThrowsIncompleteSignature()
    {
        await using var simulator = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        var options = SimulatorClients.Options(simulator);
        options.Region = "eu-west-1";
        var cfn = new Workmates.OttKit.Aws.AwsClientFactory(options).CreateCloudFormation();

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => cfn.DescribeStacksAsync(new DescribeStacksRequest(), Ct));

        Assert.Equal("IncompleteSignature", error.ErrorCode);
    }
}
