using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workmates.OttKit.Json;

namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>
/// Checks a CloudFormation template (as a <see cref="JsonNode"/>) against the registry resource schemas of a
/// <see cref="ResourceSchemaCatalog"/> and the basic template rules, and returns every violation at once.
/// </summary>
/// <remarks>
/// Intrinsic functions are accepted wherever a value is expected: <c>Ref</c>/<c>Fn::*</c> objects are not checked,
/// both branches of <c>Fn::If</c> are, <c>Ref: AWS::NoValue</c> removes a property, and <c>{{resolve:…}}</c>
/// strings skip <c>pattern</c>, <c>enum</c> and length checks. Thread-safe; reuse one instance.
/// </remarks>
public sealed partial class TemplateSchemaValidator
{
    private const int MaxResources = 500;
    private const int MaxParametersOrOutputs = 200;

    private static readonly string[] TopLevelSections =
        ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Hooks"];

    private static readonly string[] ResourceAttributes =
        ["Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy", "Metadata", "Version"];

    private static readonly string[] DeletionPolicies = ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];

    private static readonly string[] OutputKeys = ["Description", "Value", "Export", "Condition"];

    private readonly ResourceSchemaCatalog _catalog;
    private readonly TemplateSchemaValidatorOptions _options;
    private readonly CloudFormationDialect _dialect;

    /// <summary>Creates a validator over a schema catalog.</summary>
    /// <param name="catalog">Where resource schemas come from.</param>
    /// <param name="options">Scalar policy and read-only checking; defaults when null.</param>
    public TemplateSchemaValidator(ResourceSchemaCatalog catalog, TemplateSchemaValidatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _options = options ?? new TemplateSchemaValidatorOptions();
        _dialect = _options.ScalarTypes == ScalarTypePolicy.Strict ? CloudFormationDialect.Strict : CloudFormationDialect.Lenient;
    }

    /// <summary>Every violation in the template: sections, resources (type, attributes, properties), parameters, outputs.</summary>
    /// <param name="template">The template as JSON (for example <c>JsonNode.Parse(body)</c>).</param>
    public IReadOnlyList<SchemaViolation> Validate(JsonNode template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var violations = new List<SchemaViolation>();
        if (template is not JsonObject root)
        {
            violations.Add(new SchemaViolation(string.Empty, "template", "the template must be a JSON object with a Resources section"));
            return violations;
        }

        foreach (var (section, value) in root)
        {
            if (!TopLevelSections.Contains(section, StringComparer.Ordinal))
            {
                var closest = NameSuggestion.Closest(section, TopLevelSections);
                violations.Add(new SchemaViolation(section, "template", $"unknown template section '{section}'{(closest is null ? string.Empty : $" (closest match {closest})")}; allowed: {string.Join(", ", TopLevelSections)}"));
            }
        }

        if (root.TryGetPropertyValue("AWSTemplateFormatVersion", out var version)
            && !(JsonValues.TryGetString(version, out var versionText) && versionText == "2010-09-09"))
        {
            violations.Add(new SchemaViolation("AWSTemplateFormatVersion", "template", $"value '{JsonValues.Describe(version)}' is not a template format version; use '2010-09-09'"));
        }

        if (root.TryGetPropertyValue("Description", out var description)
            && (!JsonValues.TryGetString(description, out var descriptionText) || descriptionText.Length > 1024))
        {
            violations.Add(new SchemaViolation("Description", "template", "the description must be a string of at most 1024 characters"));
        }

        var serverless = UsesTransform(root, "AWS::Serverless");
        var languageExtensions = UsesTransform(root, "AWS::LanguageExtensions");
        ValidateResources(root["Resources"], root.ContainsKey("Resources"), serverless, languageExtensions, violations);
        ValidateParameters(root["Parameters"], violations);
        ValidateOutputs(root["Outputs"], violations);
        return violations;
    }

    /// <summary>Throws <see cref="TemplateSchemaException"/> listing every violation when there are any.</summary>
    /// <param name="template">The template as JSON.</param>
    /// <exception cref="TemplateSchemaException">The template has violations.</exception>
    public void EnsureValid(JsonNode template)
    {
        var violations = Validate(template);
        if (violations.Count > 0)
        {
            throw new TemplateSchemaException(violations);
        }
    }

    /// <summary>The violations of one resource's <c>Properties</c> against its type's schema.</summary>
    /// <param name="logicalId">The resource's logical ID (used in paths).</param>
    /// <param name="typeName">The resource type, such as <c>AWS::S3::Bucket</c>.</param>
    /// <param name="properties">The <c>Properties</c> object, or null when the resource has none.</param>
    public IReadOnlyList<SchemaViolation> ValidateProperties(string logicalId, string typeName, JsonNode? properties)
    {
        ArgumentNullException.ThrowIfNull(logicalId);
        ArgumentNullException.ThrowIfNull(typeName);
        var violations = new List<SchemaViolation>();
        ValidateProperties($"Resources.{logicalId}", typeName, properties, serverless: false, violations);
        return violations;
    }

    private void ValidateResources(JsonNode? resources, bool present, bool serverless, bool languageExtensions, List<SchemaViolation> violations)
    {
        if (!present)
        {
            violations.Add(new SchemaViolation(string.Empty, "template", "missing required section 'Resources'; a template declares at least one resource"));
            return;
        }

        if (resources is not JsonObject map || map.Count == 0)
        {
            violations.Add(new SchemaViolation("Resources", "template", "Resources must be an object with at least one resource"));
            return;
        }

        if (map.Count > MaxResources)
        {
            violations.Add(new SchemaViolation("Resources", "template", $"the template declares {map.Count} resources; CloudFormation allows at most {MaxResources}: split it into nested stacks"));
        }

        foreach (var (logicalId, resource) in map)
        {
            if (languageExtensions && logicalId.StartsWith("Fn::ForEach::", StringComparison.Ordinal))
            {
                continue;
            }

            var path = PathOf("Resources", logicalId);
            if (!IsLogicalId(logicalId))
            {
                violations.Add(new SchemaViolation(path, "logicalId", $"logical ID '{logicalId}' must be 1-255 letters and digits only; rename it"));
            }

            if (resource is not JsonObject body)
            {
                violations.Add(new SchemaViolation(path, "resource", "a resource must be an object with a Type"));
                continue;
            }

            foreach (var (attribute, value) in body)
            {
                if (!ResourceAttributes.Contains(attribute, StringComparer.Ordinal))
                {
                    var closest = NameSuggestion.Closest(attribute, ResourceAttributes);
                    violations.Add(new SchemaViolation(PathOf(path, attribute), "resource", $"unknown resource attribute '{attribute}'{(closest is null ? string.Empty : $" (closest match {closest})")}; allowed: {string.Join(", ", ResourceAttributes)}"));
                }
                else if (attribute is "DeletionPolicy" or "UpdateReplacePolicy" && !IsIntrinsic(value)
                    && !(JsonValues.TryGetString(value, out var policy) && DeletionPolicies.Contains(policy, StringComparer.Ordinal)))
                {
                    violations.Add(new SchemaViolation(PathOf(path, attribute), "resource", $"value '{JsonValues.Describe(value)}' is not one of: {string.Join(", ", DeletionPolicies)}"));
                }
            }

            if (!JsonValues.TryGetString(body["Type"], out var typeName))
            {
                violations.Add(new SchemaViolation(path, "resource", body.ContainsKey("Type") ? "Type must be a string such as AWS::S3::Bucket" : "missing required property 'Type'; add the resource type, such as AWS::S3::Bucket"));
                continue;
            }

            ValidateProperties(path, typeName, body["Properties"], serverless, violations);
        }
    }

    private void ValidateProperties(string resourcePath, string typeName, JsonNode? properties, bool serverless, List<SchemaViolation> violations)
    {
        var propertiesPath = resourcePath + ".Properties";
        if (IsCustomResource(typeName) || (serverless && typeName.StartsWith("AWS::Serverless::", StringComparison.Ordinal)))
        {
            return;
        }

        var schema = _catalog.Find(typeName);
        if (schema is null)
        {
            var suggestion = _catalog.SuggestType(typeName);
            violations.Add(new SchemaViolation(resourcePath + ".Type", "resourceType", $"unknown resource type '{typeName}'{(suggestion is null ? string.Empty : $" (closest match {suggestion})")}; use a type from the CloudFormation registry"));
            return;
        }

        if (schema.Schema is null)
        {
            violations.Add(new SchemaViolation(resourcePath + ".Type", "schema", $"the schema of '{typeName}' cannot be used: {schema.LoadProblem}"));
            return;
        }

        // No Properties is the same as empty Properties: required ones are then missing.
        var instance = properties ?? new JsonObject();
        foreach (var error in schema.Schema.Validate(instance, _dialect))
        {
            violations.Add(new SchemaViolation(InstancePath.Combine(propertiesPath, error.Path), error.Keyword, error.Message));
        }

        if (_options.CheckReadOnlyProperties && !schema.ReadOnly.IsEmpty)
        {
            schema.ReadOnly.FindSet(instance, new InstancePath(), _dialect, (path, name) =>
                violations.Add(new SchemaViolation(
                    InstancePath.Combine(propertiesPath, path),
                    "readOnly",
                    $"'{name}' is a read-only property of {typeName} (an output read with Fn::GetAtt); remove it from the template")));
        }
    }

    private static void ValidateParameters(JsonNode? parameters, List<SchemaViolation> violations)
    {
        if (parameters is null)
        {
            return;
        }

        if (parameters is not JsonObject map)
        {
            violations.Add(new SchemaViolation("Parameters", "template", "Parameters must be an object of named parameters"));
            return;
        }

        if (map.Count > MaxParametersOrOutputs)
        {
            violations.Add(new SchemaViolation("Parameters", "template", $"the template declares {map.Count} parameters; CloudFormation allows at most {MaxParametersOrOutputs}"));
        }

        foreach (var (name, parameter) in map)
        {
            var path = PathOf("Parameters", name);
            if (!IsLogicalId(name))
            {
                violations.Add(new SchemaViolation(path, "logicalId", $"parameter name '{name}' must be 1-255 letters and digits only; rename it"));
            }

            if (parameter is not JsonObject body || !JsonValues.TryGetString(body["Type"], out _))
            {
                violations.Add(new SchemaViolation(path, "parameter", "missing required property 'Type'; add a parameter type such as String or Number"));
            }
        }
    }

    private static void ValidateOutputs(JsonNode? outputs, List<SchemaViolation> violations)
    {
        if (outputs is null)
        {
            return;
        }

        if (outputs is not JsonObject map)
        {
            violations.Add(new SchemaViolation("Outputs", "template", "Outputs must be an object of named outputs"));
            return;
        }

        if (map.Count > MaxParametersOrOutputs)
        {
            violations.Add(new SchemaViolation("Outputs", "template", $"the template declares {map.Count} outputs; CloudFormation allows at most {MaxParametersOrOutputs}"));
        }

        foreach (var (name, output) in map)
        {
            var path = PathOf("Outputs", name);
            if (!IsLogicalId(name))
            {
                violations.Add(new SchemaViolation(path, "logicalId", $"output name '{name}' must be 1-255 letters and digits only; rename it"));
            }

            if (output is not JsonObject body)
            {
                violations.Add(new SchemaViolation(path, "output", "an output must be an object with a Value"));
                continue;
            }

            if (!body.ContainsKey("Value"))
            {
                violations.Add(new SchemaViolation(path, "required", "missing required property 'Value'; add the value to output"));
            }

            foreach (var (key, _) in body)
            {
                if (!OutputKeys.Contains(key, StringComparer.Ordinal))
                {
                    violations.Add(new SchemaViolation(PathOf(path, key), "output", $"unknown output property '{key}'; allowed: {string.Join(", ", OutputKeys)}"));
                }
            }

            if (body.TryGetPropertyValue("Export", out var export) && (export is not JsonObject exportBody || !exportBody.ContainsKey("Name")))
            {
                violations.Add(new SchemaViolation(PathOf(path, "Export"), "required", "missing required property 'Name'; an export needs a Name"));
            }
        }
    }

    private static bool IsCustomResource(string typeName) =>
        typeName.StartsWith("Custom::", StringComparison.Ordinal) || typeName == "AWS::CloudFormation::CustomResource";

    private static bool IsIntrinsic(JsonNode? node) => CloudFormationDialect.IsIntrinsic(node, out _, out _);

    private static bool UsesTransform(JsonObject root, string prefix) => root["Transform"] switch
    {
        JsonArray list => list.Any(t => JsonValues.TryGetString(t, out var s) && s.StartsWith(prefix, StringComparison.Ordinal)),
        var single => JsonValues.TryGetString(single, out var s) && s.StartsWith(prefix, StringComparison.Ordinal),
    };

    private static bool IsLogicalId(string name) => name.Length is > 0 and <= 255 && LogicalIdPattern().IsMatch(name);

    private static string PathOf(string prefix, string name)
    {
        var builder = new System.Text.StringBuilder(prefix);
        InstancePath.AppendProperty(builder, name);
        return builder.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex LogicalIdPattern();
}
