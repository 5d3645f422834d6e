using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The stacks of one environment as a graph: each <see cref="StackScope"/> owns its template, and every use of a
/// <see cref="StackOutput"/> from another stack records the export, the import and the deploy order at the moment the
/// value is used. <see cref="ToStackSet"/> reads those records; it never re-scans the finished templates.
/// </summary>
public sealed class StackGraph
{
    private readonly List<StackScope> stacks = [];

    internal StackGraph(string environment, string homeRegion)
    {
        Environment = environment;
        HomeRegion = homeRegion;
        Architecture = new ArchitectureFacts(environment, homeRegion);
    }

    /// <summary>The typed architecture the constructs record as they build; the diagram is drawn from it alone.</summary>
    internal ArchitectureFacts Architecture { get; }

    /// <summary>The environment's name, the first segment of every stack and export name.</summary>
    public string Environment { get; }

    /// <summary>The region stacks deploy to unless they name their own.</summary>
    public string HomeRegion { get; }

    /// <summary>The stacks in declaration order.</summary>
    public IReadOnlyList<StackScope> Stacks => stacks;

    /// <summary>Adds a stack named <c>&lt;environment&gt;-&lt;part&gt;</c>.</summary>
    /// <param name="part">The stack's lifecycle part (<c>network</c>, <c>service-web</c>…), DNS-safe.</param>
    /// <param name="region">The stack's region when it is not the environment's home region.</param>
    /// <returns>The new, empty stack.</returns>
    internal StackScope AddStack(string part, string? region = null)
    {
        var scope = new StackScope(this, part, region);
        if (stacks.Any(s => string.Equals(s.Name, scope.Name, StringComparison.Ordinal)))
        {
            throw new StackOrderException($"Stack '{scope.Name}' is declared twice.");
        }

        stacks.Add(scope);
        return scope;
    }

    /// <summary>Moves <paramref name="stack"/> to the end of the declaration order (which breaks deploy-order ties).</summary>
    /// <param name="stack">A stack of this graph.</param>
    internal void MoveToEnd(StackScope stack)
    {
        if (!stacks.Remove(stack))
        {
            throw new ArgumentException($"Stack '{stack.Name}' is not part of this graph.", nameof(stack));
        }

        stacks.Add(stack);
    }

    /// <summary>
    /// The linked stack set: each stack's exports, imports and dependencies as recorded while the constructs used each
    /// other's outputs, plus the deploy-time parameters filled from other stacks' outputs, in deployment order.
    /// </summary>
    /// <returns>The ordered stack set.</returns>
    /// <exception cref="StackOrderException">A parameter source is inconsistent or the dependencies form a cycle.</exception>
    public StackSet ToStackSet()
    {
        var result = new List<Stack>(stacks.Count);
        foreach (var stack in stacks)
        {
            var dependsOn = new SortedSet<string>(stack.DependsOn.Select(s => s.Name), StringComparer.Ordinal);
            foreach (var (parameter, source) in stack.ParameterSources)
            {
                if (!stack.Template.Parameters.ContainsKey(parameter))
                {
                    throw new StackOrderException($"Stack '{stack.Name}' fills parameter '{parameter}' from '{source.Stack.Name}', but its template has no such parameter.");
                }

                if (!stacks.Contains(source.Stack))
                {
                    throw new StackOrderException($"Stack '{stack.Name}' fills parameter '{parameter}' from stack '{source.Stack.Name}', which is not in the set.");
                }

                dependsOn.Add(source.Stack.Name);
            }

            var parameters = stack.Template.Parameters.Values
                .Select(p => new StackParameter(
                    p.LogicalId,
                    p.Type,
                    p.Default,
                    p.Description,
                    stack.ParameterSources.TryGetValue(p.LogicalId, out var source) ? new StackOutputReference(source.Stack.Name, source.LogicalId) : null))
                .ToArray();
            result.Add(new Stack(
                stack.Name,
                stack.Region,
                stack.Template,
                parameters,
                [.. stack.Exports.Select(e => e.ExportName!)],
                [.. stack.Imports],
                [.. dependsOn]));
        }

        var set = new StackSet(Environment, HomeRegion, result);
        ArchitectureInventory.Take(Architecture, set);
        set.Architecture = Architecture;
        return set;
    }
}

