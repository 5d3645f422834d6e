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
}
