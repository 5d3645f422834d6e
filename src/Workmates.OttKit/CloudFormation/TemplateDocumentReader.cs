using System.Globalization;

namespace Workmates.OttKit.CloudFormation;

/// <summary>Maps a document tree (read from JSON or YAML) to a <see cref="Template"/>, naming the path of any misfit.</summary>
internal static class TemplateDocumentReader
{
    public static Template FromNode(CfnNode root)
    {
        if (root is not CfnObject top)
        {
            throw new TemplateFormatException(string.Empty, "a template must be a mapping of sections (AWSTemplateFormatVersion, Resources…).");
        }

        var template = new Template { FormatVersion = null };
        foreach (var (section, value) in top)
        {
            switch (section)
            {
                case "AWSTemplateFormatVersion":
                    template.FormatVersion = ReadText(value, section);
                    break;
                case "Description":
                    template.Description = ReadText(value, section);
                    break;
                case "Transform":
                    foreach (var item in value is CfnList list ? list : [value])
                    {
                        template.Transforms.Add(ReadText(item, section));
                    }

                    break;
                case "Metadata":
                    template.Metadata = ReadObject(value, section);
                    break;
                case "Parameters":
                    foreach (var (id, node) in ReadObject(value, section))
                    {
                        template.Parameters.Add(id, ReadParameter(id, ReadObject(node, $"Parameters.{id}")));
                    }

                    break;
                case "Rules":
                    foreach (var (id, node) in ReadObject(value, section))
                    {
                        template.Rules.Add(id, ReadObject(node, $"Rules.{id}"));
                    }

                    break;
                case "Mappings":
                    foreach (var (id, node) in ReadObject(value, section))
                    {
                        template.Mappings.Add(id, ReadObject(node, $"Mappings.{id}"));
                    }

                    break;
                case "Conditions":
                    foreach (var (id, node) in ReadObject(value, section))
                    {
                        template.Conditions.Add(id, node);
                    }

                    break;
                case "Resources":
                    foreach (var (id, node) in ReadObject(value, section))
                    {
                        template.Resources.Add(id, ReadResource(id, ReadObject(node, $"Resources.{id}")));
                    }

                    break;
                case "Outputs":
                    foreach (var (id, node) in ReadObject(value, section))
                    {
                        template.Outputs.Add(id, ReadOutput(id, ReadObject(node, $"Outputs.{id}")));
                    }

                    break;
                default:
                    throw new TemplateFormatException(section, "unknown template section; expected AWSTemplateFormatVersion, Description, Transform, Metadata, Parameters, Rules, Mappings, Conditions, Resources or Outputs.");
            }
        }

        return template;
    }