/// <summary>
/// One CloudFormation stack while the graph is built: its name, region and template, the values it publishes and
/// the values it takes from other stacks.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Not a collection; a scope is the CDK's term for a construct's place in the tree.")]
public sealed class StackScope
{
    private readonly List<StackOutput> outputs = [];
    private readonly SortedSet<string> imports = new(StringComparer.Ordinal);
    private readonly List<StackScope> dependsOn = [];
    private readonly Dictionary<string, StackOutput> parameterSources = new(StringComparer.Ordinal);

    internal StackScope(StackGraph graph, string part, string? region)
    {
        Graph = graph;
        Part = part;
        Name = $"{graph.Environment}-{part}";
        Region = region ?? graph.HomeRegion;
    }

    /// <summary>The graph the stack belongs to.</summary>
    public StackGraph Graph { get; }

    /// <summary>The lifecycle part, the middle segment of the stack's export names.</summary>
    public string Part { get; }

    /// <summary>Stack name, <c>&lt;environment&gt;-&lt;part&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>The region the stack deploys to.</summary>
    public string Region { get; }

    /// <summary>The stack's template; constructs add their resources to it.</summary>
    public Template Template { get; } = new();

    /// <summary>The outputs this stack publishes under an export name, in the order they were added.</summary>
    public IReadOnlyList<StackOutput> Exports => [.. outputs.Where(o => o.ExportName is not null)];

    /// <summary>Every output of the stack (exported or not), in the order they were added.</summary>
    public IReadOnlyList<StackOutput> Outputs => outputs;

    /// <summary>The export names this stack imports, sorted.</summary>
    public IReadOnlyCollection<string> Imports => imports;

    /// <summary>The stacks whose exports this stack imports, in the order first used.</summary>
    public IReadOnlyList<StackScope> DependsOn => dependsOn;

    /// <summary>Parameter logical ID → the output of another stack (any region) the deployer fills it from.</summary>
    public IReadOnlyDictionary<string, StackOutput> ParameterSources => parameterSources;

    /// <summary>The stable export name of an output of this stack: <c>&lt;environment&gt;:&lt;part&gt;:&lt;logicalId&gt;</c>.</summary>
    /// <param name="logicalId">The output's logical ID.</param>
    /// <returns>The export name.</returns>
    public string ExportNameOf(string logicalId) => $"{Graph.Environment}:{Part}:{logicalId}";

    /// <summary>Adds an output exported under <see cref="ExportNameOf"/> and returns its handle.</summary>
    /// <param name="logicalId">The output's logical ID.</param>
    /// <param name="value">The value inside this stack (a Ref, GetAtt, Join…).</param>
    /// <param name="description">What the value is.</param>
    /// <returns>A handle other stacks use with <see cref="StackOutput.In"/>.</returns>
    public StackOutput Export(string logicalId, CfnNode value, string description)
    {
        var exportName = ExportNameOf(logicalId);
        Template.AddOutput(logicalId, value, description, exportName);
        var output = new StackOutput(this, logicalId, exportName, value);
        outputs.Add(output);
        return output;
    }

    /// <summary>
    /// Adds a plain output (no export): another stack can take it only as a deploy-time parameter
    /// (<see cref="FillParameter"/>), which is how a value crosses regions.
    /// </summary>
    /// <param name="logicalId">The output's logical ID.</param>
    /// <param name="value">The value inside this stack.</param>
    /// <param name="description">What the value is.</param>
    /// <returns>The output's handle.</returns>
    public StackOutput Output(string logicalId, CfnNode value, string description)
    {
        Template.AddOutput(logicalId, value, description);
        var output = new StackOutput(this, logicalId, null, value);
        outputs.Add(output);
        return output;
    }

