using System.Reflection;
using System.Text.Json;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>The hand-coded waiter definitions must equal waiters-2.json: operation, delay, maxAttempts, acceptors.</summary>
public sealed class AwsWaiterDefinitionTests
{
    [Theory]
    [InlineData("ecs", typeof(EcsWaiterDefinitions))]
    [InlineData("cloudformation", typeof(CloudFormationWaiterDefinitions))]
    public void EveryWaiterDefinition_MatchesTheModelAcceptorByAcceptor(string service, Type definitions)
    {
        var model = AwsModel.Load(service);
        var waiters = model.Waiters.GetProperty("waiters");
        var failures = new List<string>();
        var checkedWaiters = 0;
        foreach (var field in definitions.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            checkedWaiters++;
            var definition = field.GetValue(null)!;
            var name = (string)Get(definition, "Name");
            if (!waiters.TryGetProperty(name, out var expected))
            {
                failures.Add($"{name}: not a waiter of the model");
                continue;
            }

            Check(failures, name, "operation", expected.GetProperty("operation").GetString(), Get(definition, "Operation"));
            Check(failures, name, "delay", expected.GetProperty("delay").GetInt32(), Get(definition, "DelaySeconds"));
            Check(failures, name, "maxAttempts", expected.GetProperty("maxAttempts").GetInt32(), Get(definition, "MaxAttempts"));
            var acceptors = ((System.Collections.IEnumerable)Get(definition, "Acceptors")).Cast<object>().ToList();
            var modelAcceptors = expected.GetProperty("acceptors").EnumerateArray().ToList();
            Check(failures, name, "acceptor count", modelAcceptors.Count, acceptors.Count);
            for (var i = 0; i < Math.Min(acceptors.Count, modelAcceptors.Count); i++)
            {
                var label = $"{name} acceptor {i}";
                var a = modelAcceptors[i];
                Check(failures, label, "state", a.GetProperty("state").GetString(), Get(acceptors[i], "State").ToString()!.ToLowerInvariant());
                Check(failures, label, "matcher", a.GetProperty("matcher").GetString()!.ToLowerInvariant(), Get(acceptors[i], "Matcher").ToString()!.ToLowerInvariant());
                Check(failures, label, "argument", a.TryGetProperty("argument", out var argument) ? argument.GetString() : null, Get(acceptors[i], "Argument"));
                object modelExpected = a.GetProperty("expected").ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => a.GetProperty("expected").GetInt32(),
                    _ => a.GetProperty("expected").GetString()!,
                };
                Check(failures, label, "expected", modelExpected, Get(acceptors[i], "Expected"));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{service}: {checkedWaiters} waiters checked, {failures.Count} failures");
        Assert.True(checkedWaiters > 0);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static object Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target)!;

    private static void Check(List<string> failures, string name, string what, object? expected, object? actual)
    {
        if (!Equals(expected, actual))
        {
            failures.Add($"{name}: {what} is {actual ?? "null"}, the model says {expected ?? "null"}");
        }
    }

    [Fact]
    public void WaiterStateAndMatcherEnums_CoverTheWaitersV2Vocabulary()
    {
        Assert.Equal(["Success", "Failure", "Retry"], Enum.GetNames<WaiterState>());
        Assert.Equal(["Path", "PathAll", "PathAny", "Status", "Error"], Enum.GetNames<WaiterMatcher>());
    }
}
