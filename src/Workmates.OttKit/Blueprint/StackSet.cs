using System.Text;
using System.Text.Json;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Blueprint;

/// <summary>A parameter a stack takes at deploy time.</summary>
/// <param name="Name">Parameter logical ID.</param>
/// <param name="Type">CloudFormation parameter type.</param>
/// <param name="Default">Default value, or <see langword="null"/> when the deployer must supply one.</param>
/// <param name="Description">What the value is.</param>
/// <param name="ValueFrom">
/// When set, the deployer fills the parameter from another stack's output at deploy time (read with DescribeStacks in
/// that stack's region). This is how values cross regions, where <c>Fn::ImportValue</c> cannot reach: for example the
/// ARN of a CloudFront-scope WAF web ACL, which must live in us-east-1.
/// </param>
public sealed record StackParameter(string Name, string Type, string? Default, string? Description, StackOutputReference? ValueFrom = null);

/// <summary>An output of another stack in the set, used as a deploy-time parameter value.</summary>
/// <param name="StackName">Name of the stack that publishes the output (it deploys first).</param>
/// <param name="OutputKey">The output's logical ID.</param>
public sealed record StackOutputReference(string StackName, string OutputKey);

/// <summary>
/// One stack of the set: a lifecycle unit (network, cluster, load balancer, repositories, one per service) with its
/// template, region, deploy-time parameters, the exports it offers and the stacks it imports from.
/// </summary>
/// <param name="Name">Stack name, <c>&lt;environment&gt;-&lt;part&gt;</c>.</param>
/// <param name="Region">AWS region to deploy to.</param>
/// <param name="Template">The stack's template.</param>
/// <param name="Parameters">Deploy-time parameters, from the template's Parameters section.</param>
/// <param name="Exports">Export names the stack's outputs publish, in template order.</param>
/// <param name="Imports">Export names the template imports (<c>Fn::ImportValue</c>), sorted.</param>
/// <param name="DependsOn">Names of the stacks that publish those imports, sorted: they deploy first.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A CloudFormation stack is the domain term.")]
public sealed record Stack(
    string Name,
    string Region,
    Template Template,
    IReadOnlyList<StackParameter> Parameters,
    IReadOnlyList<string> Exports,
    IReadOnlyList<string> Imports,
    IReadOnlyList<string> DependsOn);

