using System.Text.Json;
using Amazon.Runtime;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

/// <summary>
/// The output contract, forced through every command for each class of failure (user mistake, environment, AWS
/// refusal, bug): with <c>-o json</c> stdout is exactly one JSON document <c>{"ok": false, "error": code, …}</c>; in text
/// mode stderr has exactly one <c>error:</c> line and stdout none. Only a bug says "unexpected".
/// </summary>
public sealed class OutputContractTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-contract-");

    private static string Spec => Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");

    /// <summary>Every command that reads a spec, with the arguments it needs besides --spec.</summary>
    public static TheoryData<string> SpecCommands =>
    [
        "validate",
        "synth --out OUT",
        "diagram --out OUT/a.svg",
        "plan --artifacts-bucket artifacts",
        "deploy stacks --artifacts-bucket artifacts",
        "deploy service --service web --image 2",
        "rollback service --service web",
        "status",
    ];

    /// <summary>The commands that call AWS (and so meet profiles, credentials and the network).</summary>
    public static TheoryData<string> AwsCommands =>
    [
        "plan --artifacts-bucket artifacts",
        "deploy stacks --artifacts-bucket artifacts",
        "deploy service --service web --image 2",
        "rollback service --service web",
        "status",
    ];

    public void Dispose() => _work.Delete(recursive: true);

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(SpecCommands))]
    public async Task A_missing_spec_is_one_user_error_in_both_formats(string command)
    {
        var args = Args(command, "--spec", Path.Combine(_work.FullName, "missing.yaml"));

        await AssertContractAsync(args, Variables(), "spec-not-found", "user");
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(SpecCommands))]
    public async Task A_usage_error_is_one_document_and_one_error_line(string command)
    {
        var args = Args(command, "--spec", Spec, "--no-such-option");

        var (json, text) = await AssertContractAsync(args, Variables(), "usage", "user");

        Assert.Equal(ExitCodes.UsageError, json.ExitCode);
        Assert.Equal(ExitCodes.UsageError, text.ExitCode);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData("validate")]
    [InlineData("synth --out OUT")]
    [InlineData("diagram --out OUT/a.svg")]
    [InlineData("plan --artifacts-bucket artifacts")]
    [InlineData("deploy stacks --artifacts-bucket artifacts")]
    public async Task An_invalid_spec_is_a_user_error_with_the_path(string command)
    {
        var spec = Path.Combine(_work.FullName, "spec.yaml");
        await File.WriteAllTextAsync(spec, File.ReadAllText(Spec).Replace("maxTasks: 20 }", "maxTasks: 0 }", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var args = Args(command, "--spec", spec);

        var (json, text) = await AssertContractAsync(args, Variables(), command == "validate" ? null : "spec-invalid", command == "validate" ? null : "user");

        Assert.Contains("maxTasks", json.Output, StringComparison.Ordinal);
        Assert.Contains("maxTasks", text.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData("synth --out FILE")]
    [InlineData("diagram --out FILE/a.svg")]
    [InlineData("new acme-tv --out FILE")]
    public async Task An_output_folder_that_is_a_file_is_an_environment_error(string command)
    {
        var file = Path.Combine(_work.FullName, "a-file");
        await File.WriteAllTextAsync(file, "not a folder", TestContext.Current.CancellationToken);
        var args = command.StartsWith("new", StringComparison.Ordinal)
            ? command.Replace("FILE", file, StringComparison.Ordinal).Split(' ')
            : Args(command.Replace("FILE", file, StringComparison.Ordinal), "--spec", Spec);

        var (_, text) = await AssertContractAsync(args, Variables(), command.StartsWith("new", StringComparison.Ordinal) ? null : "output-not-writable", "environment");

        Assert.DoesNotContain("unexpected", text.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_work.FullName, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(AwsCommands))]
    public async Task An_unknown_profile_is_a_user_error_naming_it(string command)
    {
        var args = Args(command, "--spec", Spec, "--profile", "ottkit-no-such-profile");

        var (_, text) = await AssertContractAsync(args, Variables(keys: false), "unknown-profile", "user");

        Assert.Contains("aws configure --profile ottkit-no-such-profile", text.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(AwsCommands))]
    public async Task Missing_credentials_are_a_user_error_with_the_fix(string command)
    {
        var args = Args(command, "--spec", Spec);

        var (_, text) = await AssertContractAsync(args, Variables(keys: false), "credentials", "user");

        Assert.Contains("AWS_PROFILE", text.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(AwsCommands))]
    public async Task A_region_outside_the_partition_is_a_user_error_listing_the_regions(string command)
    {
        var args = Args(command, "--spec", Spec, "--region", "mars-1");

        var (_, text) = await AssertContractAsync(args, Variables(), "bad-region", "user");

        Assert.Contains("ap-south-1", text.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(AwsCommands))]
    public async Task No_network_is_an_environment_error_not_an_unexpected_one(string command)
    {
        var variables = Variables();

        // Nothing listens on port 9 of the loopback: the connection is refused at once.
        variables["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9";
        var args = Args(command, "--spec", Spec);

        var (_, text) = await AssertContractAsync(args, variables, "network", "environment");

        Assert.Contains("could not reach AWS", text.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData("synth --out OUT")]
    [InlineData("validate")]
    [InlineData("diagram --out OUT/a.svg")]
    public async Task A_region_on_a_command_that_calls_no_aws_api_is_refused_not_ignored(string command)
    {
        var args = Args(command, "--spec", Spec, "--region", "eu-west-1");

        await AssertContractAsync(args, Variables(), "region-not-applicable", "user");

        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "out")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Mongo_backups_without_a_region_is_an_environment_error()
    {
        string[] args = ["mongo", "backups", "list", "--bucket", "acme-backups"];

        await AssertContractAsync(args, Variables(keys: false), "no-region", "environment");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Mongo_backups_with_an_unknown_profile_is_a_user_error()
    {
        string[] args = ["mongo", "backups", "list", "--bucket", "acme-backups", "--region", "ap-south-1", "--profile", "ottkit-no-such-profile"];

        await AssertContractAsync(args, Variables(keys: false), "unknown-profile", "user");
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData("list")]
    [InlineData("verify")]
    [InlineData("prune")]
    public async Task A_kms_key_where_it_means_nothing_is_a_usage_error(string verb)
    {
        string[] args = ["mongo", "backups", verb, "--bucket", "acme-backups", "--region", "ap-south-1", "--kms-key-id", "alias/backup"];

        var (json, _) = await AssertContractAsync(args, Variables(), "usage", "user");

        Assert.Contains("--kms-key-id", json.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aws_refusal_is_classified_as_such_and_names_the_code()
    {
        var failure = FailureClassifier.Classify(new AmazonServiceException("User is not authorized to perform: ecs:DescribeServices") { ErrorCode = "AccessDeniedException" });

        Assert.Equal(FailureKind.AwsRefusal, failure.Kind);
        Assert.Equal("access-denied", failure.Code);
        Assert.Contains("AccessDeniedException", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_bug_says_unexpected_and_points_at_verbose()
    {
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, OutputFormat.Text, verbose: false);

        var exit = context.Fail(FailureClassifier.Classify(new InvalidOperationException("boom")), new InvalidOperationException("boom"));

        Assert.Equal(ExitCodes.Failure, exit);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: unexpected failure (a defect in ottkit; please report it): InvalidOperationException: boom", lines[0], StringComparison.Ordinal);
        Assert.Equal("Run again with --verbose for the stack trace.", lines[1]);
    }

    [Fact]
    public void A_bug_in_json_mode_is_one_document_of_kind_bug()
    {
        var output = new StringWriter();
        var context = new CliContext(output, new StringWriter(), OutputFormat.Json, verbose: false);

        context.Fail(FailureClassifier.Classify(new FormatException("x")));

        using var document = JsonDocument.Parse(output.ToString());
        Assert.Equal("unexpected", document.RootElement.GetProperty("error").GetString());
        Assert.Equal("bug", document.RootElement.GetProperty("kind").GetString());
    }

    private string[] Args(string command, params string[] rest) =>
        [.. command.Replace("OUT", Path.Combine(_work.FullName, "out"), StringComparison.Ordinal).Split(' '), .. rest];

    private Dictionary<string, string> Variables(bool keys = true)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // No instance metadata, no shared files: the credential chain has nothing to find but what a test gives.
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_work.FullName, "no-credentials"),
        };
        if (keys)
        {
            variables["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
            variables["AWS_SECRET_ACCESS_KEY"] = "secret";
        }

        return variables;
    }

    /// <summary>Runs the command twice, as JSON and as text, and checks the contract on both; returns both runs.</summary>
    private static async Task<(Run Json, Run Text)> AssertContractAsync(string[] args, Dictionary<string, string> variables, string? code, string? kind)
    {
        var json = await RunAsync([.. args, "--output", "json"], variables);
        var text = await RunAsync(args, variables);

        Assert.NotEqual(ExitCodes.Success, json.ExitCode);
        using (var document = JsonDocument.Parse(json.Output))
        {
            // JsonDocument.Parse refuses trailing content: this is exactly one document.
            Assert.False(document.RootElement.GetProperty("ok").GetBoolean(), json.Output);
            if (code is not null)
            {
                Assert.Equal(code, document.RootElement.GetProperty("error").GetString());
            }

            if (kind is not null)
            {
                Assert.Equal(kind, document.RootElement.GetProperty("kind").GetString());
            }
        }

        Assert.Equal(json.ExitCode, text.ExitCode);
        var errorLines = text.Error.Split(Environment.NewLine).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errorLines.Count == 1, $"expected one error: line, got:{Environment.NewLine}{text.Error}{Environment.NewLine}stdout:{Environment.NewLine}{text.Output}");
        Assert.DoesNotContain("error:", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", text.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text.Error, StringComparison.Ordinal);
        return (json, text);
    }

    private static async Task<Run> RunAsync(string[] args, Dictionary<string, string> variables)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment(variables, TimeProvider.System, OutputIsTerminal: false);
        var exitCode = await OttKitCommandLine.InvokeAsync(args, output, error, environment, TestContext.Current.CancellationToken);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private sealed record Run(int ExitCode, string Output, string Error);
}

/// <summary>SSO and assume-role profiles: the assemblies AWSSDK.Core's credential chain loads by name ship with the tool.</summary>
public sealed class AwsProfileSupportTests
{
    [Theory]
    [InlineData("Amazon.SecurityToken.AmazonSecurityTokenServiceClient, AWSSDK.SecurityToken")]
    [InlineData("Amazon.SSO.AmazonSSOClient, AWSSDK.SSO")]
    [InlineData("Amazon.SSOOIDC.AmazonSSOOIDCClient, AWSSDK.SSOOIDC")]
    public void The_credential_chain_finds_the_client_it_loads_by_name(string typeName)
    {
        Assert.NotNull(Type.GetType(typeName, throwOnError: false));
    }

    [Fact]
    public void An_assume_role_profile_in_the_shared_files_is_accepted()
    {
        var folder = Directory.CreateTempSubdirectory("ottkit-profiles-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "credentials"), "[base]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n");
            File.WriteAllText(Path.Combine(folder.FullName, "config"), "[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/ottkit-deploy\nsource_profile = base\nregion = ap-south-1\n");
            var environment = new CliEnvironment(
                new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(folder.FullName, "credentials") },
                TimeProvider.System,
                OutputIsTerminal: false);
            using var aws = new Workmates.OttKit.Cli.Commands.AwsConnection(environment, "ap-south-1", "deployer");

            Assert.Null(aws.Check("ap-south-1"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
