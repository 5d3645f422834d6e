using System.Text;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.CloudFormation;

/// <summary>The structural checks behind <see cref="Template.Check"/>. Pure: reads the template, never changes it.</summary>
internal sealed partial class TemplateChecker
{
    private readonly Template _template;
    private readonly List<TemplateProblem> _problems = [];
    private readonly Dictionary<string, List<string>> _dependencies = new(StringComparer.Ordinal);

    private TemplateChecker(Template template) => _template = template;

    public static TemplateCheckResult Check(Template template, TemplateFormat bodyFormat)
    {
        ArgumentNullException.ThrowIfNull(template);
        var checker = new TemplateChecker(template);
        checker.CheckQuotas();
        checker.CheckParameters();
        checker.CheckRules();
        checker.CheckMappings();
        checker.CheckConditions();
        checker.CheckResources();
        checker.CheckOutputs();
        checker.CheckCycles();
        checker.CheckBodySize(bodyFormat);
        var ordered = checker._problems
            .Select(static (p, i) => (p, i))
            .OrderByDescending(static x => x.p.Severity)
            .ThenBy(static x => x.i)
            .Select(static x => x.p)
            .ToList();
        return new TemplateCheckResult(ordered);
    }

    private void Error(string code, string path, string detail) => _problems.Add(new(TemplateProblemSeverity.Error, code, path, detail));

    private void CheckQuotas()
    {
        var t = _template;
        if (t.Resources.Count == 0)
        {
            Error(TemplateProblemCodes.NoResources, "Resources", "the template has no resources; CloudFormation requires at least one.");
        }

        CheckCount(t.Resources.Count, TemplateLimits.MaxResources, TemplateProblemCodes.TooManyResources, "Resources", "resources", "split the stack into nested stacks");
        CheckCount(t.Parameters.Count, TemplateLimits.MaxParameters, TemplateProblemCodes.TooManyParameters, "Parameters", "parameters", "use mappings or SSM parameters instead");
        CheckCount(t.Outputs.Count, TemplateLimits.MaxOutputs, TemplateProblemCodes.TooManyOutputs, "Outputs", "outputs", "combine values or split the stack");
        CheckCount(t.Mappings.Count, TemplateLimits.MaxMappings, TemplateProblemCodes.TooManyMappings, "Mappings", "mappings", "merge related mappings");
        CheckDescription(t.Description, "Description");
    }

    private void CheckCount(int count, int limit, string code, string path, string what, string fix)
    {
        if (count > limit)
        {
            Error(code, path, $"{count} {what} exceed CloudFormation's limit of {limit}; {fix}.");
        }
    }

    private void CheckDescription(string? description, string path)
    {
        if (description is not null && Encoding.UTF8.GetByteCount(description) is var bytes && bytes > TemplateLimits.MaxDescriptionBytes)
        {
            Error(TemplateProblemCodes.DescriptionTooLong, path, $"the description is {bytes} bytes; the limit is {TemplateLimits.MaxDescriptionBytes}. Shorten it.");
        }
    }

    private void CheckLogicalId(string section, string id)
    {
        if (id.Length == 0 || id.Length > TemplateLimits.MaxLogicalIdLength || !Alphanumeric().IsMatch(id))
        {
            Error(TemplateProblemCodes.InvalidLogicalId, $"{section}.{id}",
                $"'{id}' is not a valid name: use only A-Z, a-z and 0-9, at most {TemplateLimits.MaxLogicalIdLength} characters.");
        }
    }

