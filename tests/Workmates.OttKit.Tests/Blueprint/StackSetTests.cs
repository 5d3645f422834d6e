using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

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
    public void Link_ImportThatNoStackExports_ThrowsNamingTheImport()
    {
        var consumer = new Template();
        consumer.AddResource("Topic", "AWS::SNS::Topic", new CfnObject { ["DisplayName"] = Fn.ImportValue("demo:nowhere:Thing") });
        var ex = Assert.Throws<StackOrderException>(() => OttKit.Blueprint.Blueprint.Link(TestSpecs.Valid(), [("demo-consumer", consumer)]));
        Assert.Contains("demo:nowhere:Thing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_ImportsNestedInIntrinsics_BecomeDependencies()
    {
        var producer = new Template();
        producer.AddResource("Topic", "AWS::SNS::Topic");
        producer.AddOutput("TopicArn", Fn.Ref("Topic"), exportName: "demo:producer:TopicArn");
        var consumer = new Template();
        consumer.AddResource("Queue", "AWS::SQS::Queue", new CfnObject { ["QueueName"] = Fn.Join("-", Fn.Select(0, Fn.Split(":", Fn.ImportValue("demo:producer:TopicArn")))) });
        var set = OttKit.Blueprint.Blueprint.Link(TestSpecs.Valid(), [("demo-consumer", consumer), ("demo-producer", producer)]);
        Assert.Equal(["demo-producer", "demo-consumer"], set.Stacks.Select(s => s.Name));
        Assert.Equal(["demo:producer:TopicArn"], set["demo-consumer"].Imports);
    }
}
