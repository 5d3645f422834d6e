using System.Xml.Linq;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>A CloudFormation simulator, a signed query client and helpers that drive stacks to a terminal state on the virtual clock.</summary>
internal sealed class CfnTestBed : IAsyncDisposable
{
    public const string BaseTemplate = """
        {
          "Description": "OTT media stack",
          "Parameters": {
            "Env": { "Type": "String", "Default": "prod", "AllowedValues": ["prod", "staging"] },
            "Retention": { "Type": "Number", "Default": "30" },
            "DbPassword": { "Type": "String", "Default": "s3cret", "NoEcho": true }
          },
          "Resources": {
            "Media": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": { "Fn::Sub": "media-${Env}" } } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": { "Ref": "Retention" } } },
            "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": { "Fn::GetAtt": ["Media", "Arn"] } } }
          },
          "Outputs": {
            "MediaBucket": { "Value": { "Ref": "Media" }, "Description": "bucket" },
            "MediaArn": { "Value": { "Fn::GetAtt": ["Media", "Arn"] }, "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-MediaArn" } } },
            "Where": { "Value": { "Fn::Sub": "${AWS::Region}/${Logs}" } }
          }
        }
        """;

    private CfnTestBed(CloudFormationSimulator simulator, SimulatorCredentials? credentials = null)
    {
        Simulator = simulator;
        Client = new SignedAwsClient(simulator, credentials);
    }

    public static XNamespace Ns => SignedAwsClient.CfnNs;

    public CloudFormationSimulator Simulator { get; }

    public SignedAwsClient Client { get; }

    public static async Task<CfnTestBed> StartAsync(CloudFormationScenario? scenario = null, AwsSimulatorOptions? options = null, SimulatorCredentials? credentials = null) =>
        new(await CloudFormationSimulator.StartAsync(options, scenario, TestContext.Current.CancellationToken), credentials);

    public static string With(string template, string from, string to)
    {
        Assert.Contains(from, template, StringComparison.Ordinal);
        return template.Replace(from, to, StringComparison.Ordinal);
    }

    /// <summary>Creates a change set, waits for it on the virtual clock, and returns its DescribeChangeSet result.</summary>
    public async Task<XElement> ChangeSetAsync(string stack, string name, string type, string template, params (string Key, string Value)[] extra)
    {
        await Client.QueryOkAsync("CreateChangeSet", [("StackName", stack), ("ChangeSetName", name), ("ChangeSetType", type), ("TemplateBody", template), .. extra]);
        Simulator.Clock.Advance(TimeSpan.FromSeconds(10));
        return await Client.QueryOkAsync("DescribeChangeSet", ("StackName", stack), ("ChangeSetName", name));
    }

    public async Task<string> ExecuteAsync(string stack, string changeSet, string token, params (string Key, string Value)[] extra)
    {
        await Client.QueryOkAsync("ExecuteChangeSet", [("StackName", stack), ("ChangeSetName", changeSet), ("ClientRequestToken", token), .. extra]);
        return await RunUntilSettledAsync(stack);
    }

    public async Task<string> CreateStackAsync(string stack, string template = BaseTemplate)
    {
        await ChangeSetAsync(stack, "create-1", "CREATE", template);
        var status = await ExecuteAsync(stack, "create-1", "deploy-create-1");
        Assert.Equal("CREATE_COMPLETE", status);
        return status;
    }

    public async Task<XElement> StackAsync(string stack)
    {
        var result = await Client.QueryOkAsync("DescribeStacks", ("StackName", stack));
        return result.Element(Ns + "Stacks")!.Element(Ns + "member")!;
    }

    public async Task<string> StatusAsync(string stack) => (await StackAsync(stack)).Element(Ns + "StackStatus")!.Value;

    /// <summary>Advances the clock until the stack is no longer *_IN_PROGRESS; returns the status.</summary>
    public async Task<string> RunUntilSettledAsync(string stack)
    {
        for (var i = 0; i < 2000; i++)
        {
            var status = await StatusAsync(stack);
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return status;
            }

            Simulator.Clock.Advance(TimeSpan.FromSeconds(5));
        }

        throw new InvalidOperationException("stack never settled");
    }

    /// <summary>All events, newest first, through every page.</summary>
    public async Task<List<XElement>> EventsAsync(string stack)
    {
        var events = new List<XElement>();
        string? token = null;
        do
        {
            var parameters = new List<(string, string)> { ("StackName", stack) };
            if (token is not null)
            {
                parameters.Add(("NextToken", token));
            }

            var result = await Client.QueryOkAsync("DescribeStackEvents", [.. parameters]);
            events.AddRange(result.Element(Ns + "StackEvents")!.Elements(Ns + "member"));
            token = result.Element(Ns + "NextToken")?.Value;
        }
        while (token is not null);

        return events;
    }

    public static string Field(XElement element, string name) => element.Element(Ns + name)?.Value ?? string.Empty;

    public static Dictionary<string, string> OutputsOf(XElement stack) =>
        stack.Element(Ns + "Outputs")?.Elements(Ns + "member").ToDictionary(o => Field(o, "OutputKey"), o => Field(o, "OutputValue")) ?? [];

    public static List<XElement> ChangesOf(XElement changeSet) =>
        changeSet.Element(Ns + "Changes")!.Elements(Ns + "member").Select(m => m.Element(Ns + "ResourceChange")!).ToList();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }
}
