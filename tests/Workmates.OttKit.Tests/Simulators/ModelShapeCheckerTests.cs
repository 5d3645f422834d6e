using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>The checker itself must be able to fail, or the conformance suites prove nothing.</summary>
public sealed class ModelShapeCheckerTests
{
    [Fact]
    public void CheckJson_UnknownMemberWrongTypeAndBadEnum_AreAllReported()
    {
        var model = ModelShapeChecker.Load("ecs");
        var body = JsonNode.Parse("""{"services":[{"serviceName":"x","desiredCount":"2","deployments":[{"rolloutState":"DONE"}],"bogus":1}]}""");

        var problems = model.CheckJson("DescribeServices", body);

        Assert.Contains(problems, p => p.Contains("bogus", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("desiredCount", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'DONE' is not in enum", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckXml_MissingRequiredMemberAndBadTimestamp_AreReported()
    {
        var model = ModelShapeChecker.Load("cloudformation");
        XNamespace ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
        var result = new XElement(ns + "DescribeStacksResult",
            new XElement(ns + "Stacks", new XElement(ns + "member", new XElement(ns + "StackName", "s"), new XElement(ns + "CreationTime", "yesterday"))));

        var problems = model.CheckXml("DescribeStacks", result);

        Assert.Contains(problems, p => p.Contains("required member StackStatus", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'yesterday' is not a timestamp", StringComparison.Ordinal));
    }
}