    private void CheckParameters()
    {
        foreach (var (id, p) in _template.Parameters)
        {
            CheckLogicalId("Parameters", id);
            var path = $"Parameters.{id}";
            if (!ParameterType().IsMatch(p.Type))
            {
                Error(TemplateProblemCodes.InvalidParameter, path + ".Type",
                    $"'{p.Type}' is not a parameter type; use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type (AWS::EC2::VPC::Id…) or an SSM parameter type.");
            }

            if (p.MinLength > p.MaxLength)
            {
                Error(TemplateProblemCodes.InvalidParameter, path + ".MinLength", $"MinLength {p.MinLength} is greater than MaxLength {p.MaxLength}.");
            }

            if (p.MinValue > p.MaxValue)
            {
                Error(TemplateProblemCodes.InvalidParameter, path + ".MinValue", $"MinValue {p.MinValue} is greater than MaxValue {p.MaxValue}.");
            }

            if (p.Default is { } value)
            {
                CheckParameterDefault(p, value, path + ".Default");
            }
        }
    }

    private void CheckParameterDefault(Parameter p, string value, string path)
    {
        if (p.AllowedValues.Count > 0 && !p.AllowedValues.Contains(value, StringComparer.Ordinal))
        {
            Error(TemplateProblemCodes.InvalidParameter, path, $"the default '{value}' is not one of the AllowedValues ({string.Join(", ", p.AllowedValues)}).");
        }

        if (value.Length < p.MinLength || value.Length > p.MaxLength)
        {
            Error(TemplateProblemCodes.InvalidParameter, path, $"the default is {value.Length} characters; the parameter allows {p.MinLength ?? 0}–{p.MaxLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"}.");
        }

        if (p.AllowedPattern is { } pattern)
        {
            try
            {
                // CloudFormation matches the whole value against the pattern.
                if (!Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                {
                    Error(TemplateProblemCodes.InvalidParameter, path, $"the default '{value}' does not match AllowedPattern {pattern}.");
                }
            }
            catch (RegexMatchTimeoutException)
            {
                Error(TemplateProblemCodes.InvalidParameter, $"Parameters.{p.LogicalId}.AllowedPattern", $"'{pattern}' took too long to match the default; simplify the pattern.");
            }
            catch (ArgumentException)
            {
                Error(TemplateProblemCodes.InvalidParameter, $"Parameters.{p.LogicalId}.AllowedPattern", $"'{pattern}' is not a valid regular expression.");
            }
        }

        if (p.Type == "Number" && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            Error(TemplateProblemCodes.InvalidParameter, path, $"the default '{value}' is not a number, but the parameter type is Number.");
        }
    }

    private void CheckRules()
    {
        foreach (var (id, _) in _template.Rules)
        {
            CheckLogicalId("Rules", id);
        }
    }

    private void CheckMappings()
    {
        foreach (var (id, mapping) in _template.Mappings)
        {
            CheckLogicalId("Mappings", id);
            CheckCount(mapping.Count, TemplateLimits.MaxMappingAttributes, TemplateProblemCodes.TooManyMappings, $"Mappings.{id}", "attributes", "split the mapping");
        }
    }

    private void CheckConditions()
    {
        var uses = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, expression) in _template.Conditions)
        {
            CheckLogicalId("Conditions", id);
            Visit(expression, $"Conditions.{id}", owner: null, inCondition: true);
            uses[id] = [.. ConditionNames(expression).Where(_template.Conditions.ContainsKey).Distinct(StringComparer.Ordinal)];
        }

