using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class StackSetTests
{
    private static Stack S(string name, params string[] dependsOn) => new(name, "ap-south-1", new Template(), [], [], [], dependsOn);

    [Fact]
    public void Order_Diamond_PutsEachStackAfterItsDependenciesInDeclarationOrderWithinAWave()
    {
        var set = new StackSet("e", "ap-south-1", [S("d", "b", "c"), S("b", "a"), S("c", "a"), S("a")]);
        Assert.Equal(["a", "b", "c", "d"], set.Stacks.Select(s => s.Name));
        Assert.Equal([["a"], ["b", "c"], ["d"]], set.Waves.Select(w => w.Select(s => s.Name).ToArray()));
    }

    [Fact]
    public void Order_Cycle_ThrowsNamingTheStacksInTheCycle()
    {
        var ex = Assert.Throws<StackOrderException>(() => new StackSet("e", "ap-south-1", [S("a"), S("b", "c"), S("c", "b")]));
        Assert.Contains("b → [c]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("c → [b]", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a →", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_UnknownDependency_Throws() =>
        Assert.Throws<StackOrderException>(() => new StackSet("e", "ap-south-1", [S("a", "ghost")]));

    [Fact]
    public void Order_DuplicateName_Throws() =>
        Assert.Throws<StackOrderException>(() => new StackSet("e", "ap-south-1", [S("a"), S("a")]));

    [Fact]
    public void Link_ImportsNestedInIntrinsics_BecomeDependencies()
    {
        var graph = new StackGraph("demo", "ap-south-1");
        var consumer = graph.AddStack("consumer");
        var producer = graph.AddStack("producer");
        producer.Template.AddResource("Topic", "AWS::SNS::Topic");
        var topic = producer.Export("TopicArn", Fn.Ref("Topic"), "the topic");
        consumer.Template.AddResource("Queue", "AWS::SQS::Queue", new CfnObject { ["QueueName"] = Fn.Join("-", Fn.Select(0, Fn.Split(":", topic.In(consumer)))) });

        var set = graph.ToStackSet();
        Assert.Equal(["demo-producer", "demo-consumer"], set.Stacks.Select(s => s.Name));
        Assert.Equal(["demo:producer:TopicArn"], set["demo-consumer"].Imports);
        Assert.Equal(["demo:producer:TopicArn"], set["demo-producer"].Exports);
    }
}
