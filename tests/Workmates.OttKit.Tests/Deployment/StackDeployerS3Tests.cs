using Workmates.OttKit.Tests.Aws;
using System.Text;
using Amazon.Runtime;
using Amazon.S3.Model;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Tests.Simulators;
using static Workmates.OttKit.Tests.Deployment.StackTestBed;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>Templates through a real S3 protocol server (s3rver on loopback) with AWSSDK.S3.</summary>
public sealed class StackDeployerS3Tests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployAsync_TemplateAboveTheBodyLimit_IsCreatedFromTheS3Artifact()
    {
        using var s3rver = await S3rverProcess.StartAsync("artifacts");
        await using var bed = await StartAsync();
        using var s3 = new AwsClientFactory(new TestAwsOptions
        {
            Region = Home,
            ServiceURL = s3rver.Endpoint.ToString(),
            Credentials = new BasicAWSCredentials("S3RVER", "S3RVER"),
        }, config => config.HttpClientFactory = bed.Clock.AwsHttpClientFactory()).CreateS3();
        var large = StackOf("prod-catalog", StackTemplates.Large());
        var body = large.Template.ToYaml();
        Assert.True(Encoding.UTF8.GetByteCount(body) > StackDeployer.TemplateBodyLimit, $"the template is only {Encoding.UTF8.GetByteCount(body)} bytes");
        var refused = await Assert.ThrowsAsync<Workmates.OttKit.Aws.CloudFormation.CloudFormationException>(() => bed.CloudFormationClient(Home).ValidateTemplateAsync(new() { TemplateBody = body }, Ct));

        var result = Assert.Single((await bed.DeployAsync(SetOf(large), store: new S3TemplateArtifactStore(s3, "artifacts"))).Stacks);

        Assert.Contains("51200", refused.Message, StringComparison.Ordinal);
        Assert.Equal(StackDeploymentOutcome.Created, result.Outcome);
        Assert.Equal(240, result.Plan!.Changes.Count);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "artifacts", Prefix = "prod/prod-catalog/" }, Ct);
        var key = Assert.Single(listed.S3Objects).Key;
        Assert.Matches(@"^prod/prod-catalog/\d{8}T\d{6}Z-[0-9a-f]{12}\.yaml$", key);
        Assert.Equal(new Uri(s3rver.Endpoint, "artifacts/" + key), result.Plan.TemplateUrl);
        using var stored = await s3.GetObjectAsync("artifacts", key, Ct);
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal(body, await reader.ReadToEndAsync(Ct));
        Assert.Equal(240, (await bed.CloudFormationClient(Home).DescribeStackResourcesAsync(new() { StackName = "prod-catalog" }, Ct)).StackResources!.Count);
    }
}
