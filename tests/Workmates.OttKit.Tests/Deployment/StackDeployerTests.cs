using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators.Aws;
using static Workmates.OttKit.Tests.Deployment.StackTestBed;

namespace Workmates.OttKit.Tests.Deployment;

public sealed class StackDeployerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_NewStack_CreatesItFromTheArtifactAndProtectsIt()
    {
        await using var bed = await StartAsync();

        var result = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)))).Stacks);

        Assert.Equal(StackDeploymentOutcome.Created, result.Outcome);
        Assert.Equal("CREATE_COMPLETE", result.FinalStatus);
        Assert.Equal(StackPlanAction.Create, result.Plan!.Action);
        Assert.Equal(["Logs", "Media", "Topic", "Worker"], result.Plan.Changes.Select(c => c.LogicalId).Order(StringComparer.Ordinal));
        Assert.All(result.Plan.Changes, c => Assert.Equal("Add", c.Action));
        var key = Assert.Single(bed.Artifacts.Keys);
        Assert.Matches(@"^prod/prod-media/\d{8}T\d{6}Z-[0-9a-f]{12}\.yaml$", key);
        Assert.Equal(new Uri(bed.Artifacts.BaseUrl, key), result.Plan.TemplateUrl);
        var calls = bed.Calls();
        var stack = (await bed.CloudFormationClient(Home).DescribeStacksAsync(new DescribeStacksRequest { StackName = "prod-media" }, Ct)).Stacks![0];
        Assert.True(stack.EnableTerminationProtection);
        Assert.Equal(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"], stack.Capabilities);
        Assert.Equal(["DescribeStacks", "CreateChangeSet", "DescribeChangeSet"], calls.Take(3));
        Assert.Single(calls, "ExecuteChangeSet");
        Assert.Equal("UpdateTerminationProtection", calls[^1]);
        Assert.DoesNotContain("DeleteChangeSet", calls);
        var events = bed.EventsOf("prod-media");
        Assert.IsType<TemplateUploaded>(events[0]);
        Assert.Contains(events, e => e is ChangeSetCreated { ChangeSetType: "CREATE" });
        var resourceEvents = events.OfType<StackResourceEvent>().ToList();
        Assert.Equal("CREATE_IN_PROGRESS", resourceEvents[0].Status);
        Assert.True(resourceEvents[0].IsStackEvent);
        Assert.Equal("CREATE_COMPLETE", resourceEvents[^1].Status);
        Assert.Equal(4, resourceEvents.Count(e => e.Status == "CREATE_COMPLETE" && !e.IsStackEvent));
        Assert.Equal(resourceEvents.OrderBy(e => e.At), resourceEvents);
        Assert.IsType<StackDeploymentFinished>(events[^1]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task PlanAsync_ChangedTemplate_ShowsEveryResourceChangeAndLeavesTheStackAsItWas()
    {
        await using var bed = await StartAsync();
        await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)));
        bed.ClearLogs();

        var plan = await bed.RunAsync(bed.NewDeployer().PlanAsync(SetOf(StackOf("prod-media", StackTemplates.MediaV2)), bed.Options(), Ct));

        var stackPlan = Assert.Single(plan.Stacks);
        Assert.True(plan.HasChanges);
        Assert.Equal(StackPlanAction.Update, stackPlan.Action);
        var changes = stackPlan.Changes.ToDictionary(c => c.LogicalId);
        Assert.Equal(("Modify", ResourceReplacement.True, "BucketName"), (changes["Media"].Action, changes["Media"].Replacement, Assert.Single(changes["Media"].ChangedProperties)));
        Assert.Equal(("Modify", ResourceReplacement.False, "RetentionInDays"), (changes["Logs"].Action, changes["Logs"].Replacement, Assert.Single(changes["Logs"].ChangedProperties)));
        Assert.Equal((ResourceReplacement.Conditional, "UserData"), (changes["Worker"].Replacement, Assert.Single(changes["Worker"].ChangedProperties)));
        Assert.Equal("Remove", changes["Topic"].Action);
        Assert.Equal(("Add", "AWS::SQS::Queue"), (changes["Queue"].Action, changes["Queue"].ResourceType));
        Assert.Equal("CREATE_COMPLETE", bed.Cfn.StackStatus("prod-media"));
        var calls = bed.Calls();
        Assert.DoesNotContain("ExecuteChangeSet", calls);
        Assert.Single(calls, "DeleteChangeSet");
        var left = await bed.CloudFormationClient(Home).ListChangeSetsAsync(new ListChangeSetsRequest { StackName = "prod-media" }, Ct);
        Assert.DoesNotContain(left.Summaries ?? [], c => c.ExecutionStatus == "AVAILABLE");
        Assert.Equal(StackDeploymentOutcome.Planned, bed.EventsOf("prod-media").OfType<StackDeploymentFinished>().Single().Result.Outcome);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_UnchangedTemplate_ReportsNoChangesAndDeletesTheChangeSet()
    {
        await using var bed = await StartAsync();
        var set = SetOf(StackOf("prod-media", StackTemplates.Media));
        await bed.DeployAsync(set);
        bed.ClearLogs();

        var result = Assert.Single((await bed.DeployAsync(set)).Stacks);

        Assert.Equal(StackDeploymentOutcome.NoChanges, result.Outcome);
        Assert.True(result.IsSuccess);
        Assert.Equal(StackPlanAction.NoChanges, result.Plan!.Action);
        Assert.Equal("No changes.", result.Message);
        var calls = bed.Calls();
        Assert.Equal(["DescribeStacks", "CreateChangeSet"], calls.Take(2));
        Assert.Equal("DeleteChangeSet", calls[^1]);
        Assert.DoesNotContain("ExecuteChangeSet", calls);
        Assert.Equal("CREATE_COMPLETE", bed.Cfn.StackStatus("prod-media"));
        Assert.DoesNotContain(bed.Events, e => e is StackResourceEvent);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_ResourceFailsOnCreate_ReportsTheFirstFailedResourceAsRootCause()
    {
        await using var bed = await StartAsync();
        bed.Cfn.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.Create, "Resource handler returned message: \"KMS key is pending deletion\""));

        var result = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)))).Stacks);

        Assert.Equal(StackDeploymentOutcome.RolledBack, result.Outcome);
        Assert.False(result.IsSuccess);
        Assert.Equal("ROLLBACK_COMPLETE", result.FinalStatus);
        Assert.Equal(("Logs", "AWS::Logs::LogGroup", "CREATE_FAILED", "Resource handler returned message: \"KMS key is pending deletion\""),
            (result.RootCause!.LogicalId, result.RootCause.ResourceType, result.RootCause.Status, result.RootCause.Reason));
        Assert.Equal(
            "Creating prod-media failed: Logs (AWS::Logs::LogGroup) CREATE_FAILED: Resource handler returned message: \"KMS key is pending deletion\". "
            + "The stack is in ROLLBACK_COMPLETE and must be deleted before it can be created again: fix the cause, then deploy with --delete-failed-new-stack (DeleteFailedNewStack).",
            result.Message);
        var events = bed.EventsOf("prod-media").OfType<StackResourceEvent>().ToList();
        Assert.Equal("ROLLBACK_COMPLETE", events[^1].Status);
        Assert.Contains(events, e => e.Status == "DELETE_COMPLETE");
        Assert.DoesNotContain("UpdateTerminationProtection", bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_FailedNewStack_IsBlockedUntilAskedAndThenDeletedAndCreatedAgain()
    {
        await using var bed = await StartAsync();
        var set = SetOf(StackOf("prod-media", StackTemplates.Media));
        bed.Cfn.FailResource(new CfnResourceFailure("Topic", CfnResourceOperation.Create, "Topic quota exceeded"));
        await bed.DeployAsync(set);
        bed.Cfn.ClearFailures();
        bed.ClearLogs();

        var blocked = Assert.Single((await bed.DeployAsync(set)).Stacks);
        var blockedCalls = bed.Calls();
        bed.ClearLogs();
        var recreated = Assert.Single((await bed.DeployAsync(set, o => o.DeleteFailedNewStack = true)).Stacks);

        Assert.Equal(StackDeploymentOutcome.Blocked, blocked.Outcome);
        Assert.Equal(
            "Stack prod-media is in ROLLBACK_COMPLETE: its first create failed, and CloudFormation cannot update it. It must be deleted before it can be created again: "
            + "deploy with --delete-failed-new-stack (DeleteFailedNewStack) to delete it and create it anew.",
            blocked.Message);
        Assert.Equal(["DescribeStacks"], blockedCalls);
        Assert.Equal(StackDeploymentOutcome.Created, recreated.Outcome);
        Assert.Equal(["deleted the failed new stack (ROLLBACK_COMPLETE) to create it again"], recreated.Recoveries);
        var calls = bed.Calls().ToList();
        Assert.True(calls.IndexOf("DeleteStack") < calls.IndexOf("CreateChangeSet"));
        Assert.Contains(bed.Events, e => e is StackResourceEvent { IsStackEvent: true, Status: "DELETE_COMPLETE" });
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_ResourceFailsOnUpdate_RollsBackAndReportsTheRootCause()
    {
        await using var bed = await StartAsync();
        await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)));
        bed.Cfn.FailResource(new CfnResourceFailure("Topic", CfnResourceOperation.Update, "Invalid parameter: DisplayName"));

        var result = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.MediaRetention90)))).Stacks);

        Assert.Equal(StackDeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", result.FinalStatus);
        Assert.Equal(("Topic", "UPDATE_FAILED", "Invalid parameter: DisplayName"), (result.RootCause!.LogicalId, result.RootCause.Status, result.RootCause.Reason));
        Assert.StartsWith("Updating prod-media failed: Topic (AWS::SNS::Topic) UPDATE_FAILED: Invalid parameter: DisplayName.", result.Message, StringComparison.Ordinal);
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", bed.EventsOf("prod-media").OfType<StackResourceEvent>().Last().Status);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_UpdateRollbackFailed_NamesTheResourcesToSkipAndRecoversWhenAsked()
    {
        await using var bed = await StartAsync();
        await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)));
        bed.Cfn.FailResource(new CfnResourceFailure("Topic", CfnResourceOperation.Update, "Invalid parameter: DisplayName"));
        bed.Cfn.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.UpdateRollback, "Log group was modified outside CloudFormation"));
        var v2 = SetOf(StackOf("prod-media", StackTemplates.MediaRetention90));

        var stuck = Assert.Single((await bed.DeployAsync(v2)).Stacks);
        bed.Cfn.ClearFailures();
        bed.ClearLogs();
        var recovered = Assert.Single((await bed.DeployAsync(v2, o => o.ContinueUpdateRollback = true)).Stacks);

        Assert.Equal(StackDeploymentOutcome.Failed, stuck.Outcome);
        Assert.Equal("UPDATE_ROLLBACK_FAILED", stuck.FinalStatus);
        Assert.Equal("Topic", stuck.RootCause!.LogicalId);
        Assert.Equal(
            "Updating prod-media failed: Topic (AWS::SNS::Topic) UPDATE_FAILED: Invalid parameter: DisplayName. The rollback failed too: these resources failed to roll back: "
            + "Logs (AWS::Logs::LogGroup): Log group was modified outside CloudFormation. Recover with --continue-update-rollback (ContinueUpdateRollback): it continues the rollback "
            + "and skips Logs, which CloudFormation then marks as rolled back although they were not — check them by hand.",
            stuck.Message);
        Assert.Equal(StackDeploymentOutcome.Updated, recovered.Outcome);
        Assert.Equal(["continued the update rollback skipping Logs"], recovered.Recoveries);
        var calls = bed.Calls().ToList();
        Assert.True(calls.IndexOf("ContinueUpdateRollback") < calls.IndexOf("CreateChangeSet"));
        Assert.Contains(bed.Events, e => e is StackRecoveryStarted { Description: "continued the update rollback skipping Logs" });
        Assert.Contains(bed.Events, e => e is StackResourceEvent { IsStackEvent: true, Status: "UPDATE_ROLLBACK_COMPLETE" });
        Assert.Equal("UPDATE_COMPLETE", bed.Cfn.StackStatus("prod-media"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_StackLeftInReviewInProgress_DeletesTheLeftoverAndCreates()
    {
        await using var bed = await StartAsync();
        var api = bed.CloudFormationClient(Home);
        await api.CreateChangeSetAsync(new CreateChangeSetRequest { StackName = "prod-media", ChangeSetName = "abandoned", ChangeSetType = "CREATE", TemplateBody = StackTemplates.Media }, Ct);
        Assert.Equal("REVIEW_IN_PROGRESS", bed.Cfn.StackStatus("prod-media"));
        bed.ClearLogs();

        var result = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)))).Stacks);

        Assert.Equal(StackDeploymentOutcome.Created, result.Outcome);
        Assert.Equal(["deleted a stack left in REVIEW_IN_PROGRESS (a create change set that was never executed)"], result.Recoveries);
        Assert.Equal(["DescribeStacks", "DeleteStack"], bed.Calls().Take(2));
        var changeSets = await api.ListChangeSetsAsync(new ListChangeSetsRequest { StackName = "prod-media" }, Ct);
        Assert.DoesNotContain(changeSets.Summaries ?? [], s => s.ChangeSetName == "abandoned");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_AfterAServiceDeploy_KeepsTheImageTheServiceRuns()
    {
        await using var bed = await StartAsync();
        await bed.DeployAsync(SetOf(StackOf("prod-web", StackTemplates.Web)), o => o.InitialImageTags["prod-web"] = "1");
        var serviceDeploy = await bed.RunAsync(new ServiceDeployer(bed.EcsClient(Home), bed.Clock)
            .DeployImageAsync("prod", "web", "registry.example/web:2", new ServiceDeployOptions(), Ct));
        Assert.Equal(ServiceDeploymentOutcome.Succeeded, serviceDeploy.Outcome);
        bed.ClearLogs();

        // An unrelated change that still re-registers the task definition: the case that used to revert the image.
        var unrelated = StackTemplates.Web.Replace("\"Default\": \"info\"", "\"Default\": \"debug\"", StringComparison.Ordinal);
        var result = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-web", unrelated)))).Stacks);

        Assert.Equal(StackDeploymentOutcome.Updated, result.Outcome);
        Assert.Equal("2", result.Plan!.Parameters["ImageTag"]);
        Assert.Contains(result.Plan.Changes, c => c is { LogicalId: "Task", Replacement: ResourceReplacement.True });
        var running = Assert.Single(bed.Ecs.RunningTaskDefinitions("prod", "web"));
        var described = await bed.EcsClient(Home).DescribeTaskDefinitionAsync(new() { TaskDefinition = running }, Ct);
        var container = Assert.Single(described.TaskDefinition!.ContainerDefinitions!);
        Assert.Equal("registry.example/web:2", container.Image);
        Assert.Contains(container.Environment!, e => e.Name == "LOG_LEVEL" && e.Value == "debug");
        var ecsCalls = bed.Ecs.Requests.Entries.Select(e => e.Operation).ToList();
        Assert.Equal(["DescribeServices", "DescribeTaskDefinition"], ecsCalls.Take(2));
        var parameters = (await bed.CloudFormationClient(Home).DescribeStacksAsync(new DescribeStacksRequest { StackName = "prod-web" }, Ct)).Stacks![0].Parameters!;
        Assert.Equal("2", parameters.Single(p => p.ParameterKey == "ImageTag").ParameterValue);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_NewServiceStackWithoutAnInitialTag_WaitsForItsImageAndSoDoItsDependents_WithoutFailing()
    {
        await using var bed = await StartAsync();
        var set = SetOf(
            StackOf("prod-web", StackTemplates.Web),
            StackOf("prod-a", StackTemplates.Topic("a")),
            StackOf("prod-d", StackTemplates.Topic("d"), dependsOn: ["prod-web"]));

        var result = await bed.DeployAsync(set);

        // The first infrastructure run: the image does not exist yet, so the stack (and what depends on it) waits for
        // the first run of the workflow that pushes it; everything else is created and the run succeeds.
        Assert.True(result.IsSuccess);
        Assert.Equal([StackDeploymentOutcome.WaitsForImage, StackDeploymentOutcome.Created, StackDeploymentOutcome.WaitsForImage], result.Stacks.Select(s => s.Outcome));
        Assert.Equal(
            "Stack prod-web is new and runs an image no workflow has pushed yet: it waits for the first run of the workflow that builds that image "
            + "(.github/workflows/deploy-<service>.yml in the service's repository, or backup-image-<environment>.yml for the backup task), which creates it with "
            + "ottkit deploy stacks --stack prod-web --create-only --image-tag prod-web=<tag>. Later deploys keep the tag the service runs.",
            result.Stacks[0].Message);
        Assert.Equal(StackPlanAction.Deferred, result.Stacks[2].Plan!.Action);
        Assert.Contains("depends on prod-web, which waits for its first image", result.Stacks[2].Message, StringComparison.Ordinal);
        Assert.Null(bed.Cfn.StackStatus("prod-web"));
        Assert.Null(bed.Cfn.StackStatus("prod-d"));
        Assert.Equal("CREATE_COMPLETE", bed.Cfn.StackStatus("prod-a"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_CreateOnly_CreatesANewStackWithItsFirstTagAndLeavesAnExistingOneAlone()
    {
        await using var bed = await StartAsync();
        var set = SetOf(StackOf("prod-web", StackTemplates.Web));

        var first = Assert.Single((await bed.DeployAsync(set, o => { o.CreateOnly = true; o.InitialImageTags["prod-web"] = "1"; })).Stacks);
        Assert.Equal(StackDeploymentOutcome.Created, first.Outcome);
        Assert.Equal("1", first.Plan!.Parameters["ImageTag"]);
        bed.ClearLogs();

        // The image workflow's next run: the stack exists, so nothing is planned or changed (not even its image).
        var unrelated = StackTemplates.Web.Replace("\"Default\": \"info\"", "\"Default\": \"debug\"", StringComparison.Ordinal);
        var again = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-web", unrelated)), o => { o.CreateOnly = true; o.InitialImageTags["prod-web"] = "2"; })).Stacks);

        Assert.Equal(StackDeploymentOutcome.NoChanges, again.Outcome);
        Assert.Contains("a create-only run leaves it alone", again.Message, StringComparison.Ordinal);
        Assert.Equal(["DescribeStacks"], bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_IndependentStacks_DeployInParallelWithinTheBoundAndDependentsWait()
    {
        await using var bed = await StartAsync();
        var set = SetOf(
            StackOf("prod-a", StackTemplates.Topic("a")),
            StackOf("prod-b", StackTemplates.Topic("b")),
            StackOf("prod-c", StackTemplates.Topic("c")),
            StackOf("prod-d", StackTemplates.Topic("d"), dependsOn: ["prod-a"]));

        var probe = new ConcurrencyProbe(bed.Artifacts, expected: 2);

        var result = await bed.DeployAsync(set, o => o.MaxParallelStacks = 2, probe);

        Assert.True(result.IsSuccess);
        Assert.Equal(["prod-a", "prod-b", "prod-c", "prod-d"], result.Stacks.Select(s => s.StackName));
        Assert.Equal(2, probe.MaxInFlight);
        var a = bed.EventsOf("prod-a").OfType<StackDeploymentFinished>().Single().At;
        var d = bed.EventsOf("prod-d").OfType<TemplateUploaded>().Single().At;
        Assert.True(d >= a, "d started before a finished");
        Assert.All(result.Stacks, s => Assert.Equal("CREATE_COMPLETE", bed.Cfn.StackStatus(s.StackName)));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_DependencyFails_SkipsTheStacksThatDependOnIt()
    {
        await using var bed = await StartAsync();
        bed.Cfn.FailResource(new CfnResourceFailure("Topic", CfnResourceOperation.Create, "boom") { StackName = "prod-a" });
        var set = SetOf(StackOf("prod-a", StackTemplates.Topic("a")), StackOf("prod-d", StackTemplates.Topic("d"), dependsOn: ["prod-a"]));

        var result = await bed.DeployAsync(set);

        Assert.Equal([StackDeploymentOutcome.RolledBack, StackDeploymentOutcome.Skipped], result.Stacks.Select(s => s.Outcome));
        Assert.Equal("Not deployed: stack 'prod-a', which it depends on, ended RolledBack.", result.Stacks[1].Message);
        Assert.Null(bed.Cfn.StackStatus("prod-d"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_CrossRegionValueFrom_PassesTheOutputOfTheStackInTheOtherRegion()
    {
        await using var bed = await StartAsync(null, "eu-west-1");
        var set = SetOf(
            StackOf("prod-edge", StackTemplates.Waf),
            StackOf("prod-cdn", StackTemplates.Cdn, "eu-west-1", valueFrom: new Dictionary<string, Workmates.OttKit.Blueprint.StackOutputReference> { ["WebAclArn"] = new("prod-edge", "WebAclArn") }));

        var plan = await bed.RunAsync(bed.NewDeployer().PlanAsync(set, bed.Options(), Ct));
        var result = await bed.DeployAsync(set);

        Assert.Equal([StackPlanAction.Create, StackPlanAction.Deferred], plan.Stacks.Select(s => s.Action));
        Assert.Equal("Parameter WebAclArn of prod-cdn takes output WebAclArn of stack prod-edge, which is not deployed yet: its value is known after prod-edge is deployed.", plan.Stacks[1].Reason);
        Assert.True(result.IsSuccess, string.Join("; ", result.Stacks.Select(s => $"{s.StackName} {s.Outcome} {s.Message}")));
        var edge = (await bed.CloudFormationClient(Home).DescribeStacksAsync(new DescribeStacksRequest { StackName = "prod-edge" }, Ct)).Stacks![0];
        var cdn = (await bed.CloudFormationClient("eu-west-1").DescribeStacksAsync(new DescribeStacksRequest { StackName = "prod-cdn" }, Ct)).Stacks![0];
        var arn = edge.Outputs!.Single(o => o.OutputKey == "WebAclArn").OutputValue;
        Assert.Equal(arn, cdn.Parameters!.Single(p => p.ParameterKey == "WebAclArn").ParameterValue);
        Assert.Equal(arn, result.Stacks[1].Plan!.Parameters["WebAclArn"]);
        Assert.Null(bed.Cfn.StackStatus("prod-cdn"));
        Assert.Null(bed.CloudFormation["eu-west-1"].StackStatus("prod-edge"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task PlanAsync_DetectDrift_ShowsTheDriftedResources()
    {
        await using var bed = await StartAsync();
        await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)));
        bed.Cfn.MarkDrifted("prod-media", "Logs");
        bed.ClearLogs();

        var plan = await bed.RunAsync(bed.NewDeployer().PlanAsync(SetOf(StackOf("prod-media", StackTemplates.Media)), bed.Options(o => o.DetectDrift = true), Ct));

        var stackPlan = Assert.Single(plan.Stacks);
        Assert.Equal(StackPlanAction.NoChanges, stackPlan.Action);
        Assert.Equal("DRIFTED", stackPlan.Drift!.Status);
        Assert.Equal([new DriftedResource("Logs", "AWS::Logs::LogGroup", "MODIFIED")], stackPlan.Drift.Resources);
        Assert.Equal(["DescribeStacks", "DetectStackDrift", "DescribeStackDriftDetectionStatus"], bed.Calls().Take(3));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_ReplacingADataVolume_IsMarkedInThePlanAndDeniedByTheStackPolicy()
    {
        await using var bed = await StartAsync();
        await bed.DeployAsync(SetOf(StackOf("prod-database", StackTemplates.Data)));
        Assert.Contains("SetStackPolicy", bed.Calls());

        var result = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-database", StackTemplates.DataVolumeMoved)))).Stacks);

        var change = Assert.Single(result.Plan!.Changes);
        Assert.Equal(("DataVolume", ResourceReplacement.True, true), (change.LogicalId, change.Replacement, change.Protected));
        Assert.Equal(StackDeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal("DataVolume", result.RootCause!.LogicalId);
        Assert.StartsWith("Action denied by stack policy", result.RootCause.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployAsync_UnknownStackName_ThrowsBeforeAnyCall()
    {
        await using var bed = await StartAsync();

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() => bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)), o => o.StackNames.Add("prod-medai")));

        Assert.Equal(StackDeploymentErrorKind.UnknownStack, error.Kind);
        Assert.Equal("The stack set of 'prod' has no stack 'prod-medai'. Its stacks: prod-media.", error.Message);
        Assert.Empty(bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WatchStackEventsAsync_StreamsOnlyTheOperationsEventsInOrder()
    {
        await using var bed = await StartAsync();
        var result = Assert.Single((await bed.DeployAsync(SetOf(StackOf("prod-media", StackTemplates.Media)))).Stacks);

        var watched = new List<StackResourceEvent>();
        await foreach (var e in bed.NewDeployer().WatchStackEventsAsync(Home, "prod-media", result.ClientRequestToken!, cancellationToken: Ct))
        {
            watched.Add(e);
        }

        Assert.Equal(bed.EventsOf("prod-media").OfType<StackResourceEvent>(), watched);
    }

    /// <summary>Counts concurrent uploads (each stack uploads once); an upload waits (real time, bounded) until <c>expected</c> are in flight.</summary>
    private sealed class ConcurrencyProbe(ITemplateArtifactStore inner, int expected) : ITemplateArtifactStore
    {
        private readonly Lock _gate = new();
        private int _inFlight;

        public int MaxInFlight { get; private set; }

        public async Task<Uri> UploadAsync(string key, string body, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                _inFlight++;
                MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            }

            var until = DateTime.UtcNow.AddSeconds(1);
            while (DateTime.UtcNow < until && Volatile.Read(ref _inFlight) < expected)
            {
                await Task.Delay(5, cancellationToken);
            }

            await Task.Delay(50, cancellationToken);
            lock (_gate)
            {
                _inFlight--;
            }

            return await inner.UploadAsync(key, body, cancellationToken);
        }
    }
}
