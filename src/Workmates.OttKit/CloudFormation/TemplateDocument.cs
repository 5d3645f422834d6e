namespace Workmates.OttKit.CloudFormation;

/// <summary>Maps a <see cref="Template"/> to its document tree (the JSON/YAML shape) in AWS's documented key order.</summary>
internal static class TemplateDocument
{
    public static CfnObject ToNode(Template template)
    {
        var root = new CfnObject();
        if (template.FormatVersion is not null)
        {
            root.Add("AWSTemplateFormatVersion", template.FormatVersion);
        }

        if (template.Description is not null)
        {
            root.Add("Description", template.Description);
        }

        if (template.Transforms.Count == 1)
        {
            root.Add("Transform", template.Transforms[0]);
        }
        else if (template.Transforms.Count > 1)
        {
            root.Add("Transform", new CfnList(template.Transforms.Select(static t => (CfnNode)t)));
        }

        if (template.Metadata is not null)
        {
            root.Add("Metadata", template.Metadata);
        }

        AddSection(root, template.Parameters, ParameterToNode);
        AddSection(root, template.Rules, static r => r);
        AddSection(root, template.Mappings, static m => m);
        AddSection(root, template.Conditions, static c => c);
        AddSection(root, template.Resources, ResourceToNode);
        AddSection(root, template.Outputs, OutputToNode);
        return root;
    }

    private static void AddSection<T>(CfnObject root, TemplateSection<T> section, Func<T, CfnNode> toNode)
        where T : class
    {
        if (section.Count == 0)
        {
            return;
        }

        var node = new CfnObject();
        foreach (var (id, entry) in section)
        {
            node.Add(id, toNode(entry));
        }

        root.Add(section.Name, node);
    }

    private static CfnObject ParameterToNode(Parameter p)
    {
        var node = new CfnObject { ["Type"] = p.Type };
        AddIfNotNull(node, "Description", p.Description);
        AddIfNotNull(node, "Default", p.Default);
        if (p.AllowedValues.Count > 0)
        {
            node.Add("AllowedValues", new CfnList(p.AllowedValues.Select(static v => (CfnNode)v)));
        }

        AddIfNotNull(node, "AllowedPattern", p.AllowedPattern);
        AddIfNotNull(node, "ConstraintDescription", p.ConstraintDescription);
        if (p.MinLength is { } minLength)
        {
            node.Add("MinLength", minLength);
        }

        if (p.MaxLength is { } maxLength)
        {
            node.Add("MaxLength", maxLength);
        }

        if (p.MinValue is { } minValue)
        {
            node.Add("MinValue", NumberNode(minValue));
        }

        if (p.MaxValue is { } maxValue)
        {
            node.Add("MaxValue", NumberNode(maxValue));
        }

        if (p.NoEcho)
        {
            node.Add("NoEcho", true);
        }

        return node;
    }

    // Whole numbers are written as integers (MinValue: 1), which is what people write by hand.
    private static CfnScalar NumberNode(double value) =>
        Math.Abs(value) < 1e15 && value == Math.Floor(value) ? CfnScalar.Of((long)value) : CfnScalar.Of(value);

    private static CfnObject ResourceToNode(Resource r)
    {
        var node = new CfnObject { ["Type"] = r.Type };
        AddIfNotNull(node, "Condition", r.Condition);
        if (r.DependsOn.Count == 1)
        {
            node.Add("DependsOn", r.DependsOn[0]);
        }
        else if (r.DependsOn.Count > 1)
        {
            node.Add("DependsOn", new CfnList(r.DependsOn.Select(static d => (CfnNode)d)));
        }

        if (r.Properties.Count > 0)
        {
            node.Add("Properties", r.Properties);
        }

        if (r.DeletionPolicy is not null)
        {
            node.Add("DeletionPolicy", r.DeletionPolicy);
        }

        if (r.UpdateReplacePolicy is not null)
        {
            node.Add("UpdateReplacePolicy", r.UpdateReplacePolicy);
        }

        AddIfNotNull(node, "CreationPolicy", r.CreationPolicy);
        AddIfNotNull(node, "UpdatePolicy", r.UpdatePolicy);
        AddIfNotNull(node, "Metadata", r.Metadata);
        return node;
    }

    private static CfnObject OutputToNode(Output o)
    {
        var node = new CfnObject();
        AddIfNotNull(node, "Description", o.Description);
        AddIfNotNull(node, "Condition", o.Condition);
        node.Add("Value", o.Value);
        if (o.ExportName is not null)
        {
            node.Add("Export", new CfnObject { ["Name"] = o.ExportName });
        }

        return node;
    }

    private static void AddIfNotNull(CfnObject node, string key, string? value)
    {
        if (value is not null)
        {
            node.Add(key, value);
        }
    }

    private static void AddIfNotNull(CfnObject node, string key, CfnNode? value)
    {
        if (value is not null)
        {
            node.Add(key, value);
        }
    }
}
