using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Diagrams;
using Workmates.OttKit.Pipelines;

namespace Workmates.OttKit.Outputs;

/// <summary>Choices for <see cref="EnvironmentOutput"/>.</summary>
public sealed record EnvironmentOutputOptions
{
    /// <summary>Placeholders (<see cref="SpecPlaceholders"/>) are errors instead of warnings.</summary>
    /// <value>Default: <see langword="false"/> (the generated pipelines pass <c>--strict</c>).</value>
    public bool Strict { get; init; }

    /// <summary>Check every template against the CloudFormation registry schemas before anything is written.</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool ValidateSchemas { get; init; } = true;

    /// <summary>Where the registry schemas come from.</summary>
    /// <value>Default: <see langword="null"/>, the schemas embedded in the library (<see cref="ResourceSchemaCatalog.Embedded"/>).</value>
    public ResourceSchemaCatalog? SchemaCatalog { get; init; }

    /// <summary>Pipeline options for the generated workflows.</summary>
    /// <value>Default: <see langword="null"/> (the defaults of <see cref="PipelineGenerator"/>).</value>
    public PipelineSpec? Pipelines { get; init; }

    /// <summary>The current time, for the rules that depend on it (a live event already over is refused); synthesis itself never reads a clock.</summary>
    /// <value>Default: <see langword="null"/> (those rules are skipped; the CLI passes <see cref="TimeProvider.System"/>'s time).</value>
    public DateTimeOffset? Now { get; init; }
}

/// <summary>One file of an environment's output folder.</summary>
/// <param name="Path">Path relative to the output folder, with <c>/</c> separators (<c>owner/repo/.github/workflows/deploy-web.yml</c>).</param>
/// <param name="Content">The text (LF line endings; written as UTF-8 without BOM).</param>
public sealed record OutputFile(string Path, string Content);

/// <summary>What <see cref="EnvironmentOutput.WriteToAsync"/> did.</summary>
/// <param name="Directory">The output folder (full path).</param>
/// <param name="Written">Full paths written, manifest last.</param>
/// <param name="Removed">Full paths the previous manifest owned that the new output does not, now deleted.</param>
public sealed record OutputWriteResult(string Directory, IReadOnlyList<string> Written, IReadOnlyList<string> Removed);

