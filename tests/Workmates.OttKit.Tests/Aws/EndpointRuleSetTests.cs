using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>
/// The hand-written endpoint derivation must give the same URL (or the same error) as each service's Smithy
/// endpoint rule set, evaluated here by a small interpreter over endpoint-rule-set-1.json with AWSSDK.Core's own
/// partition data.
/// </summary>
public sealed class EndpointRuleSetTests
{
    private static readonly string[] s_regions =
        ["us-east-1", "eu-west-1", "ap-southeast-7", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "mars-west-1"];

    [Theory]
    [InlineData("ecs")]
    [InlineData("cloudformation")]
    [InlineData("elbv2")]
    [InlineData("cloudwatch")]
    public void RegionalEndpoints_MatchTheModelRuleSet_ForEveryPartitionFipsAndDualStackCombination(string service)
    {
        var model = AwsModel.Load(service);
        var descriptor = service switch
        {
            "ecs" => AwsServiceDescriptor.Ecs,
            "cloudformation" => AwsServiceDescriptor.CloudFormation,
            "elbv2" => AwsServiceDescriptor.ElasticLoadBalancingV2,
            _ => AwsServiceDescriptor.CloudWatch,
        };
        var provider = new RegionalEndpointProvider(descriptor);
        var failures = new List<string>();
        var cases = 0;
        foreach (var region in s_regions)
        {
            foreach (var fips in new[] { false, true })
            {
                foreach (var dualStack in new[] { false, true })
                {
                    foreach (var endpoint in new[] { null, "https://simulator.example:8443" })
                    {
                        cases++;
                        var expected = Outcome(() => RuleSet.Evaluate(model.EndpointRuleSet, region, fips, dualStack, endpoint));
                        var actual = Outcome(() => provider.Resolve(region, fips, dualStack, endpoint));
                        if (expected != actual)
                        {
                            failures.Add($"{region} fips={fips} dualstack={dualStack} endpoint={endpoint}: rule set {expected}, ours {actual}");
                        }
                    }
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{service}: {cases} endpoint cases, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void ServiceIdOfEachDescriptor_IsTheModelsServiceId_SoAwsEndpointUrlVariablesMatch()
    {
        foreach (var (folder, descriptor) in new[]
                 {
                     ("ecs", AwsServiceDescriptor.Ecs), ("cloudformation", AwsServiceDescriptor.CloudFormation),
                     ("elbv2", AwsServiceDescriptor.ElasticLoadBalancingV2), ("cloudwatch", AwsServiceDescriptor.CloudWatch),
                 })
        {
            var metadata = AwsModel.Load(folder).Metadata;
            Assert.Equal(metadata.GetProperty("serviceId").GetString(), descriptor.ServiceId);
            Assert.Equal(metadata.GetProperty("endpointPrefix").GetString(), descriptor.EndpointPrefix);
            Assert.Equal(metadata.GetProperty("apiVersion").GetString(), descriptor.ApiVersion);
            var signingName = metadata.TryGetProperty("signingName", out var s) ? s.GetString() : metadata.GetProperty("endpointPrefix").GetString();
            Assert.Equal(signingName, descriptor.SigningName);
        }

        Assert.Equal("ELASTIC_LOAD_BALANCING_V2", AwsServiceDescriptor.ElasticLoadBalancingV2.EnvironmentSuffix);
        Assert.Equal("CLOUDFORMATION", AwsServiceDescriptor.CloudFormation.EnvironmentSuffix);
    }

    private static string Outcome(Func<string> resolve)
    {
        try
        {
            return "url " + resolve();
        }
        catch (AmazonClientException e)
        {
            return "error " + e.Message;
        }
    }

    /// <summary>A minimal interpreter of the Smithy rules language, enough for these four rule sets.</summary>
    private static class RuleSet
    {
        public static string Evaluate(JsonElement ruleSet, string? region, bool fips, bool dualStack, string? endpoint)
        {
            var refs = new Dictionary<string, object?>
            {
                ["Region"] = region, ["UseFIPS"] = fips, ["UseDualStack"] = dualStack, ["Endpoint"] = endpoint,
            };
            return Rules(ruleSet.GetProperty("rules"), refs) ?? throw new AmazonClientException("no rule matched");
        }

        private static string? Rules(JsonElement rules, Dictionary<string, object?> outer)
        {
            foreach (var rule in rules.EnumerateArray())
            {
                var refs = new Dictionary<string, object?>(outer);
                if (!rule.GetProperty("conditions").EnumerateArray().All(c => Condition(c, refs)))
                {
                    continue;
                }

                switch (rule.GetProperty("type").GetString())
                {
                    case "endpoint":
                        return (string)Value(rule.GetProperty("endpoint").GetProperty("url"), refs)!;
                    case "error":
                        throw new AmazonClientException(Fn.Interpolate(rule.GetProperty("error").GetString()!, refs!));
                    default:
                        return Rules(rule.GetProperty("rules"), refs) ?? throw new AmazonClientException("tree rule exhausted");
                }
            }

            return null;
        }

        private static bool Condition(JsonElement condition, Dictionary<string, object?> refs)
        {
            var value = Call(condition, refs);
            if (condition.TryGetProperty("assign", out var assign))
            {
                refs[assign.GetString()!] = value;
            }

            return value is bool flag ? flag : value is not null;
        }

        private static object? Call(JsonElement call, Dictionary<string, object?> refs)
        {
            var args = call.GetProperty("argv").EnumerateArray().Select(a => Value(a, refs)).ToList();
            return call.GetProperty("fn").GetString() switch
            {
                "isSet" => args[0] is not null,
                "not" => !(bool)args[0]!,
                "booleanEquals" => Equals(args[0], args[1]),
                "stringEquals" => Equals(args[0], args[1]),
                "aws.partition" => args[0] is string region ? Fn.Partition(region) : null,
                "getAttr" => Fn.GetAttr(args[0]!, (string)args[1]!),
                "parseURL" => args[0] is string url ? Fn.ParseURL(url) : null,
                var other => throw new NotSupportedException($"rule function {other}"),
            };
        }

        private static object? Value(JsonElement argument, Dictionary<string, object?> refs) => argument.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => argument.GetString()!.Contains('{', StringComparison.Ordinal)
                ? Fn.Interpolate(argument.GetString()!, refs!)
                : argument.GetString(),
            JsonValueKind.Object when argument.TryGetProperty("ref", out var name) => refs.GetValueOrDefault(name.GetString()!),
            JsonValueKind.Object => Call(argument, refs),
            _ => throw new NotSupportedException(argument.GetRawText()),
        };
    }
}
