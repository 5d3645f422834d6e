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
            ValidateCommand.Create(),
            SynthCommand.Create(),
            DiagramCommand.Create(),
            PlanCommand.Create(),
            DeployCommand.Create(DeployStacksCommand.Create(), DeployServiceCommand.Create(environment)),
            RollbackCommand.Create(environment),
            StatusCommand.Create(environment),
            MongoBackupCommand.AddTo(MongoHealthCommand.CreateMongoCommand()),
        };
        return root;
    }

    /// <summary>Parses and runs a command line, returning the process exit code.</summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        InvokeAsync(args, output, error, null, cancellationToken);

    /// <summary>Parses and runs a command line in <paramref name="environment"/> (the process when null), returning the process exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CliEnvironment? environment, CancellationToken cancellationToken = default)
    {
        var parse = Build(environment).Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };

        if (parse.Errors.Count > 0)
        {
            // One line per parse problem and a pointer to help, instead of the parser's full help dump.
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            var commandPath = CommandPath(parse.CommandResult);
            await error.WriteLineAsync($"Run '{commandPath} --help' for usage and examples.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var verbose = parse.GetValue(VerboseOption);
            await error.WriteLineAsync($"error: unexpected failure: {ex.Message}").ConfigureAwait(false);
            await error.WriteLineAsync(verbose ? ex.ToString() : "Run again with --verbose for details.").ConfigureAwait(false);
            return ExitCodes.Failure;
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
        catch (SpecLoadException ex)
        {
            exitCode = context.UserError(ex.Message, "spec-load");
            return null;
        }
    }
}
