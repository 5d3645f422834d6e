using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>
/// Every response type is read by its SDK unmarshaller from model-generated wire responses (every output member plus
/// unknown members at every level, then only the required members), from the model's examples (converted to wire
/// form), and every modelled error code maps to the right exception.
/// </summary>
public sealed class AwsResponseConformanceTests
{
    // Wire code → exception type name; anything else must arrive as the service's base exception.
    private static readonly Dictionary<string, Dictionary<string, string>> s_typedErrors = new()
    {
        ["ecs"] = new()
        {
            ["ServiceNotFoundException"] = "ServiceNotFoundException", ["ServiceNotActiveException"] = "ServiceNotActiveException",
            ["ClusterNotFoundException"] = "ClusterNotFoundException", ["InvalidParameterException"] = "InvalidParameterException",
            ["AccessDeniedException"] = "AccessDeniedException", ["ClientException"] = "ClientException",
            ["ServerException"] = "ServerException",
        },
        ["cloudformation"] = new()
        {
            ["ChangeSetNotFound"] = "ChangeSetNotFoundException", ["InvalidChangeSetStatus"] = "InvalidChangeSetStatusException",
            ["InsufficientCapabilitiesException"] = "InsufficientCapabilitiesException", ["AlreadyExistsException"] = "AlreadyExistsException",
            ["TokenAlreadyExistsException"] = "TokenAlreadyExistsException", ["LimitExceededException"] = "LimitExceededException",
        },
        ["elbv2"] = new()
        {
            ["TargetGroupNotFound"] = "TargetGroupNotFoundException", ["InvalidTarget"] = "InvalidTargetException",
            ["HealthUnavailable"] = "HealthUnavailableException", ["LoadBalancerNotFound"] = "LoadBalancerNotFoundException",
        },
        ["cloudwatch"] = new()
        {
            ["InvalidNextToken"] = "InvalidNextTokenException", ["InvalidParameterValue"] = "InvalidParameterValueException",
            ["MissingParameter"] = "MissingRequiredParameterException", ["InvalidParameterCombination"] = "InvalidParameterCombinationException",
            ["InternalServiceError"] = "InternalServiceException",
        },
    };

    private static readonly Dictionary<string, string> s_baseException = new()
    {
        ["ecs"] = "EcsException", ["cloudformation"] = "CloudFormationException",
        ["elbv2"] = "ElasticLoadBalancingV2Exception", ["cloudwatch"] = "CloudWatchException",
    };

    [Theory]
    [InlineData("ecs")]
    [InlineData("cloudformation")]
    [InlineData("elbv2")]
    [InlineData("cloudwatch")]
    public void EveryResponseType_ReadsEveryModelledMember_IgnoresUnknownOnes_AndLeavesMissingOnesUnset(string service)
    {
        var harness = AwsConformanceHarness.For(service);
        var failures = new List<string>();
        var cases = 0;
        foreach (var operation in harness.Operations)
        {
            var outputShape = harness.Model.OutputShape(operation.Name);
            var samples = new List<(string Label, JsonNode? Output, bool Unknown)>
            {
                ("all members + unknown", outputShape is null ? null : harness.Samples.Sample(outputShape, allMembers: true), true),
                ("required only", outputShape is null ? null : harness.Samples.Sample(outputShape, allMembers: false), false),
            };
            if (harness.Model.Examples.GetProperty("examples").TryGetProperty(operation.Name, out var examples))
            {
                samples.AddRange(examples.EnumerateArray()
                    .Where(e => e.TryGetProperty("output", out _))
                    .Select(e => ($"example {e.GetProperty("id").GetString()}", JsonNode.Parse(e.GetProperty("output").GetRawText()), false)));
            }

            foreach (var (label, output, unknown) in samples)
            {
                cases++;
                try
                {
                    var body = harness.ResponseBody(operation, output, unknown);
                    var response = harness.Unmarshall(operation, body, ("x-amzn-RequestId", "req-0001"));
                    failures.AddRange(AwsConformanceHarness.Compare(harness.Expected(operation, output), response, operation.ResponseType)
                        .Select(e => $"{operation.Name} ({label}): {e}"));
                    if (response.ResponseMetadata?.RequestId != "req-0001")
                    {
                        failures.Add($"{operation.Name} ({label}): request id not read");
                    }
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    failures.Add($"{operation.Name} ({label}): {e.GetType().Name}: {e.Message}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{service}: {harness.Operations.Count} operations, {cases} response cases, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData("ecs")]
    [InlineData("cloudformation")]
    [InlineData("elbv2")]
    [InlineData("cloudwatch")]
    public void EveryModelledErrorCode_MapsToItsExceptionWithTheFacts(string service)
    {
        var harness = AwsConformanceHarness.For(service);
        var failures = new List<string>();
        var cases = 0;
        foreach (var operation in harness.Operations)
        {
            var codes = harness.Model.ErrorShapes(operation.Name).Select(harness.Model.WireErrorCode).Append("ThrottlingException").Append("SomethingNew");
            foreach (var code in codes)
            {
                cases++;
                var status = code == "ServerException" || code == "InternalServiceError" || code == "HealthUnavailable"
                    ? HttpStatusCode.InternalServerError
                    : HttpStatusCode.BadRequest;
                var error = harness.Model.IsQuery
                    ? harness.UnmarshallError(operation, status,
                        $"<ErrorResponse xmlns=\"{harness.Model.Metadata.GetProperty("xmlNamespace").GetString()}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>msg {code}</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>")
                    : harness.UnmarshallError(operation, status,
                        $$"""{"__type":"com.amazonaws.ecs#{{code}}","message":"msg {{code}}"}""", ("x-amzn-RequestId", "rid-1"));
                var expectedType = s_typedErrors[service].GetValueOrDefault(code, s_baseException[service]);
                if (error.GetType().Name != expectedType)
                {
                    failures.Add($"{operation.Name} {code}: expected {expectedType}, got {error.GetType().Name}");
                }

                if (error.ErrorCode != code || error.Message != $"msg {code}" || error.RequestId != "rid-1" || error.StatusCode != status)
                {
                    failures.Add($"{operation.Name} {code}: facts lost ({error.ErrorCode}, {error.Message}, {error.RequestId}, {error.StatusCode})");
                }

                var throttling = (bool)error.GetType().GetProperty("IsThrottling")!.GetValue(error)!;
                if (throttling != (code == "ThrottlingException"))
                {
                    failures.Add($"{operation.Name} {code}: IsThrottling is {throttling}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{service}: {cases} error cases, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
