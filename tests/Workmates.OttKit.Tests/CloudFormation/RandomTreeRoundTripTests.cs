using System.Text;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

/// <summary>Random property trees (nested objects, lists, scalars of every kind, intrinsics in every position) must
/// survive YAML and JSON unchanged. Seeded, so a failure names a reproducible seed.</summary>
public sealed class RandomTreeRoundTripTests
{
    private static readonly string[] Pool =
    [
        "on", "yes", "No", "null", "~", "", "0123", "1e3", "-.inf", "2010-09-09", "*x", "&y", "!z", "%p", "@a", "a: b", "a #b", "#c",
        "- d", "? e", "|f", ">g", "[h]", "{i}", "j, k", " l", "m ", "n\no", "p\n", "q\r\nr", "\ts", "t\u0000u", "é✓日本", "${AWS::Region}",
        "${!Literal}", "arn:aws:s3:::b/*", "'", "\"", "\\", "Fn::Sub", "Ref", "Condition", "true", "False", "0x1F", "1_000", "1:30", "=", "<<",
    ];

    private static readonly string[] Functions =
    [
        "Ref", "Condition", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::GetAZs", "Fn::Cidr", "Fn::ImportValue", "Fn::If",
        "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::FindInMap", "Fn::Base64", "Fn::GetAtt", "Fn::Length", "Fn::ToJsonString",
    ];

    [Fact]
    public void RandomTrees_RoundTripThroughYamlAndJson()
    {
        var failures = new List<string>();
        const int Cases = 300;
        for (var seed = 0; seed < Cases; seed++)
        {
            var random = new Random(seed);
            var template = new Template();
            var properties = new CfnObject();
            for (var i = 0; i < 4; i++)
            {
                properties[$"P{i}"] = Node(random, depth: 0);
            }

            template.AddResource("R", "AWS::CloudFormation::WaitConditionHandle", properties);
            foreach (var format in new[] { TemplateFormat.Yaml, TemplateFormat.Json })
            {
                var text = template.Serialize(format);
                try
                {
                    if (!template.Equals(Template.Parse(text)))
                    {
                        failures.Add($"seed {seed} {format}: changed\n{text}");
                    }
                }
                catch (TemplateFormatException e)
                {
                    failures.Add($"seed {seed} {format}: {e.Message}\n{text}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{Cases} random trees, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
    }

    private static CfnNode Node(Random random, int depth)
    {
        var choice = random.Next(depth >= 4 ? 5 : 9);
        return choice switch
        {
            0 => CfnScalar.Of(Text(random)),
            1 => CfnScalar.Of(random.Next(-1000, 1000)),
            2 => CfnScalar.Of(Math.Round(random.NextDouble() * 1000, random.Next(0, 4)) + 0.5),
            3 => CfnScalar.Of(random.Next(2) == 0),
            4 => random.Next(4) == 0 ? CfnScalar.Null : CfnScalar.Of(Text(random)),
            5 or 6 => Function(random, depth),
            7 => new CfnList(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Node(random, depth + 1))),
            _ => Object(random, depth),
        };
    }

    private static CfnObject Object(Random random, int depth)
    {
        var node = new CfnObject();
        var count = random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            // A single key that names a function would read back as that function: give such objects a sibling.
            node[Text(random)] = Node(random, depth + 1);
        }

        if (node.Count == 1 && Intrinsic.IsFunctionName(node.Keys.First()))
        {
            node["sibling"] = "x";
        }

        return node;
    }

    private static Intrinsic Function(Random random, int depth)
    {
        var name = Functions[random.Next(Functions.Length)];
        return name switch
        {
            "Ref" => Fn.Ref(random.Next(2) == 0 ? "AWS::Region" : "Thing" + random.Next(10)),
            "Condition" => Fn.Condition("C" + random.Next(10)),
            "Fn::GetAtt" => Fn.GetAtt("Thing" + random.Next(10), random.Next(2) == 0 ? "Arn" : "Endpoint.Address"),
            "Fn::Sub" when random.Next(2) == 0 => Fn.Sub(Text(random)),
            _ => new Intrinsic(name, Node(random, depth + 1)),
        };
    }

    private static string Text(Random random)
    {
        if (random.Next(3) > 0)
        {
            return Pool[random.Next(Pool.Length)];
        }

        var builder = new StringBuilder();
        var length = random.Next(0, 12);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(10) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0x80, 0x2030),
                _ => (char)random.Next(32, 127),
            });
        }

        return builder.ToString();
    }
}