    private static Parameter ReadParameter(string id, CfnObject node)
    {
        var path = $"Parameters.{id}";
        var type = node.TryGetValue("Type", out var typeNode)
            ? ReadText(typeNode, path + ".Type")
            : throw new TemplateFormatException(path, "the parameter has no Type; add Type: String (or Number, CommaDelimitedList, AWS::EC2::VPC::Id…).");
        var parameter = new Parameter(id, type);
        foreach (var (key, value) in node)
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "Type":
                    break;
                case "Default":
                    parameter.Default = ReadText(value, at);
                    break;
                case "Description":
                    parameter.Description = ReadText(value, at);
                    break;
                case "AllowedValues":
                    foreach (var item in value is CfnList list ? list : throw Expected(at, "a list"))
                    {
                        parameter.AllowedValues.Add(ReadText(item, at));
                    }

                    break;
                case "AllowedPattern":
                    parameter.AllowedPattern = ReadText(value, at);
                    break;
                case "ConstraintDescription":
                    parameter.ConstraintDescription = ReadText(value, at);
                    break;
                case "MinLength":
                    parameter.MinLength = ReadLength(value, at);
                    break;
                case "MaxLength":
                    parameter.MaxLength = ReadLength(value, at);
                    break;
                case "MinValue":
                    parameter.MinValue = ReadNumber(value, at);
                    break;
                case "MaxValue":
                    parameter.MaxValue = ReadNumber(value, at);
                    break;
                case "NoEcho":
                    parameter.NoEcho = value is CfnScalar { Kind: CfnScalarKind.Boolean } b
                        ? b.BooleanValue!.Value
                        : ReadText(value, at) is var text && bool.TryParse(text, out var flag) ? flag : throw Expected(at, "true or false");
                    break;
                default:
                    throw new TemplateFormatException(at, "unknown parameter property.");
            }
        }

        return parameter;
    }

    private static Resource ReadResource(string id, CfnObject node)
    {
        var path = $"Resources.{id}";
        var type = node.TryGetValue("Type", out var typeNode)
            ? ReadText(typeNode, path + ".Type")
            : throw new TemplateFormatException(path, "the resource has no Type; add one such as AWS::S3::Bucket.");
        var resource = new Resource(id, type);
        foreach (var (key, value) in node)
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "Type":
                    break;
                case "Properties":
                    foreach (var (name, property) in ReadObject(value, at))
                    {
                        resource.Properties.Add(name, property);
                    }

                    break;
                case "DependsOn":
                    foreach (var item in value is CfnList list ? list : [value])
                    {
                        resource.DependsOn.Add(ReadText(item, at));
                    }

                    break;
                case "Condition":
                    resource.Condition = ReadText(value, at);
                    break;
                case "DeletionPolicy":
                    resource.DeletionPolicy = ReadEnum<DeletionPolicy>(value, at);
                    break;
                case "UpdateReplacePolicy":
                    resource.UpdateReplacePolicy = ReadEnum<UpdateReplacePolicy>(value, at);
                    break;
                case "Metadata":
                    resource.Metadata = ReadObject(value, at);
                    break;
                case "CreationPolicy":
                    resource.CreationPolicy = ReadObject(value, at);
                    break;
                case "UpdatePolicy":
                    resource.UpdatePolicy = ReadObject(value, at);
                    break;
                default:
                    throw new TemplateFormatException(at, "unknown resource attribute; expected Type, Properties, DependsOn, Condition, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy or UpdatePolicy.");
            }
        }

        return resource;
    }

    private static Output ReadOutput(string id, CfnObject node)
    {
        var path = $"Outputs.{id}";
        var output = new Output(id, node.TryGetValue("Value", out var value)
            ? value
            : throw new TemplateFormatException(path, "the output has no Value."));
        foreach (var (key, item) in node)
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "Value":
                    break;
                case "Description":
                    output.Description = ReadText(item, at);
                    break;
                case "Condition":
                    output.Condition = ReadText(item, at);
                    break;
                case "Export":
                    var export = ReadObject(item, at);
                    if (export.Count != 1 || !export.TryGetValue("Name", out var name))
                    {
                        throw Expected(at, "a mapping with exactly one key, Name");
                    }

                    output.ExportName = name switch
                    {
                        Intrinsic intrinsic => intrinsic,
                        _ => ReadText(name, at + ".Name"),
                    };
                    break;
                default:
                    throw new TemplateFormatException(at, "unknown output property; expected Description, Value, Export or Condition.");
            }
        }

        return output;
    }

    private static Value<T> ReadEnum<T>(CfnNode node, string path)
        where T : struct, Enum
    {
        if (node is Intrinsic intrinsic)
        {
            return intrinsic;
        }

        var text = ReadText(node, path);
        return Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text[0])
            ? value
            : throw Expected(path, "one of " + string.Join(", ", Enum.GetNames<T>()));
    }

    private static CfnObject ReadObject(CfnNode node, string path) =>
        node as CfnObject ?? throw Expected(path, "a mapping");

    private static string ReadText(CfnNode node, string path) =>
        node is CfnScalar { Kind: not CfnScalarKind.Null } scalar ? scalar.Text! : throw Expected(path, "a string");

    private static double ReadNumber(CfnNode node, string path) => node switch
    {
        CfnScalar { Kind: CfnScalarKind.Integer } i => i.IntegerValue!.Value,
        CfnScalar { Kind: CfnScalarKind.Number } n => n.NumberValue!.Value,
        CfnScalar { Kind: CfnScalarKind.String } s when double.TryParse(s.StringValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Expected(path, "a number"),
    };

    private static int ReadLength(CfnNode node, string path) =>
        ReadNumber(node, path) is var n && n >= 0 && n <= int.MaxValue && n == Math.Floor(n)
            ? (int)n
            : throw Expected(path, "a whole number from 0");

    private static TemplateFormatException Expected(string path, string what) =>
        new(path, $"expected {what}.");
}
