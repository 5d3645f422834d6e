using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Simulators;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws.EndToEnd;

/// <summary>Every CloudFormation operation of <see cref="ICloudFormationApi"/>, its paginators and waiters, through our client against the simulator.</summary>
public sealed class CloudFormationOperationsEndToEndTests
{
    private const string Stack = "media";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(CloudFormationSimulator Simulator, ICloudFormationApi Api)> StartAsync(CloudFormationScenario? scenario = null)
    {
        var simulator = await CloudFormationSimulator.StartAsync(null, scenario, Ct);
        return (simulator, SimulatorClients.CloudFormation(simulator));
    }

    private static Task<DescribeChangeSetResponse?> ChangeSetReadyAsync(CloudFormationSimulator simulator, ICloudFormationApi api, string name) =>
        SimulatorClients.DriveAsync(simulator.Clock, () => api.WaitUntilChangeSetCreateCompleteAsync(
            new DescribeChangeSetRequest { StackName = Stack, ChangeSetName = name }, simulator.Clock, Ct));

    private static async Task<string> StatusAsync(ICloudFormationApi api) =>
        (await api.DescribeStacksAsync(new DescribeStacksRequest { StackName = Stack }, Ct)).Stacks![0].StackStatus!;

    /// <summary>Advances the virtual clock until the stack is no longer *_IN_PROGRESS.</summary>
    private static async Task<string> SettleAsync(CloudFormationSimulator simulator, ICloudFormationApi api)
    {
        for (var i = 0; i < 1000; i++)
        {
            var status = await StatusAsync(api);
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return status;
            }

            simulator.Clock.Advance(Step);
        }