/// <summary>The stacks could not be ordered: a dependency cycle or an import nobody exports.</summary>
public sealed class StackOrderException : OttKitTemplateException
{
    /// <summary>Creates the exception.</summary>
    public StackOrderException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the stacks.</param>
    public StackOrderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StackOrderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The synthesized platform: stacks in deployment order (a topological order of their import dependencies,
/// ties broken by declaration order so the order is deterministic), and waves of stacks that can deploy in parallel.
/// </summary>
public sealed class StackSet
{
    /// <summary>
    /// The stack that holds the artifacts bucket, <c>&lt;environment&gt;-bootstrap</c>: an administrator deploys it
    /// first, and while the bucket does not exist it is created from a TemplateBody.
    /// </summary>
    public string BootstrapStackName => $"{Environment}-bootstrap";

    /// <summary>Orders the stacks by their dependencies.</summary>
    /// <param name="environment">Environment name.</param>
    /// <param name="region">Home region.</param>
    /// <param name="stacks">The stacks, in declaration order.</param>
    /// <exception cref="StackOrderException">A stack depends on an unknown stack, or the dependencies form a cycle.</exception>
    public StackSet(string environment, string region, IReadOnlyList<Stack> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        Environment = environment;
        Region = region;
        Waves = Order(stacks);
        Stacks = [.. Waves.SelectMany(w => w)];
    }

    /// <summary>Environment name.</summary>
    public string Environment { get; }

    /// <summary>Home region of the environment.</summary>
    public string Region { get; }

    /// <summary>
    /// The typed architecture the constructs recorded while the graph was built (tiers, zones, hosts, services, links,
    /// the resource inventory); <see langword="null"/> for a stack set built by hand. The diagram reads only this.
    /// </summary>
    internal Constructs.ArchitectureFacts? Architecture { get; set; }

    /// <summary>Every stack, in deployment order.</summary>
    public IReadOnlyList<Stack> Stacks { get; }

    /// <summary>Groups of stacks whose dependencies are all in earlier groups: each group can deploy in parallel.</summary>
    public IReadOnlyList<IReadOnlyList<Stack>> Waves { get; }

    /// <summary>Finds a stack by name.</summary>
    /// <param name="name">Stack name.</param>
    /// <returns>The stack.</returns>
    /// <exception cref="KeyNotFoundException">No stack has that name.</exception>
    public Stack this[string name] => Stacks.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"The stack set has no stack '{name}'.");

    /// <summary>The manifest: environment, region, deployment order and waves, and per stack its template file,
    /// region, dependencies, parameters (with the stack output that fills each <see cref="StackParameter.ValueFrom"/>),
    /// exports and imports. Indented JSON with LF line endings.</summary>
    /// <returns>The manifest text.</returns>
    public string ToManifestJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("environment", Environment);
            json.WriteString("region", Region);
            json.WriteStartArray("order");
            foreach (var stack in Stacks)
            {
                json.WriteStringValue(stack.Name);
            }

            json.WriteEndArray();
            json.WriteStartArray("waves");
            foreach (var wave in Waves)
            {
                json.WriteStartArray();
                foreach (var stack in wave)
                {
                    json.WriteStringValue(stack.Name);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("stacks");
            foreach (var stack in Stacks)
            {
                json.WriteStartObject();
                json.WriteString("name", stack.Name);
                json.WriteString("region", stack.Region);
                json.WriteString("template", TemplateFileName(stack));
                json.WriteNumber("resources", stack.Template.Resources.Count);
                WriteStrings(json, "dependsOn", stack.DependsOn);
                json.WriteStartArray("parameters");
                foreach (var p in stack.Parameters)
                {
                    json.WriteStartObject();
                    json.WriteString("name", p.Name);
                    json.WriteString("type", p.Type);
                    if (p.ValueFrom is { } source)
                    {
                        // Filled by the deployer from another stack's output (possibly in another region).
                        json.WriteStartObject("valueFrom");
                        json.WriteString("stack", source.StackName);
                        json.WriteString("region", Stacks.FirstOrDefault(s => string.Equals(s.Name, source.StackName, StringComparison.Ordinal))?.Region ?? Region);
                        json.WriteString("output", source.OutputKey);
                        json.WriteEndObject();
                    }
                    else if (p.Default is null)
                    {
                        json.WriteBoolean("required", true);
                    }
                    else
                    {
                        json.WriteString("default", p.Default);
                    }

                    if (p.Description is not null)
                    {
                        json.WriteString("description", p.Description);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                WriteStrings(json, "exports", stack.Exports);
                WriteStrings(json, "imports", stack.Imports);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The file name a stack's template is written to: <c>&lt;stack&gt;.yaml</c>.</summary>
    /// <param name="stack">The stack.</param>
    /// <returns>The file name.</returns>
    public static string TemplateFileName(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.Name + ".yaml";
    }

    /// <summary>
    /// Writes every template (YAML) and <c>manifest.json</c> into <paramref name="directory"/>, and nothing else.
    /// Each file is written to a temporary name and moved into place, so a cancelled or failed write never leaves a
    /// truncated template that looks complete; the manifest is written last.
    /// </summary>
    /// <param name="directory">Output directory (created when missing).</param>
    /// <param name="cancellationToken">Stops between files.</param>
    /// <returns>The paths written, manifest last.</returns>
    public async Task<IReadOnlyList<string>> WriteToAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var stack in Stacks)
        {
            var path = Path.Combine(directory, TemplateFileName(stack));
            await WriteFileAsync(path, stack.Template.ToYaml(), cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        var manifest = Path.Combine(directory, "manifest.json");
        await WriteFileAsync(manifest, ToManifestJson(), cancellationToken).ConfigureAwait(false);
        written.Add(manifest);
        return written;
    }

    private static async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    /// <summary>Kahn's algorithm by levels; within a level, declaration order. Leftover stacks are a cycle.</summary>
    internal static IReadOnlyList<IReadOnlyList<Stack>> Order(IReadOnlyList<Stack> stacks)
    {
        var byName = new Dictionary<string, Stack>(StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            if (!byName.TryAdd(stack.Name, stack))
            {
                throw new StackOrderException($"Two stacks are named '{stack.Name}'.");
            }
        }

        foreach (var stack in stacks)
        {
            foreach (var dependency in stack.DependsOn)
            {
                if (!byName.ContainsKey(dependency))
                {
                    throw new StackOrderException($"Stack '{stack.Name}' depends on '{dependency}', which is not in the set.");
                }
            }
        }

        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = stacks.ToList();
        var waves = new List<IReadOnlyList<Stack>>();
        while (remaining.Count > 0)
        {
            var wave = remaining.Where(s => s.DependsOn.All(placed.Contains)).ToArray();
            if (wave.Length == 0)
            {
                var cycle = string.Join(", ", remaining.Select(s => $"{s.Name} → [{string.Join(", ", s.DependsOn.Where(d => !placed.Contains(d)))}]"));
                throw new StackOrderException($"The stacks depend on each other in a cycle: {cycle}.");
            }

            foreach (var s in wave)
            {
                placed.Add(s.Name);
            }

            remaining.RemoveAll(s => placed.Contains(s.Name));
            waves.Add(wave);
        }

        return waves;
    }
}