    /// <summary>The value of <paramref name="output"/> as this stack sees it (see <see cref="StackOutput.In"/>).</summary>
    /// <param name="output">An output of this or another stack.</param>
    /// <returns>A Ref/GetAtt for this stack's own output, otherwise <c>Fn::ImportValue</c> of its export name.</returns>
    public Intrinsic Use(StackOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.In(this);
    }

    /// <summary>
    /// Fills this stack's parameter <paramref name="parameter"/> from <paramref name="source"/> at deploy time; the
    /// source's stack deploys first. Works across regions, where <c>Fn::ImportValue</c> cannot reach.
    /// </summary>
    /// <param name="parameter">The parameter's logical ID in this stack's template.</param>
    /// <param name="source">An output of another stack.</param>
    /// <exception cref="StackOrderException">The source is an output of this stack.</exception>
    public void FillParameter(string parameter, StackOutput source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (ReferenceEquals(source.Stack, this))
        {
            throw new StackOrderException($"Stack '{Name}' fills parameter '{parameter}' from its own output '{source.LogicalId}'.");
        }

        parameterSources[parameter] = source;
    }

    internal void RecordImport(StackOutput output)
    {
        imports.Add(output.ExportName!);
        if (!dependsOn.Contains(output.Stack))
        {
            dependsOn.Add(output.Stack);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// A typed handle to a value a stack publishes: the producing stack and the output's logical ID. Use it from another
/// stack with <see cref="In"/> (or <see cref="StackScope.Use"/>), which records the import and deploy order then.
/// </summary>
public sealed class StackOutput
{
    private readonly CfnNode value;

    internal StackOutput(StackScope stack, string logicalId, string? exportName, CfnNode value)
    {
        Stack = stack;
        LogicalId = logicalId;
        ExportName = exportName;
        this.value = value;
    }

    /// <summary>The stack that publishes the value.</summary>
    public StackScope Stack { get; }

    /// <summary>The output's logical ID in <see cref="Stack"/>'s template.</summary>
    public string LogicalId { get; }

    /// <summary>The stable export name (<c>&lt;environment&gt;:&lt;part&gt;:&lt;logicalId&gt;</c>), or <see langword="null"/>
    /// for a plain output that only deploy-time parameters can read.</summary>
    public string? ExportName { get; }

    /// <summary>
    /// The value as <paramref name="consumer"/> sees it. In the producing stack: the output's own value (a Ref or
    /// GetAtt). In another stack of the same region: <c>Fn::ImportValue</c> of the export name, and the consumer records
    /// the import and deploys after the producer.
    /// </summary>
    /// <param name="consumer">The stack that uses the value.</param>
    /// <returns>The CloudFormation value to put in the consumer's template.</returns>
    /// <exception cref="StackOrderException">The consumer is in another region, or the output is not exported.</exception>
    public Intrinsic In(StackScope consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        if (ReferenceEquals(consumer, Stack))
        {
            return value as Intrinsic
                ?? throw new StackOrderException($"Output '{LogicalId}' of '{Stack.Name}' is a literal; use it directly in its own stack.");
        }

        if (!string.Equals(consumer.Region, Stack.Region, StringComparison.Ordinal))
        {
            throw new StackOrderException(
                $"Stack '{consumer.Name}' ({consumer.Region}) imports '{ExportName ?? LogicalId}' from '{Stack.Name}' ({Stack.Region}); Fn::ImportValue cannot cross regions. Pass the value as a parameter with ValueFrom instead (StackScope.FillParameter).");
        }

        if (ExportName is null)
        {
            throw new StackOrderException(
                $"Stack '{consumer.Name}' uses output '{LogicalId}' of '{Stack.Name}', which is not exported. Export it (StackScope.Export) or fill a parameter from it (StackScope.FillParameter).");
        }

        consumer.RecordImport(this);
        return Fn.ImportValue(ExportName);
    }

    /// <inheritdoc/>
    public override string ToString() => ExportName ?? $"{Stack.Name}.{LogicalId}";
}