        throw new InvalidOperationException("the stack never settled");
    }

    private static async Task ChangeSetAsync(CloudFormationSimulator simulator, ICloudFormationApi api, string name, string type, string template, string? onStackFailure = null)
    {
        await api.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = Stack, ChangeSetName = name, ChangeSetType = type, TemplateBody = template, OnStackFailure = onStackFailure,
        }, Ct);
        await ChangeSetReadyAsync(simulator, api, name);
    }

    private static async Task CreateStackAsync(CloudFormationSimulator simulator, ICloudFormationApi api)
    {
        await ChangeSetAsync(simulator, api, "create-1", "CREATE", CfnTestBed.BaseTemplate);
        await api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = Stack, ChangeSetName = "create-1", ClientRequestToken = "create-1" }, Ct);
        Assert.Equal("CREATE_COMPLETE", await SettleAsync(simulator, api));
    }

    private static string Retention(string days) => CfnTestBed.With(CfnTestBed.BaseTemplate, "\"Default\": \"30\"", $"\"Default\": \"{days}\"");

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CreateChangeSet_ThenChangeSetCreateCompleteWaiter_OnTheSharedClock_DescribesTheAdds()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;

        var created = await api.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = Stack, ChangeSetName = "create-1", ChangeSetType = "CREATE", TemplateBody = CfnTestBed.BaseTemplate,
            Parameters = [new Parameter { ParameterKey = "Env", ParameterValue = "staging" }],
        }, Ct);
        var ready = await ChangeSetReadyAsync(simulator, api, "create-1");

        Assert.StartsWith("arn:aws:cloudformation:us-east-1:123456789012:changeSet/create-1/", created.Id, StringComparison.Ordinal);
        Assert.StartsWith("arn:aws:cloudformation:us-east-1:123456789012:stack/media/", created.StackId, StringComparison.Ordinal);
        Assert.Equal(("CREATE_COMPLETE", "AVAILABLE"), (ready!.Status, ready.ExecutionStatus));
        Assert.Equal(["Logs", "Media", "Topic"], ready.Changes!.Select(c => c.ResourceChange!.LogicalResourceId).Order(StringComparer.Ordinal));
        Assert.All(ready.Changes!, c => Assert.Equal("Add", c.ResourceChange!.Action));
        Assert.Equal("staging", ready.Parameters!.Single(p => p.ParameterKey == "Env").ParameterValue);
        Assert.Equal("REVIEW_IN_PROGRESS", await StatusAsync(api));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeWholeChangeSet_ConcatenatesEveryPageOfChanges()
    {
        var (simulator, api) = await StartAsync(new CloudFormationScenario { ChangesPageSize = 1 });
        await using var _ = simulator;
        await ChangeSetAsync(simulator, api, "create-1", "CREATE", CfnTestBed.BaseTemplate);
        simulator.Requests.Clear();

        var whole = await api.DescribeWholeChangeSetAsync(new DescribeChangeSetRequest { StackName = Stack, ChangeSetName = "create-1" }, Ct);

        Assert.Equal(3, whole.Changes!.Count);
        Assert.Equal(3, whole.Changes.Select(c => c.ResourceChange!.LogicalResourceId).Distinct().Count());
        Assert.Null(whole.NextToken);
        Assert.Equal(3, simulator.Requests.For("DescribeChangeSet").Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ExecuteChangeSet_ThenStackCreateCompleteWaiter_OnTheSharedClock_ReturnsTheStackWithOutputs()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await ChangeSetAsync(simulator, api, "create-1", "CREATE", CfnTestBed.BaseTemplate);

        await api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = Stack, ChangeSetName = "create-1", ClientRequestToken = "deploy-1" }, Ct);
        var done = await SimulatorClients.DriveAsync(simulator.Clock,
            () => api.WaitUntilStackCreateCompleteAsync(new DescribeStacksRequest { StackName = Stack }, simulator.Clock, Ct));

        var stack = Assert.Single(done!.Stacks!);
        Assert.Equal("CREATE_COMPLETE", stack.StackStatus);
        var outputs = stack.Outputs!.ToDictionary(o => o.OutputKey!, o => o.OutputValue);
        Assert.Equal("media-prod", outputs["MediaBucket"]);
        Assert.Equal("arn:aws:s3:::media-prod", outputs["MediaArn"]);
        Assert.Equal("media-MediaArn", stack.Outputs!.Single(o => o.OutputKey == "MediaArn").ExportName);
        var polls = simulator.Requests.For("DescribeStacks");
        Assert.All(polls.Zip(polls.Skip(1)), p => Assert.True(p.Second.Time - p.First.Time >= TimeSpan.FromSeconds(30), "30 s (model delay) between polls"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeAllStackEvents_PagesNewestFirstWithTheOperationsToken()
    {
        var (simulator, api) = await StartAsync(new CloudFormationScenario { EventsPageSize = 2 });
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        simulator.Requests.Clear();

        var events = new List<StackEvent>();
        await foreach (var e in api.DescribeAllStackEventsAsync(new DescribeStackEventsRequest { StackName = Stack }, Ct))
        {
            events.Add(e);
        }

        Assert.Equal(("media", "CREATE_COMPLETE"), (events[0].LogicalResourceId, events[0].ResourceStatus));
        Assert.Equal(("media", "REVIEW_IN_PROGRESS"), (events[^1].LogicalResourceId, events[^1].ResourceStatus));
        Assert.Equal(events.OrderByDescending(e => e.Timestamp).Select(e => e.EventId), events.Select(e => e.EventId));
        Assert.Contains(events, e => e is { LogicalResourceId: "Logs", ResourceStatus: "CREATE_COMPLETE", ClientRequestToken: "create-1" });
        Assert.Equal((events.Count + 1) / 2, simulator.Requests.For("DescribeStackEvents").Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListChangeSets_AndListAllChangeSets_ReturnTheSummaries()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        await ChangeSetAsync(simulator, api, "update-1", "UPDATE", Retention("60"));

        var page = await api.ListChangeSetsAsync(new ListChangeSetsRequest { StackName = Stack }, Ct);
        var all = new List<ChangeSetSummary>();
        await foreach (var s in api.ListAllChangeSetsAsync(new ListChangeSetsRequest { StackName = Stack }, Ct))
        {
            all.Add(s);
        }

        var summary = page.Summaries!.Single(s => s.ChangeSetName == "update-1");
        Assert.Equal(("CREATE_COMPLETE", "AVAILABLE", Stack), (summary.Status, summary.ExecutionStatus, summary.StackName));
        Assert.Equal(page.Summaries!.Select(s => s.ChangeSetId), all.Select(s => s.ChangeSetId));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeleteChangeSet_ThenDescribeChangeSet_ThrowsChangeSetNotFoundException()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        await ChangeSetAsync(simulator, api, "update-1", "UPDATE", Retention("60"));

        await api.DeleteChangeSetAsync(new DeleteChangeSetRequest { StackName = Stack, ChangeSetName = "update-1" }, Ct);
        var error = await Assert.ThrowsAsync<ChangeSetNotFoundException>(() =>
            api.DescribeChangeSetAsync(new DescribeChangeSetRequest { StackName = Stack, ChangeSetName = "update-1" }, Ct));

        Assert.Equal(("ChangeSetNotFound", System.Net.HttpStatusCode.NotFound), (error.ErrorCode, error.StatusCode));
        Assert.Contains("update-1", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeStackResources_GetTemplate_ValidateTemplate_DescribeTheDeployedStack()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);

        var resources = await api.DescribeStackResourcesAsync(new DescribeStackResourcesRequest { StackName = Stack }, Ct);
        var template = await api.GetTemplateAsync(new GetTemplateRequest { StackName = Stack }, Ct);
        var validated = await api.ValidateTemplateAsync(new ValidateTemplateRequest { TemplateBody = CfnTestBed.BaseTemplate }, Ct);

        Assert.Equal(["Logs", "Media", "Topic"], resources.StackResources!.Select(r => r.LogicalResourceId).Order(StringComparer.Ordinal));
        Assert.All(resources.StackResources!, r => Assert.Equal("CREATE_COMPLETE", r.ResourceStatus));
        Assert.Equal("media-prod", resources.StackResources!.Single(r => r.LogicalResourceId == "Media").PhysicalResourceId);
        Assert.Contains("OTT media stack", template.TemplateBody, StringComparison.Ordinal);
        Assert.Equal("OTT media stack", validated.Description);
        Assert.Equal(["DbPassword", "Env", "Retention"], validated.Parameters!.Select(p => p.ParameterKey).Order(StringComparer.Ordinal));
        Assert.True(validated.Parameters!.Single(p => p.ParameterKey == "DbPassword").NoEcho);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ValidateTemplate_Malformed_ThrowsCloudFormationValidationError()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;

        var error = await Assert.ThrowsAsync<CloudFormationException>(() =>
            api.ValidateTemplateAsync(new ValidateTemplateRequest { TemplateBody = "{ \"Resources\": " }, Ct));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.StartsWith("Template format error", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UpdateTerminationProtection_BlocksDeleteStack_UntilDisabled_ThenStackDeleteCompleteWaiterSucceeds()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);

        await api.UpdateTerminationProtectionAsync(new UpdateTerminationProtectionRequest { StackName = Stack, EnableTerminationProtection = true }, Ct);
        var protectedStack = (await api.DescribeStacksAsync(new DescribeStacksRequest { StackName = Stack }, Ct)).Stacks![0];
        var refused = await Assert.ThrowsAsync<CloudFormationException>(() => api.DeleteStackAsync(new DeleteStackRequest { StackName = Stack }, Ct));
        await api.UpdateTerminationProtectionAsync(new UpdateTerminationProtectionRequest { StackName = Stack, EnableTerminationProtection = false }, Ct);
        await api.DeleteStackAsync(new DeleteStackRequest { StackName = Stack }, Ct);
        await SimulatorClients.DriveAsync(simulator.Clock,
            () => api.WaitUntilStackDeleteCompleteAsync(new DescribeStacksRequest { StackName = Stack }, simulator.Clock, Ct));

        Assert.True(protectedStack.EnableTerminationProtection);
        Assert.Equal("ValidationError", refused.ErrorCode);
        Assert.Contains("TerminationProtection", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StackNotFoundException>(() => api.DescribeStacksAsync(new DescribeStacksRequest { StackName = Stack }, Ct));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SetStackPolicy_DenyingUpdates_MakesTheUpdateRollBack_AndStackUpdateCompleteWaiterFails()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        const string policy = """{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"},{"Effect":"Deny","Action":"Update:Modify","Principal":"*","Resource":"LogicalResourceId/Logs"}]}""";

        await api.SetStackPolicyAsync(new SetStackPolicyRequest { StackName = Stack, StackPolicyBody = policy }, Ct);
        await ChangeSetAsync(simulator, api, "update-1", "UPDATE", Retention("60"));
        await api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = Stack, ChangeSetName = "update-1" }, Ct);
        var error = await Assert.ThrowsAsync<AwsWaiterException>(() => SimulatorClients.DriveAsync(simulator.Clock,
            () => api.WaitUntilStackUpdateCompleteAsync(new DescribeStacksRequest { StackName = Stack }, simulator.Clock, Ct)));

        Assert.Equal(AwsWaiterFailureReason.FailureStateMatched, error.Reason);
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", await StatusAsync(api));
        var events = await api.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = Stack }, Ct);
        Assert.Contains(events.StackEvents!, e => e.LogicalResourceId == "Logs" && (e.ResourceStatusReason ?? "").StartsWith("Action denied by stack policy", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StackUpdateCompleteWaiter_OnTheSharedClock_ReturnsAfterAnUpdate()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        await ChangeSetAsync(simulator, api, "update-1", "UPDATE", Retention("60"));

        await api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = Stack, ChangeSetName = "update-1" }, Ct);
        var done = await SimulatorClients.DriveAsync(simulator.Clock,
            () => api.WaitUntilStackUpdateCompleteAsync(new DescribeStacksRequest { StackName = Stack }, simulator.Clock, Ct));

        Assert.Equal("UPDATE_COMPLETE", done!.Stacks![0].StackStatus);
        Assert.Equal("60", done.Stacks[0].Parameters!.Single(p => p.ParameterKey == "Retention").ParameterValue);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ContinueUpdateRollback_SkippingTheStuckResource_RecoversFromUpdateRollbackFailed()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.Update, "Invalid retention"));
        simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.UpdateRollback, "Modified outside CloudFormation"));
        await ChangeSetAsync(simulator, api, "update-1", "UPDATE", Retention("60"));
        await api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = Stack, ChangeSetName = "update-1" }, Ct);
        Assert.Equal("UPDATE_ROLLBACK_FAILED", await SettleAsync(simulator, api));

        await api.ContinueUpdateRollbackAsync(new ContinueUpdateRollbackRequest { StackName = Stack, ResourcesToSkip = ["Logs"] }, Ct);

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", await SettleAsync(simulator, api));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CancelUpdateStack_DuringAnUpdate_RollsItBack()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        await ChangeSetAsync(simulator, api, "update-1", "UPDATE", Retention("60"));
        await api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = Stack, ChangeSetName = "update-1" }, Ct);
        simulator.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("UPDATE_IN_PROGRESS", await StatusAsync(api));

        await api.CancelUpdateStackAsync(new CancelUpdateStackRequest { StackName = Stack }, Ct);

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", await SettleAsync(simulator, api));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RollbackStack_AfterACreateFailedWithDoNothing_EndsInRollbackComplete()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        simulator.FailResource(new CfnResourceFailure("Topic", CfnResourceOperation.Create, "Topic limit reached"));
        await ChangeSetAsync(simulator, api, "create-1", "CREATE", CfnTestBed.BaseTemplate, onStackFailure: "DO_NOTHING");
        await api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = Stack, ChangeSetName = "create-1" }, Ct);
        Assert.Equal("CREATE_FAILED", await SettleAsync(simulator, api));

        var rolled = await api.RollbackStackAsync(new RollbackStackRequest { StackName = Stack, ClientRequestToken = "rollback-1" }, Ct);

        Assert.StartsWith("arn:aws:cloudformation:us-east-1:123456789012:stack/media/", rolled.StackId, StringComparison.Ordinal);
        Assert.Equal("ROLLBACK_COMPLETE", await SettleAsync(simulator, api));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DetectStackDrift_ThenDescribeStackDriftDetectionStatus_ReportsTheDriftedResource()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        simulator.MarkDrifted(Stack, "Logs");

        var detection = await api.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = Stack }, Ct);
        var first = await api.DescribeStackDriftDetectionStatusAsync(new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = detection.StackDriftDetectionId }, Ct);
        simulator.Clock.Advance(TimeSpan.FromSeconds(15));
        var done = await api.DescribeStackDriftDetectionStatusAsync(new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = detection.StackDriftDetectionId }, Ct);

        Assert.Equal("DETECTION_IN_PROGRESS", first.DetectionStatus);
        Assert.Equal(("DETECTION_COMPLETE", "DRIFTED", 1), (done.DetectionStatus, done.StackDriftStatus, done.DriftedStackResourceCount));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeStacks_ForAMissingStack_ThrowsStackNotFoundException()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;

        var error = await Assert.ThrowsAsync<StackNotFoundException>(() => api.DescribeStacksAsync(new DescribeStacksRequest { StackName = "ghost" }, Ct));

        Assert.Equal(("ValidationError", "Stack with id ghost does not exist"), (error.ErrorCode, error.Message));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeChangeSet_ForAMissingChangeSet_ThrowsChangeSetNotFoundException()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);

        var error = await Assert.ThrowsAsync<ChangeSetNotFoundException>(() =>
            api.DescribeChangeSetAsync(new DescribeChangeSetRequest { StackName = Stack, ChangeSetName = "nope" }, Ct));

        Assert.Equal("ChangeSetNotFound", error.ErrorCode);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ChangeSetCreateCompleteWaiter_WhenNothingChanged_FailsWithTheDidntContainChangesReason()
    {
        var (simulator, api) = await StartAsync();
        await using var _ = simulator;
        await CreateStackAsync(simulator, api);
        await api.CreateChangeSetAsync(new CreateChangeSetRequest { StackName = Stack, ChangeSetName = "same", ChangeSetType = "UPDATE", TemplateBody = CfnTestBed.BaseTemplate }, Ct);

        var error = await Assert.ThrowsAsync<AwsWaiterException>(() => ChangeSetReadyAsync(simulator, api, "same"));
        var described = await api.DescribeChangeSetAsync(new DescribeChangeSetRequest { StackName = Stack, ChangeSetName = "same" }, Ct);

        Assert.Equal(AwsWaiterFailureReason.FailureStateMatched, error.Reason);
        Assert.Equal("FAILED", described.Status);
        Assert.StartsWith("The submitted information didn't contain changes.", described.StatusReason, StringComparison.Ordinal);
    }
}
