using System.CommandLine;
using System.Reflection;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Cli.Commands;

namespace Workmates.OttKit.Cli;

/// <summary>Builds the <c>ottkit</c> command tree. Each command is a thin shell over a library call.</summary>
internal static class OttKitCommandLine
{
    /// <summary>Text or JSON output, for every command.</summary>
    public static readonly Option<OutputFormat> OutputOption = new("--output", "-o")
    {
        Description = "Result format: text (default) or json (one machine-readable document on stdout).",
        DefaultValueFactory = _ => OutputFormat.Text,
        Recursive = true,
    };

    /// <summary>Adds details (inner errors, stack traces of unexpected failures).</summary>
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Print details: every problem's context and, for unexpected failures, the stack trace.",
        Recursive = true,
    };

    /// <summary>Disables colour even on a terminal.</summary>
    public static readonly Option<bool> NoColorOption = new("--no-color")
    {
        Description = "Never use colour or live rendering (also implied when not a terminal, CI=true or NO_COLOR is set).",
        Recursive = true,
    };

    /// <summary>The AWS region for the commands that call AWS (default: the spec's region).</summary>
    public static readonly Option<string?> RegionOption = new("--region")
    {
        Description = "AWS region of the environment (default: the spec's region).",
        Recursive = true,
    };

    /// <summary>The shared-config profile for the commands that call AWS (default: AWS_PROFILE, then the SDK's chain).</summary>
    public static readonly Option<string?> ProfileOption = new("--profile")
    {
        Description = "AWS shared-config profile to use (default: AWS_PROFILE, then the SDK's credential chain: AWS_ACCESS_KEY_ID…, SSO, web identity, instance role).",
        Recursive = true,
    };

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Build(CliEnvironment? environment = null)
    {
        environment ??= CliEnvironment.Process;
        var root = new RootCommand(
            "ottkit: describe an OTT platform once (an EnvironmentSpec) and validate, synthesize and operate it on AWS.")
        {
            OutputOption,
            VerboseOption,
            NoColorOption,
            RegionOption,
            ProfileOption,
            NewCommand.Create(),
            ValidateCommand.Create(environment),
            SynthCommand.Create(environment),
            DiagramCommand.Create(),
            PlanCommand.Create(environment),
            DeployCommand.Create(DeployStacksCommand.Create(environment), DeployServiceCommand.Create(environment)),
            RollbackCommand.Create(environment),
            StatusCommand.Create(environment),
            ImageScanGateCommand.Create(environment),
            PatchCommand.Create(environment),
        };

        // Commands the tool adds on top of the library ('ottkit rehearse' lives with the tool: it runs the
        // Workmates.OttKit.Testing rehearsal, which itself references this library).
        foreach (var extension in environment.Extensions)
        {
            root.Add(extension(environment));
        }

        root.Add(MongoBackupCommand.AddTo(MongoHealthCommand.CreateMongoCommand(), environment));
        return root;
    }

    /// <summary>Parses and runs a command line, returning the process exit code.</summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        InvokeAsync(args, output, error, null, cancellationToken);

    /// <summary>
    /// Parses and runs a command line in <paramref name="environment"/> (the process when null), returning the process
    /// exit code. This is the edge where the output contract is kept: every failure that escapes a command is
    /// classified once (<see cref="FailureClassifier"/>), and with <c>-o json</c> exactly one JSON document reaches
    /// <paramref name="output"/> on every path (the command's result, or the failure document instead of it).
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CliEnvironment? environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parse = Build(environment).Parse(args);
        var format = FormatOf(parse, args);
        var verbose = SafeVerbose(parse, args);
        if (parse.Errors.Count > 0)
        {
            // One line for every parse problem together and a pointer to help, instead of the parser's full help dump.
            var commandPath = CommandPath(parse.CommandResult);
            var message = string.Join(" ", parse.Errors.Select(p => p.Message.TrimEnd()));
            var context = new CliContext(output, error, format, verbose);
            _ = context.Fail(new CliFailure(FailureKind.UserMistake, "usage", $"{message} Run '{commandPath} --help' for usage and examples.", ExitCodes.UsageError));
            return ExitCodes.UsageError;
        }

        // In JSON mode the command writes into a buffer: the buffer reaches stdout only when the command returned, so
        // a failure that escapes it after a partial write still yields one document.
        var buffer = format == OutputFormat.Json ? new StringWriter() : null;
        var configuration = new InvocationConfiguration
        {
            Output = buffer ?? output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };

        var edge = new CliContext(output, error, format, verbose);
        int exitCode;
        try
        {
            exitCode = await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return edge.Fail(new CliFailure(FailureKind.UserMistake, "cancelled", "cancelled.", ExitCodes.Cancelled));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return edge.Fail(FailureClassifier.Classify(ex), ex);
        }

        if (buffer is not null)
        {
            var document = buffer.ToString();
            if (string.IsNullOrWhiteSpace(document))
            {
                // A command that reported nothing still owes the caller its one document.
                await output.WriteLineAsync(new System.Text.Json.Nodes.JsonObject { ["ok"] = exitCode == ExitCodes.Success, ["exitCode"] = exitCode }.ToJsonString()).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(document).ConfigureAwait(false);
            }
        }

        return exitCode;
    }

    private static OutputFormat FormatOf(ParseResult parse, string[] args)
    {
        try
        {
            return parse.GetValue(OutputOption);
        }
        catch (InvalidOperationException)
        {
            // "-o yaml" is itself the parse error: still answer in JSON when the caller clearly asked for it.
            return args.Contains("json", StringComparer.OrdinalIgnoreCase) ? OutputFormat.Json : OutputFormat.Text;
        }
    }

    private static bool SafeVerbose(ParseResult parse, string[] args)
    {
        try
        {
            return parse.GetValue(VerboseOption);
        }
        catch (InvalidOperationException)
        {
            return args.Contains("--verbose", StringComparer.Ordinal);
        }
    }

    /// <summary>The full command path (<c>ottkit mongo health</c>) of the command a parse ended on.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is System.CommandLine.Parsing.CommandResult command && command.Parent is not null)
            {
                names.Add(command.Command.Name);
            }
        }

        names.Add("ottkit");
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The context a command action runs with.</summary>
    public static CliContext ContextOf(ParseResult parse) => new(
        parse.InvocationConfiguration.Output,
        parse.InvocationConfiguration.Error,
        parse.GetValue(OutputOption),
        parse.GetValue(VerboseOption));

    /// <summary>The tool's informational version.</summary>
    public static string Version =>
        typeof(OttKitCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Loads a spec file, turning a user mistake into one clear message (no stack trace).</summary>
    public static EnvironmentSpec? LoadSpec(CliContext context, string path, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        if (!File.Exists(path))
        {
            exitCode = context.UserError(
                $"spec file '{path}' not found. Pass the path of your environment's spec (YAML or JSON) with --spec, or create one with 'ottkit new <name>'.",
                "spec-not-found");
            return null;
        }

        try
        {
            return EnvironmentSpec.Load(path);
        }
        catch (OttKitValidationException ex)
        {
            exitCode = context.UserError(ex.Message, ex is SpecLoadException ? "spec-load" : "spec-invalid");
            return null;
        }
    }
}