/// <summary>
/// Everything an environment's output folder holds, derived from its spec in one call: one CloudFormation template per
/// stack, <c>architecture.svg</c>, the GitHub Actions workflows under <c>&lt;owner&gt;/&lt;repository&gt;/.github/workflows/</c>
/// and <c>manifest.json</c>, which also lists the files it owns. Everything is generated and checked (spec validation,
/// placeholders with <see cref="EnvironmentOutputOptions.Strict"/>, CloudFormation rules, registry schemas) before
/// anything is written. <c>ottkit validate</c>, <c>synth</c>, <c>diagram</c>, <c>plan</c> and <c>deploy stacks</c> all go through here,
/// so whatever synthesis refuses, validation refuses first.
/// </summary>
public sealed class EnvironmentOutput
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.json";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private EnvironmentOutput(EnvironmentSpec spec, StackSet stackSet, IReadOnlyList<WorkflowFile> workflows, string diagram, IReadOnlyList<ValidationProblem> warnings)
    {
        Spec = spec;
        StackSet = stackSet;
        Workflows = workflows;
        Diagram = diagram;
        Warnings = warnings;
        var files = new List<OutputFile>();
        files.AddRange(stackSet.Stacks.Select(s => new OutputFile(StackSet.TemplateFileName(s), s.Template.ToYaml())));
        files.Add(new OutputFile(ArchitectureDiagram.FileName, diagram));
        files.AddRange(workflows.Select(w => new OutputFile($"{w.Repository}/{w.Path}", w.Content)));
        files.Add(new OutputFile(ManifestFileName, Manifest(stackSet, files)));
        Files = files;
    }

    /// <summary>The spec the output was derived from.</summary>
    public EnvironmentSpec Spec { get; }

    /// <summary>The synthesized stacks, checked against CloudFormation's rules and the registry schemas.</summary>
    public StackSet StackSet { get; }

    /// <summary>The generated workflows.</summary>
    public IReadOnlyList<WorkflowFile> Workflows { get; }

    /// <summary>The architecture diagram (SVG text).</summary>
    public string Diagram { get; }

    /// <summary>Placeholders still in the spec (empty under <see cref="EnvironmentOutputOptions.Strict"/>, where they are errors).</summary>
    public IReadOnlyList<ValidationProblem> Warnings { get; }

    /// <summary>Every file of the output folder, manifest last.</summary>
    public IReadOnlyList<OutputFile> Files { get; }

    /// <summary>Validates, synthesizes and checks the spec and renders every output file, writing nothing.</summary>
    /// <param name="spec">The environment.</param>
    /// <param name="options">Strictness, schema checking and pipeline options; defaults when null.</param>
    /// <returns>The output, ready to write.</returns>
    /// <exception cref="OttKitValidationException">The spec has problems (with <see cref="EnvironmentOutputOptions.Strict"/>, placeholders too); all are listed.</exception>
    /// <exception cref="CloudFormation.TemplateValidationException">A template breaks a CloudFormation rule (a blueprint defect).</exception>
    /// <exception cref="TemplateSchemaException">A template breaks a registry schema (a blueprint defect); every violation is listed with its stack.</exception>
    public static EnvironmentOutput Synthesize(EnvironmentSpec spec, EnvironmentOutputOptions? options = null)
    {
        options ??= new EnvironmentOutputOptions();
        var stackSet = SynthesizeStacks(spec, options, out var warnings);
        // SynthesizeStacks validated the spec: the workflows read its ci section without validating it again.
        var workflows = PipelineGenerator.GenerateValidated(spec, options.Pipelines);
        return new EnvironmentOutput(spec, stackSet, workflows, ArchitectureDiagram.Render(stackSet), warnings);
    }

    /// <summary>
    /// The stacks alone, with every check <see cref="Synthesize"/> makes (for <c>plan</c> and <c>deploy stacks</c>, which
    /// send templates to AWS and need no diagram or workflows).
    /// </summary>
    /// <param name="spec">The environment.</param>
    /// <param name="options">Strictness and schema checking; defaults when null.</param>
    /// <param name="warnings">Placeholders found (empty under <see cref="EnvironmentOutputOptions.Strict"/>).</param>
    /// <returns>The checked stack set.</returns>
    /// <exception cref="OttKitValidationException">The spec has problems.</exception>
    /// <exception cref="TemplateSchemaException">A template breaks a registry schema.</exception>
    public static StackSet SynthesizeStacks(EnvironmentSpec spec, EnvironmentOutputOptions? options, out IReadOnlyList<ValidationProblem> warnings)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new EnvironmentOutputOptions();
        var problems = new List<ValidationProblem>(spec.Validate(new ValidationContext { Now = options.Now }));
        var placeholders = SpecPlaceholders.Find(spec);
        if (options.Strict)
        {
            problems.AddRange(placeholders.Select(p => p with { Message = $"placeholder (--strict): {p.Message}" }));
            placeholders = [];
        }

        if (problems.Count > 0)
        {
            throw new OttKitValidationException(problems);
        }

        var stackSet = Blueprint.Blueprint.Synthesize(spec);
        if (options.ValidateSchemas)
        {
            var validator = new TemplateSchemaValidator(options.SchemaCatalog ?? ResourceSchemaCatalog.Embedded());
            var violations = new List<SchemaViolation>();
            foreach (var stack in stackSet.Stacks)
            {
                violations.AddRange(validator.Validate(stack.Template.ToJsonNode()).Select(v => v with { Path = $"{stack.Name}: {v.Path}" }));
            }

            if (violations.Count > 0)
            {
                throw new TemplateSchemaException(violations);
            }
        }

        warnings = placeholders;
        return stackSet;
    }

    /// <summary>
    /// Writes every file into <paramref name="directory"/> (created when missing) so that nothing half-written is left:
    /// each file goes to a temporary name first and is moved into place once all are written, the manifest last; on a
    /// failure or cancellation the temporary files are deleted. Files the previous manifest listed that this output
    /// does not have (a removed service's template and workflow) are deleted; other files in the folder are kept.
    /// </summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="cancellationToken">Stops before the files are moved into place.</param>
    /// <returns>The files written and removed.</returns>
    /// <exception cref="OutputWriteException">The folder cannot be created or written (a file, read-only, no permission, disk full).</exception>
    public async Task<OutputWriteResult> WriteToAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        var staged = new List<(string Temporary, string Final)>();
        try
        {
            if (File.Exists(root))
            {
                throw new OutputWriteException(root, $"'{root}' is a file, not a folder.");
            }

            Directory.CreateDirectory(root);
            var previous = OwnedFiles(root);
            foreach (var file in Files)
            {
                var final = Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(final)!);
                var temporary = final + ".tmp";
                staged.Add((temporary, final));
                await File.WriteAllTextAsync(temporary, file.Content, Utf8, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (temporary, final) in staged)
            {
                File.Move(temporary, final, overwrite: true);
            }

            staged.Clear();
            var current = Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            var removed = new List<string>();
            foreach (var stale in previous.Where(p => !current.Contains(p)))
            {
                var path = Path.Combine(root, stale.Replace('/', Path.DirectorySeparatorChar));
                if (File.Exists(path))
                {
                    File.Delete(path);
                    removed.Add(path);
                    RemoveEmptyFolders(root, Path.GetDirectoryName(path));
                }
            }

            return new OutputWriteResult(root, [.. Files.Select(f => Path.Combine(root, f.Path.Replace('/', Path.DirectorySeparatorChar)))], removed);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException(root, error.Message, error);
        }
        finally
        {
            foreach (var (temporary, _) in staged)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>The files a folder's manifest says it owns (relative, inside the folder); older manifests list only templates.</summary>
    internal static IReadOnlyList<string> OwnedFiles(string root)
    {
        var manifest = Path.Combine(root, ManifestFileName);
        if (!File.Exists(manifest))
        {
            return [];
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(File.ReadAllBytes(manifest));
        }
        catch (JsonException)
        {
            // Not ours (or damaged): own nothing rather than delete what we cannot account for.
            return [];
        }

        var listed = document?["files"] is JsonArray files
            ? files.Select(f => f?.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null)
            : (document?["stacks"] as JsonArray ?? []).Select(s => s?["template"]?.GetValueKind() == JsonValueKind.String ? s["template"]!.GetValue<string>() : null);
        return [.. listed.OfType<string>().Where(IsInside)];
    }

    private static bool IsInside(string relative) =>
        relative.Length > 0 && !Path.IsPathRooted(relative) && !relative.Contains('\\', StringComparison.Ordinal)
        && relative.Split('/').All(part => part.Length > 0 && part != "." && part != "..");

    private static string Manifest(StackSet stackSet, IReadOnlyList<OutputFile> files)
    {
        var manifest = JsonNode.Parse(stackSet.ToManifestJson())!.AsObject();
        manifest["files"] = new JsonArray([.. files.Select(f => (JsonNode)JsonValue.Create(f.Path)).Append(JsonValue.Create(ManifestFileName))]);
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NewLine = "\n" }) + "\n";
    }

    private static void RemoveEmptyFolders(string root, string? folder)
    {
        while (folder is not null && folder.Length > root.Length && folder.StartsWith(root, StringComparison.Ordinal)
            && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one to report; a temporary file that cannot be deleted is named by it.
        }
    }
}

/// <summary>An output folder cannot be created or written: a file where the folder should be, read-only, no permission, disk full.</summary>
public sealed class OutputWriteException : OttKitTemplateException
{
    /// <summary>Creates the exception for <paramref name="directory"/>.</summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="message">What the file system said.</param>
    /// <param name="innerException">The file system's exception, if any.</param>
    public OutputWriteException(string directory, string message, Exception? innerException = null)
        : base(message, innerException) => Directory = directory;

    /// <summary>Creates the exception with no details.</summary>
    public OutputWriteException()
        : this(string.Empty, "The output folder cannot be written.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public OutputWriteException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public OutputWriteException(string message, Exception innerException)
        : this(string.Empty, message, innerException)
    {
    }

    /// <summary>The output folder (full path).</summary>
    public string Directory { get; }
}
