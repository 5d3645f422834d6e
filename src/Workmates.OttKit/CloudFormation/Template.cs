using System.Text.Json.Nodes;

namespace Workmates.OttKit.CloudFormation;

/// <summary>The text format of a template body.</summary>
public enum TemplateFormat
{
    /// <summary>YAML with short-form intrinsic tags (<c>!Ref</c>, <c>!Sub</c>…).</summary>
    Yaml,

    /// <summary>JSON with two-space indentation.</summary>
    Json,
}

/// <summary>
/// A CloudFormation template. Sections keep insertion order, so two builds of the same template serialize to the
/// same bytes. Write it with <see cref="ToYaml"/> or <see cref="ToJson"/>, read one with <see cref="Parse"/>, and
/// run <see cref="Check"/> before handing it to AWS.
/// </summary>
public sealed class Template : IEquatable<Template>
{
    /// <summary>The template format version CloudFormation documents (the only one that exists).</summary>
    public const string LatestFormatVersion = "2010-09-09";

    /// <summary>The <c>AWSTemplateFormatVersion</c>; null omits it.</summary>
    public string? FormatVersion { get; set; } = LatestFormatVersion;

    /// <summary>The template description (at most 1,024 bytes).</summary>
    public string? Description { get; set; }

    /// <summary>Macros to run, e.g. <c>AWS::Serverless-2016-10-31</c> or <c>AWS::LanguageExtensions</c>.</summary>
    public IList<string> Transforms { get; init; } = [];

    /// <summary>Template-level metadata.</summary>
    public CfnObject? Metadata { get; set; }

    /// <summary>The Parameters section.</summary>
    public TemplateSection<Parameter> Parameters { get; } = new("Parameters", static p => p.LogicalId);

    /// <summary>The Rules section: rule name → <c>{ RuleCondition, Assertions }</c>, validating parameter combinations.</summary>
    public TemplateSection<CfnObject> Rules { get; } = new("Rules");

    /// <summary>The Mappings section: map name → top-level key → second-level key → value.</summary>
    public TemplateSection<CfnObject> Mappings { get; } = new("Mappings");

    /// <summary>The Conditions section: condition name → condition expression (<c>Fn::Equals</c>, <c>Fn::And</c>…).</summary>
    public TemplateSection<CfnNode> Conditions { get; } = new("Conditions");

    /// <summary>The Resources section.</summary>
    public TemplateSection<Resource> Resources { get; } = new("Resources", static r => r.LogicalId);

    /// <summary>The Outputs section.</summary>
    public TemplateSection<Output> Outputs { get; } = new("Outputs", static o => o.LogicalId);

    /// <summary>Adds a resource.</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>The same resource, for references.</returns>
    /// <exception cref="DuplicateLogicalIdException">A resource with the same logical ID exists.</exception>
    public Resource Add(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Resources.Add(resource.LogicalId, resource);
        return resource;
    }

    /// <summary>Adds a resource of a type with properties.</summary>
    /// <param name="logicalId">The logical ID.</param>
    /// <param name="type">The resource type, e.g. <c>AWS::S3::Bucket</c>.</param>
    /// <param name="properties">The properties, or null for none.</param>
    /// <returns>The resource, for references.</returns>
    /// <exception cref="DuplicateLogicalIdException">A resource with the same logical ID exists.</exception>
    public Resource AddResource(string logicalId, string type, CfnObject? properties = null) =>
        Add(new Resource(logicalId, type) { Properties = properties ?? [] });

    /// <summary>Adds a parameter.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <returns>The same parameter, for references.</returns>
    /// <exception cref="DuplicateLogicalIdException">A parameter with the same logical ID exists.</exception>
    public Parameter Add(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Parameters.Add(parameter.LogicalId, parameter);
        return parameter;
    }

    /// <summary>Adds an output.</summary>
    /// <param name="output">The output.</param>
    /// <returns>The same output.</returns>
    /// <exception cref="DuplicateLogicalIdException">An output with the same logical ID exists.</exception>
    public Output Add(Output output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Outputs.Add(output.LogicalId, output);
        return output;
    }

    /// <summary>Adds an output.</summary>
    /// <param name="logicalId">The logical ID.</param>
    /// <param name="value">The value.</param>
    /// <param name="description">The description, or null.</param>
    /// <param name="exportName">The export name, or null when not exported.</param>
    /// <returns>The output.</returns>
    /// <exception cref="DuplicateLogicalIdException">An output with the same logical ID exists.</exception>
    public Output AddOutput(string logicalId, CfnNode value, string? description = null, Value<string>? exportName = null) =>
        Add(new Output(logicalId, value) { Description = description, ExportName = exportName });