        foreach (var cycle in FindCycles(uses))
        {
            Error(TemplateProblemCodes.DependencyCycle, $"Conditions.{cycle[0]}",
                $"circular condition {string.Join(" -> ", cycle)}; a condition cannot depend on itself.");
        }
    }

    private static IEnumerable<string> ConditionNames(CfnNode node) => node switch
    {
        Intrinsic { Name: "Condition", Argument: CfnScalar { Kind: CfnScalarKind.String } name } => [name.StringValue!],
        Intrinsic i => ConditionNames(i.Argument),
        CfnList l => l.SelectMany(ConditionNames),
        CfnObject o => o.SelectMany(static e => ConditionNames(e.Value)),
        _ => [],
    };

    private void CheckResources()
    {
        foreach (var (id, resource) in _template.Resources)
        {
            CheckLogicalId("Resources", id);
            var path = $"Resources.{id}";
            _dependencies[id] = [];
            if (_template.Parameters.ContainsKey(id))
            {
                Error(TemplateProblemCodes.DuplicateLogicalId, path, $"the logical ID '{id}' is used by both a parameter and a resource; rename one.");
            }

            if (!ResourceType().IsMatch(resource.Type))
            {
                Error(TemplateProblemCodes.InvalidResourceType, path + ".Type", $"'{resource.Type}' is not a resource type; use Service::Category::Type (e.g. AWS::S3::Bucket) or Custom::Name.");
            }

            if (resource.Condition is { } condition && !_template.Conditions.ContainsKey(condition))
            {
                Error(TemplateProblemCodes.UndefinedCondition, path + ".Condition", $"Condition '{condition}' is not defined in Conditions.");
            }

            for (var i = 0; i < resource.DependsOn.Count; i++)
            {
                var target = resource.DependsOn[i];
                var at = resource.DependsOn.Count == 1 ? path + ".DependsOn" : $"{path}.DependsOn[{i}]";
                if (_template.Resources.ContainsKey(target))
                {
                    _dependencies[id].Add(target);
                }
                else
                {
                    Error(TemplateProblemCodes.UndefinedDependency, at,
                        _template.Parameters.ContainsKey(target)
                            ? $"DependsOn names parameter '{target}'; DependsOn takes resources only."
                            : $"DependsOn names undefined resource '{target}'.");
                }
            }

            Visit(resource.Properties, path + ".Properties", id, inCondition: false);
            VisitOptional(resource.DeletionPolicy?.ToNode(), path + ".DeletionPolicy", id);
            VisitOptional(resource.UpdateReplacePolicy?.ToNode(), path + ".UpdateReplacePolicy", id);
            VisitOptional(resource.Metadata, path + ".Metadata", id);
            VisitOptional(resource.CreationPolicy, path + ".CreationPolicy", id);
            VisitOptional(resource.UpdatePolicy, path + ".UpdatePolicy", id);
        }
    }

    private void VisitOptional(CfnNode? node, string path, string owner)
    {
        if (node is not null)
        {
            Visit(node, path, owner, inCondition: false);
        }
    }

    private void CheckOutputs()
    {
        var exports = new List<(CfnNode Name, string Path)>();
        foreach (var (id, output) in _template.Outputs)
        {
            CheckLogicalId("Outputs", id);
            var path = $"Outputs.{id}";
            CheckDescription(output.Description, path + ".Description");
            if (output.Condition is { } condition && !_template.Conditions.ContainsKey(condition))
            {
                Error(TemplateProblemCodes.UndefinedCondition, path + ".Condition", $"Condition '{condition}' is not defined in Conditions.");
            }

            Visit(output.Value, path + ".Value", owner: null, inCondition: false);
            if (output.ExportName is null)
            {
                continue;
            }

            var exportPath = path + ".Export.Name";
            var name = output.ExportName.ToNode();
            Visit(name, exportPath, owner: null, inCondition: false);
            CheckExportName(name, exportPath);
            var earlier = exports.FirstOrDefault(e => e.Name.Equals(name));
            if (earlier.Name is not null)
            {
                Error(TemplateProblemCodes.DuplicateExportName, exportPath, $"the export name {Describe(name)} is already exported by {earlier.Path}; export names must be unique per account and region.");
            }
            else
            {
                exports.Add((name, exportPath));
            }
        }
    }

    private void CheckExportName(CfnNode name, string path)
    {
        if (name is CfnScalar { Kind: CfnScalarKind.String } literal)
        {
            var text = literal.StringValue!;
            if (text.Length == 0 || text.Length > TemplateLimits.MaxExportNameLength || !ExportName().IsMatch(text))
            {
                Error(TemplateProblemCodes.InvalidExportName, path,
                    $"the export name '{text}' must be 1–{TemplateLimits.MaxExportNameLength} characters of A-Z, a-z, 0-9, ':' and '-'.");
            }

            return;
        }

        var references = new List<string>();
        CollectResourceReferences(name, references);
        if (references.Count > 0)
        {
            Error(TemplateProblemCodes.InvalidExportName, path,
                $"the export name depends on resource '{references[0]}'; an export name may use only parameters, pseudo parameters and mappings.");
        }
    }

    private void CollectResourceReferences(CfnNode node, List<string> into)
    {
        switch (node)
        {
            case Intrinsic { Name: "Ref", Argument: CfnScalar { Kind: CfnScalarKind.String } target } when _template.Resources.ContainsKey(target.StringValue!):
                into.Add(target.StringValue!);
                break;
            case Intrinsic { Name: "Fn::GetAtt" or "Fn::ImportValue" or "Fn::GetAZs" } i:
                into.Add(i.Name);
                break;
            case Intrinsic { Name: "Fn::Sub" } sub:
                var subVariables = SubVariables(sub, out var map);
                foreach (var variable in subVariables)
                {
                    var root = variable.Split('.')[0];
                    if (!(map?.ContainsKey(root) ?? false) && _template.Resources.ContainsKey(root))
                    {
                        into.Add(root);
                    }
                }

                if (map is not null)
                {
                    CollectResourceReferences(map, into);
                }

                break;
            case Intrinsic i:
                CollectResourceReferences(i.Argument, into);
                break;
            case CfnObject o:
                foreach (var (_, value) in o)
                {
                    CollectResourceReferences(value, into);
                }

                break;
            case CfnList l:
                foreach (var item in l)
                {
                    CollectResourceReferences(item, into);
                }

                break;
        }
    }

    private void Visit(CfnNode node, string path, string? owner, bool inCondition)
    {
        switch (node)
        {
            case CfnObject o:
                foreach (var (key, value) in o)
                {
                    Visit(value, $"{path}.{key}", owner, inCondition);
                }

                break;
            case CfnList l:
                for (var i = 0; i < l.Count; i++)
                {
                    Visit(l[i], $"{path}[{i}]", owner, inCondition);
                }

                break;
            case Intrinsic i:
                VisitIntrinsic(i, path, owner, inCondition);
                break;
        }
    }

    private void VisitIntrinsic(Intrinsic fn, string path, string? owner, bool inCondition)
    {
        // Paths point at the property holding the call; nested calls add their name and argument index.
        var inner = $"{path}.{fn.Name}";
        switch (fn.Name)
        {
            case "Ref":
                if (fn.Argument is CfnScalar { Kind: CfnScalarKind.String } target)
                {
                    CheckRef(target.StringValue!, path, owner, inCondition, "Ref to");
                }
                else
                {
                    Error(TemplateProblemCodes.InvalidIntrinsic, path, "Ref takes a logical ID string.");
                }

                return;
            case "Fn::GetAtt":
                if (fn.Argument is CfnList { Count: 2 } pair && pair[0] is CfnScalar { Kind: CfnScalarKind.String } resource)
                {
                    CheckGetAtt(resource.StringValue!, path, owner, inCondition, "GetAtt on");
                    Visit(pair[1], inner + "[1]", owner, inCondition);
                }
                else
                {
                    Error(TemplateProblemCodes.InvalidIntrinsic, path, "Fn::GetAtt takes [LogicalId, Attribute] (or LogicalId.Attribute in YAML).");
                }

                return;
            case "Fn::Sub":
                VisitSub(fn, path, owner, inCondition);
                return;
            case "Condition":
                CheckConditionName(fn.Argument, path, "Condition function");
                return;
            case "Fn::If":
                if (fn.Argument is CfnList { Count: 3 } branches)
                {
                    CheckConditionName(branches[0], path, "Fn::If");
                    Visit(branches[1], inner + "[1]", owner, inCondition);
                    Visit(branches[2], inner + "[2]", owner, inCondition);
                }
                else
                {
                    Error(TemplateProblemCodes.InvalidIntrinsic, path, "Fn::If takes [ConditionName, ValueIfTrue, ValueIfFalse].");
                }

                return;
            case "Fn::FindInMap":
                if (fn.Argument is CfnList { Count: >= 3 } lookup)
                {
                    if (lookup[0] is CfnScalar { Kind: CfnScalarKind.String } map && !_template.Mappings.ContainsKey(map.StringValue!))
                    {
                        Error(TemplateProblemCodes.UndefinedMapping, path, $"Fn::FindInMap names undefined mapping '{map.StringValue}'.");
                    }

                    Visit(lookup, inner, owner, inCondition);
                }
                else
                {
                    Error(TemplateProblemCodes.InvalidIntrinsic, path, "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey].");
                }

                return;
            default:
                Visit(fn.Argument, inner, owner, inCondition);
                return;
        }
    }

    private void VisitSub(Intrinsic sub, string path, string? owner, bool inCondition)
    {
        if (sub.Argument is not (CfnScalar { Kind: CfnScalarKind.String } or CfnList { Count: 2 }))
        {
            Error(TemplateProblemCodes.InvalidIntrinsic, path, "Fn::Sub takes a string or [String, {Variable: Value}].");
            return;
        }

        var variables = SubVariables(sub, out var map);
        foreach (var variable in variables)
        {
            var dot = variable.IndexOf('.', StringComparison.Ordinal);
            var root = dot < 0 ? variable : variable[..dot];
            if (map?.ContainsKey(root) ?? false)
            {
                continue;
            }

            if (dot < 0)
            {
                CheckRef(variable, path, owner, inCondition, $"Fn::Sub variable '${{{variable}}}' refers to");
            }
            else
            {
                CheckGetAtt(root, path, owner, inCondition, $"Fn::Sub variable '${{{variable}}}' refers to");
            }
        }

        if (map is not null)
        {
            Visit(map, $"{path}.Fn::Sub[1]", owner, inCondition);
        }
    }

    private void CheckRef(string target, string path, string? owner, bool inCondition, string what)
    {
        if (Pseudo.IsPseudoParameter(target) || _template.Parameters.ContainsKey(target))
        {
            return;
        }

        if (_template.Resources.ContainsKey(target))
        {
            AddImplicitDependency(owner, target, path, inCondition);
            return;
        }

        Error(TemplateProblemCodes.UndefinedReference, path, $"{what} undefined resource or parameter '{target}'.");
    }

    private void CheckGetAtt(string resource, string path, string? owner, bool inCondition, string what)
    {
        if (_template.Resources.ContainsKey(resource))
        {
            AddImplicitDependency(owner, resource, path, inCondition);
            return;
        }

        Error(TemplateProblemCodes.UndefinedGetAttResource, path,
            _template.Parameters.ContainsKey(resource)
                ? $"{what} parameter '{resource}'; attributes exist on resources only."
                : $"{what} undefined resource '{resource}'.");
    }

    private void AddImplicitDependency(string? owner, string target, string path, bool inCondition)
    {
        if (inCondition)
        {
            Error(TemplateProblemCodes.ConditionReferencesResource, path, $"conditions are evaluated before resources exist, so they cannot refer to resource '{target}'; use a parameter.");
            return;
        }

        if (owner is not null && !_dependencies[owner].Contains(target, StringComparer.Ordinal))
        {
            _dependencies[owner].Add(target);
        }
    }

    private void CheckConditionName(CfnNode node, string path, string what)
    {
        if (node is not CfnScalar { Kind: CfnScalarKind.String } name)
        {
            Error(TemplateProblemCodes.InvalidIntrinsic, path, $"{what} takes a condition name string.");
        }
        else if (!_template.Conditions.ContainsKey(name.StringValue!))
        {
            Error(TemplateProblemCodes.UndefinedCondition, path, $"{what} names undefined condition '{name.StringValue}'.");
        }
    }

    private void CheckCycles()
    {
        foreach (var cycle in FindCycles(_dependencies))
        {
            Error(TemplateProblemCodes.DependencyCycle, $"Resources.{cycle[0]}",
                $"circular dependency {string.Join(" -> ", cycle)} (through DependsOn, Ref, GetAtt or Sub); remove one of these dependencies.");
        }
    }

    /// <summary>Each cycle once, as a path that starts and ends at the same node, found depth-first in insertion order
    /// so the same graph always reports the same cycles.</summary>
    private static List<List<string>> FindCycles(Dictionary<string, List<string>> edges)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in edges.Keys)
        {
            if (state.GetValueOrDefault(id) == 0)
            {
                Walk(id);
            }
        }

        return cycles;

        void Walk(string id)
        {
            state[id] = 1;
            stack.Add(id);
            foreach (var next in edges[id])
            {
                var nextState = state.GetValueOrDefault(next);
                if (nextState == 0)
                {
                    Walk(next);
                }
                else if (nextState == 1)
                {
                    var cycle = stack.Skip(stack.LastIndexOf(next)).Append(next).ToList();
                    if (reported.Add(string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal))))
                    {
                        cycles.Add(cycle);
                    }
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[id] = 2;
        }
    }

    private void CheckBodySize(TemplateFormat format)
    {
        var bytes = Encoding.UTF8.GetByteCount(_template.Serialize(format));
        if (bytes > TemplateLimits.MaxS3BodyBytes)
        {
            Error(TemplateProblemCodes.TemplateTooLarge, string.Empty,
                $"the {format} body is {bytes:N0} bytes, over the {TemplateLimits.MaxS3BodyBytes:N0}-byte limit even through S3; split it into nested stacks.");
        }
        else if (bytes > TemplateLimits.MaxInlineBodyBytes)
        {
            _problems.Add(new(TemplateProblemSeverity.Information, TemplateProblemCodes.TemplateRequiresS3, string.Empty,
                $"the {format} body is {bytes:N0} bytes, over the {TemplateLimits.MaxInlineBodyBytes:N0}-byte inline limit; upload it to S3 and pass TemplateURL (the S3 limit is {TemplateLimits.MaxS3BodyBytes:N0})."));
        }
    }

    /// <summary>The <c>${…}</c> variables of a <c>Fn::Sub</c>, without <c>${!Literal}</c> escapes.</summary>
    internal static List<string> SubVariables(Intrinsic sub, out CfnObject? map)
    {
        map = null;
        string? text = null;
        if (sub.Argument is CfnScalar { Kind: CfnScalarKind.String } s)
        {
            text = s.StringValue;
        }
        else if (sub.Argument is CfnList { Count: 2 } list)
        {
            text = (list[0] as CfnScalar)?.StringValue;
            map = list[1] as CfnObject;
        }

        var variables = new List<string>();
        if (text is null)
        {
            return variables;
        }

        var at = 0;
        while ((at = text.IndexOf("${", at, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf('}', at + 2);
            if (end < 0)
            {
                break;
            }

            var name = text[(at + 2)..end].Trim();
            if (name.Length > 0 && name[0] != '!')
            {
                variables.Add(name);
            }

            at = end + 1;
        }

        return variables;
    }

    private static string Describe(CfnNode node) => node is CfnScalar { Kind: CfnScalarKind.String } s ? $"'{s.StringValue}'" : node.ToString();

    [GeneratedRegex("^[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Alphanumeric();

    [GeneratedRegex("^[A-Za-z0-9:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ExportName();

    [GeneratedRegex(@"^([A-Za-z0-9]+(::[A-Za-z0-9]+){2,3}|Custom::[A-Za-z0-9_@-]{1,60})$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceType();

    [GeneratedRegex(@"^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::Value<.+>)$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterType();
}
