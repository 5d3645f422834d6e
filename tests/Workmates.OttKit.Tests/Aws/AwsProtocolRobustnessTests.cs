using System.Net;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;

namespace Workmates.OttKit.Tests.Aws;

public sealed class AwsProtocolRobustnessTests
{
    [Fact]
    public void JsonError_CodeFromTheErrorTypeHeader_WinsAndLosesItsNamespaceAndSuffix()
    {
        var harness = AwsConformanceHarness.For("ecs");

        var error = harness.UnmarshallError(EcsOperations.UpdateService, HttpStatusCode.BadRequest, """{"message":"gone"}""",
            ("x-amzn-ErrorType", "com.amazonaws.ecs#ClusterNotFoundException:http://internal.amazon.com/coral/"));

        Assert.IsType<ClusterNotFoundException>(error);
        Assert.Equal("gone", error.Message);
    }

    [Fact]
    public void JsonError_WithANonJsonBody_KeepsTheHttpStatus()
    {
        var harness = AwsConformanceHarness.For("ecs");

        var error = harness.UnmarshallError(EcsOperations.DescribeServices, HttpStatusCode.ServiceUnavailable, "<html>503</html>");

        Assert.IsType<EcsException>(error);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(Amazon.Runtime.ErrorType.Receiver, error.ErrorType);
    }

    [Fact]
    public void QueryError_WithANonXmlBody_KeepsTheHttpStatus()
    {
        var harness = AwsConformanceHarness.For("cloudformation");

        var error = harness.UnmarshallError(CloudFormationOperations.DescribeStacks, HttpStatusCode.BadGateway, "upstream failed");

        Assert.IsType<CloudFormationException>(error);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
    }

    [Fact]
    public void QueryError_NoUpdatesToPerform_IsTyped()
    {
        var harness = AwsConformanceHarness.For("cloudformation");

        var error = harness.UnmarshallError(CloudFormationOperations.ContinueUpdateRollback, HttpStatusCode.BadRequest,
            "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>No updates are to be performed.</Message></Error><RequestId>r</RequestId></ErrorResponse>");

        Assert.IsType<NoUpdatesToPerformException>(error);
    }

    [Fact]
    public void QueryError_OtherValidationErrors_StayGeneric()
    {
        var harness = AwsConformanceHarness.For("cloudformation");

        var error = harness.UnmarshallError(CloudFormationOperations.CreateChangeSet, HttpStatusCode.BadRequest,
            "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Template format error: unsupported structure.</Message></Error><RequestId>r</RequestId></ErrorResponse>");

        Assert.Equal(typeof(CloudFormationException), error.GetType());
        Assert.Equal("ValidationError", error.ErrorCode);
    }

    [Fact]
    public void JsonResponse_WithAnEmptyBody_IsAnEmptyResult()
    {
        var harness = AwsConformanceHarness.For("ecs");

        var response = (ListTasksResponse)harness.Unmarshall(EcsOperations.ListTasks, string.Empty);

        Assert.Null(response.TaskArns);
    }

    [Fact]
    public void JsonResponse_TimestampsAsIsoStringsOrIntegers_AreRead()
    {
        var harness = AwsConformanceHarness.For("ecs");

        var response = (DescribeServicesResponse)harness.Unmarshall(EcsOperations.DescribeServices,
            """{"services":[{"createdAt":"2024-01-02T03:04:05Z","deployments":[{"createdAt":1704164645}]}]}""");

        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), response.Services![0].CreatedAt);
        Assert.Equal(response.Services[0].CreatedAt, response.Services[0].Deployments![0].CreatedAt);
    }
}