    /// <summary>Adds a condition.</summary>
    /// <param name="name">The condition name.</param>
    /// <param name="expression">The expression, e.g. <c>Fn.Equals(env.Ref(), "prod")</c>.</param>
    /// <returns>The condition name, for <c>Resource.Condition</c> and <c>Fn.If</c>.</returns>
    /// <exception cref="DuplicateLogicalIdException">A condition with the same name exists.</exception>
    public string AddCondition(string name, CfnNode expression)
    {
        Conditions.Add(name, expression);
        return name;
    }

    /// <summary>Adds a mapping.</summary>
    /// <param name="name">The mapping name.</param>
    /// <param name="mapping">Top-level key → second-level key → value.</param>
    /// <returns>The mapping name, for <c>Fn.FindInMap</c>.</returns>
    /// <exception cref="DuplicateLogicalIdException">A mapping with the same name exists.</exception>
    public string AddMapping(string name, CfnObject mapping)
    {
        Mappings.Add(name, mapping);
        return name;
    }

    /// <summary>Writes the template as YAML with short-form intrinsic tags, block style, keys in AWS's documented order.</summary>
    /// <returns>The YAML text (LF line endings, trailing newline).</returns>
    public string ToYaml() => YamlTemplateWriter.Write(TemplateDocument.ToNode(this));

    /// <summary>Writes the template as JSON with two-space indentation.</summary>
    /// <returns>The JSON text (LF line endings, trailing newline).</returns>
    public string ToJson() => JsonTemplateWriter.Write(TemplateDocument.ToNode(this));

    /// <summary>Writes the template in the given format.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The text.</returns>
    public string Serialize(TemplateFormat format) => format == TemplateFormat.Json ? ToJson() : ToYaml();

    /// <summary>The exact JSON form of the template as a mutable JSON tree.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJsonNode() => (JsonObject)CfnJson.ToJsonNode(TemplateDocument.ToNode(this))!;

    /// <summary>Reads a template, detecting JSON (first non-blank character <c>{</c>) or YAML.</summary>
    /// <param name="text">The template body.</param>
    /// <returns>The template.</returns>
    /// <exception cref="TemplateFormatException">The text is not a well-formed template.</exception>
    public static Template Parse(string text) => TemplateReader.Read(text);

    /// <summary>Runs the structural checks (references, conditions, dependencies, IDs, quotas, size).</summary>
    /// <param name="bodyFormat">The format the body will be submitted in; its byte size decides the size checks.</param>
    /// <returns>Every problem found, errors first in template order; empty when the template is sound.</returns>
    public TemplateCheckResult Check(TemplateFormat bodyFormat = TemplateFormat.Yaml) => TemplateChecker.Check(this, bodyFormat);

    /// <summary>Runs <see cref="Check"/> and throws when it finds errors.</summary>
    /// <param name="bodyFormat">The format the body will be submitted in.</param>
    /// <returns>The result (warnings and information only).</returns>
    /// <exception cref="TemplateValidationException">The template has errors.</exception>
    public TemplateCheckResult EnsureValid(TemplateFormat bodyFormat = TemplateFormat.Yaml)
    {
        var result = Check(bodyFormat);
        result.ThrowIfErrors();
        return result;
    }

    /// <inheritdoc />
    public bool Equals(Template? other) =>
        other is not null
        && string.Equals(FormatVersion, other.FormatVersion, StringComparison.Ordinal)
        && string.Equals(Description, other.Description, StringComparison.Ordinal)
        && Transforms.SequenceEqual(other.Transforms, StringComparer.Ordinal)
        && Equals(Metadata, other.Metadata)
        && Parameters.SequenceEquals(other.Parameters, static (a, b) => a.Equals(b))
        && Rules.SequenceEquals(other.Rules, static (a, b) => a.Equals(b))
        && Mappings.SequenceEquals(other.Mappings, static (a, b) => a.Equals(b))
        && Conditions.SequenceEquals(other.Conditions, static (a, b) => a.Equals(b))
        && Resources.SequenceEquals(other.Resources, static (a, b) => a.Equals(b))
        && Outputs.SequenceEquals(other.Outputs, static (a, b) => a.Equals(b));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Template other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Description, Resources.Count, Parameters.Count, Outputs.Count);
}
