using System.Web;
using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;

namespace Workmates.OttKit.Tests.Aws;

public sealed class QueryClientsEndToEndTests
{
    private static AwsClientFactory Factory(LoopbackAwsServer server) => new(
        new TestAwsOptions { Region = "us-gov-west-1", ServiceURL = server.Url, Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret") },
        config => config.MaxErrorRetry = 0);

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeStacks_ThroughTheSdkPipeline_SendsSignedFormAndParsesXml()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(200, """
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult>
                <Stacks><member><StackName>web</StackName><StackStatus>UPDATE_COMPLETE</StackStatus>
                  <CreationTime>2024-01-02T03:04:05.123Z</CreationTime><EnableTerminationProtection>true</EnableTerminationProtection>
                  <Outputs><member><OutputKey>Url</OutputKey><OutputValue>https://x</OutputValue></member></Outputs>
                  <Unknown>ignored</Unknown></member></Stacks>
              </DescribeStacksResult>
              <ResponseMetadata><RequestId>cfn-req-1</RequestId></ResponseMetadata>
            </DescribeStacksResponse>
            """, "text/xml");
        var cfn = Factory(server).CreateCloudFormation();

        var response = await cfn.DescribeStacksAsync(new DescribeStacksRequest { StackName = "web" }, TestContext.Current.CancellationToken);

        Assert.True(server.Requests.TryDequeue(out var sent));
        Assert.StartsWith("application/x-www-form-urlencoded", sent.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-gov-west-1/cloudformation/aws4_request", sent.Headers["Authorization"]);
        var form = HttpUtility.ParseQueryString(sent.Body);
        Assert.Equal("DescribeStacks", form["Action"]);
        Assert.Equal("2010-05-15", form["Version"]);
        Assert.Equal("web", form["StackName"]);
        var stack = Assert.Single(response.Stacks!);
        Assert.Equal("UPDATE_COMPLETE", stack.StackStatus);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 123, DateTimeKind.Utc), stack.CreationTime);
        Assert.True(stack.EnableTerminationProtection);
        Assert.Equal("https://x", Assert.Single(stack.Outputs!).OutputValue);
        Assert.Equal("cfn-req-1", response.ResponseMetadata.RequestId);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.HttpStatusCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeStacks_WhenTheStackIsMissing_ThrowsStackNotFound()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(400, """
            <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id web does not exist</Message></Error>
              <RequestId>cfn-req-2</RequestId>
            </ErrorResponse>
            """, "text/xml");
        var cfn = Factory(server).CreateCloudFormation();

        var error = await Assert.ThrowsAsync<StackNotFoundException>(() =>
            cfn.DescribeStacksAsync(new DescribeStacksRequest { StackName = "web" }, TestContext.Current.CancellationToken));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal("cfn-req-2", error.RequestId);
        Assert.Equal(ErrorType.Sender, error.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeleteStack_WithNoResultElement_Succeeds()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(200, """<DeleteStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ResponseMetadata><RequestId>r3</RequestId></ResponseMetadata></DeleteStackResponse>""", "text/xml");
        var cfn = Factory(server).CreateCloudFormation();

        var response = await cfn.DeleteStackAsync(new DeleteStackRequest { StackName = "web", RetainResources = [] }, TestContext.Current.CancellationToken);

        Assert.True(server.Requests.TryDequeue(out var sent));
        var form = HttpUtility.ParseQueryString(sent.Body);
        Assert.Equal(string.Empty, form["RetainResources"]);
        Assert.Equal("r3", response.ResponseMetadata.RequestId);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeTargetHealth_WhenTheTargetGroupIsMissing_ThrowsTypedException()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(400, """<ErrorResponse><Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>nope</Message></Error><RequestId>e1</RequestId></ErrorResponse>""", "text/xml");
        var elb = Factory(server).CreateElasticLoadBalancingV2();

        var error = await Assert.ThrowsAsync<TargetGroupNotFoundException>(() => elb.DescribeTargetHealthAsync(
            new DescribeTargetHealthRequest { TargetGroupArn = "arn:tg" }, TestContext.Current.CancellationToken));

        Assert.True(server.Requests.TryDequeue(out var sent));
        Assert.Matches("/us-gov-west-1/elasticloadbalancing/aws4_request", sent.Headers["Authorization"]);
        Assert.Equal("TargetGroupNotFound", error.ErrorCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task PutMetricData_SendsMembersAndDimensionsAsQueryLists()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(200, """<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>m1</RequestId></ResponseMetadata></PutMetricDataResponse>""", "text/xml");
        var cloudWatch = Factory(server).CreateCloudWatch();

        await cloudWatch.PutMetricDataAsync(
            new PutMetricDataRequest
            {
                Namespace = "OttKit",
                MetricData = [new MetricDatum { MetricName = "Deploys", Value = 1, Unit = "Count", Dimensions = [new Dimension { Name = "Env", Value = "prod" }] }],
            },
            TestContext.Current.CancellationToken);

        Assert.True(server.Requests.TryDequeue(out var sent));
        var form = HttpUtility.ParseQueryString(sent.Body);
        Assert.Equal("PutMetricData", form["Action"]);
        Assert.Equal("2010-08-01", form["Version"]);
        Assert.Equal("Deploys", form["MetricData.member.1.MetricName"]);
        Assert.Equal("prod", form["MetricData.member.1.Dimensions.member.1.Value"]);
        Assert.Matches("/us-gov-west-1/monitoring/aws4_request", sent.Headers["Authorization"]);
    }
}
