using System.Text.Json.Nodes;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>
/// Every request type, populated with every modelled member (and separately with only the required ones, and from
/// the model's examples), goes through its SDK marshaller; the resulting <c>IRequest</c> must validate against the
/// input shape of service-2.json.
/// </summary>
public sealed class AwsRequestConformanceTests
{
    [Theory]
    [InlineData("ecs")]
    [InlineData("cloudformation")]
    [InlineData("elbv2")]
    [InlineData("cloudwatch")]
    public void EveryRequestType_MarshalsToTheModelledWireForm(string service)
    {
        var harness = AwsConformanceHarness.For(service);
        var failures = new List<string>();
        var cases = 0;
        foreach (var operation in harness.Operations)
        {
            var input = harness.Model.InputShape(operation.Name);
            foreach (var (label, sample) in new[]
                     {
                         ("all members", harness.Samples.Sample(input, allMembers: true)),
                         ("required only", harness.Samples.Sample(input, allMembers: false)),
                     })
            {
                cases++;
                var request = harness.Request(operation, sample);
                failures.AddRange(harness.ValidateRequest(operation, request, expectAllMembers: label == "all members")
                    .Select(e => $"{operation.Name} ({label}): {e}"));
            }

            if (harness.Model.Examples.GetProperty("examples").TryGetProperty(operation.Name, out var examples))
            {
                foreach (var example in examples.EnumerateArray())
                {
                    cases++;
                    var request = harness.Request(operation, JsonNode.Parse(example.GetProperty("input").GetRawText()));
                    failures.AddRange(harness.ValidateRequest(operation, request, expectAllMembers: false)
                        .Select(e => $"{operation.Name} (example {example.GetProperty("id").GetString()}): {e}"));
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{service}: {harness.Operations.Count} operations, {cases} request cases, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData("ecs", "RegisterTaskDefinition,DescribeTaskDefinition,DeregisterTaskDefinition,ListTaskDefinitions,UpdateService,DescribeServices,ListServiceDeployments,DescribeServiceDeployments,StopServiceDeployment,DescribeServiceRevisions,ListTasks,DescribeTasks,ListContainerInstances,DescribeContainerInstances,UpdateContainerInstancesState")]
    [InlineData("cloudformation", "CreateChangeSet,DescribeChangeSet,ExecuteChangeSet,DeleteChangeSet,ListChangeSets,DescribeStacks,DescribeStackEvents,DescribeStackResources,GetTemplate,ValidateTemplate,ContinueUpdateRollback,CancelUpdateStack,RollbackStack,DeleteStack,UpdateTerminationProtection,SetStackPolicy,DetectStackDrift,DescribeStackDriftDetectionStatus")]
    [InlineData("elbv2", "DescribeTargetHealth,DescribeTargetGroups")]
    [InlineData("cloudwatch", "DescribeAlarms,PutMetricData")]
    public void TheClient_CoversExactlyTheOperationsTheLibraryUses_AndEachExistsInTheModel(string service, string expected)
    {
        var harness = AwsConformanceHarness.For(service);

        var names = harness.Operations.Select(o => o.Name).ToList();

        Assert.Equal(expected.Split(','), names);
        Assert.All(names, name => Assert.Equal(name, harness.Model.Operation(name).GetProperty("name").GetString()));
    }
}
