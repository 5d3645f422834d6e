using Workmates.OttKit.Simulators.Aws;
using static Workmates.OttKit.Tests.Simulators.CfnTestBed;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class CloudFormationLifecycleTests
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task CreateChangeSet_NewStack_IsReviewInProgressAndChangeSetBecomesComplete()
    {
        await using var bed = await StartAsync();

        var created = await bed.Client.QueryOkAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "create-1"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate));
        var pending = await bed.Client.QueryOkAsync("DescribeChangeSet", ("ChangeSetName", Field(created, "Id")));
        var review = await bed.StatusAsync("media");
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var ready = await bed.Client.QueryOkAsync("DescribeChangeSet", ("ChangeSetName", "create-1"), ("StackName", "media"));

        Assert.Matches("^arn:aws:cloudformation:us-east-1:123456789012:changeSet/create-1/[0-9a-f-]{36}$", Field(created, "Id"));
        Assert.Matches("^arn:aws:cloudformation:us-east-1:123456789012:stack/media/[0-9a-f-]{36}$", Field(created, "StackId"));
        Assert.Equal("REVIEW_IN_PROGRESS", review);
        Assert.Equal(("CREATE_IN_PROGRESS", "UNAVAILABLE"), (Field(pending, "Status"), Field(pending, "ExecutionStatus")));
        Assert.Equal(("CREATE_COMPLETE", "AVAILABLE"), (Field(ready, "Status"), Field(ready, "ExecutionStatus")));
        Assert.Equal(["Media", "Logs", "Topic"], ChangesOf(ready).Select(c => Field(c, "LogicalResourceId")));
        Assert.All(ChangesOf(ready), c => Assert.Equal("Add", Field(c, "Action")));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ExecuteChangeSet_Create_ReachesCreateCompleteWithEventsInOrderAndToken()
    {
        await using var bed = await StartAsync();

        await bed.CreateStackAsync("media");
        var events = await bed.EventsAsync("media");

        var oldestFirst = events.AsEnumerable().Reverse().Select(e => $"{Field(e, "LogicalResourceId")} {Field(e, "ResourceStatus")}").ToList();
        Assert.Equal("media REVIEW_IN_PROGRESS", oldestFirst[0]);
        Assert.Equal("media CREATE_IN_PROGRESS", oldestFirst[1]);
        Assert.Equal("media CREATE_COMPLETE", oldestFirst[^1]);
        Assert.True(oldestFirst.IndexOf("Media CREATE_COMPLETE") < oldestFirst.IndexOf("Topic CREATE_IN_PROGRESS"), "Topic depends on Media");
        Assert.All(events.Take(events.Count - 1), e => Assert.Equal("deploy-create-1", Field(e, "ClientRequestToken")));
        var timestamps = events.Select(e => DateTimeOffset.Parse(Field(e, "Timestamp"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(timestamps.OrderByDescending(t => t), timestamps);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeStacks_AfterCreate_ResolvesOutputsToPhysicalIds()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");

        var stack = await bed.StackAsync("media");
        var resources = await bed.Client.QueryOkAsync("DescribeStackResources", ("StackName", "media"));

        var physical = resources.Element(Ns + "StackResources")!.Elements(Ns + "member").ToDictionary(r => Field(r, "LogicalResourceId"), r => Field(r, "PhysicalResourceId"));
        var outputs = OutputsOf(stack);
        Assert.Equal("media-prod", physical["Media"]);
        Assert.Equal("media-prod", outputs["MediaBucket"]);
        Assert.Equal("arn:aws:s3:::media-prod", outputs["MediaArn"]);
        Assert.Equal($"us-east-1/{physical["Logs"]}", outputs["Where"]);
        Assert.Equal("OTT media stack", Field(stack, "Description"));
        Assert.Contains(stack.Element(Ns + "Parameters")!.Elements(Ns + "member"), p => Field(p, "ParameterKey") == "DbPassword" && Field(p, "ParameterValue") == "****");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task UpdateChangeSet_ReportsAddModifyRemoveReplacementAndPropertyNames()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        var updated = With(With(BaseTemplate,
                "\"Topic\": { \"Type\": \"AWS::SNS::Topic\"", "\"Queue\": { \"Type\": \"AWS::SQS::Queue\", \"Properties\": {} }, \"Topic2\": { \"Type\": \"AWS::SNS::Topic\""),
            "\"BucketName\": { \"Fn::Sub\": \"media-${Env}\" }", "\"BucketName\": { \"Fn::Sub\": \"media-v2-${Env}\" }");

        var changeSet = await bed.ChangeSetAsync("media", "update-1", "UPDATE", updated, ("Parameters.member.1.ParameterKey", "Retention"), ("Parameters.member.1.ParameterValue", "90"));

        var changes = ChangesOf(changeSet).ToDictionary(c => Field(c, "LogicalResourceId"));
        Assert.Equal(("Modify", "True"), (Field(changes["Media"], "Action"), Field(changes["Media"], "Replacement")));
        var mediaDetail = changes["Media"].Element(Ns + "Details")!.Elements(Ns + "member").Single();
        Assert.Equal(("BucketName", "Always", "DirectModification"), (Field(mediaDetail.Element(Ns + "Target")!, "Name"), Field(mediaDetail.Element(Ns + "Target")!, "RequiresRecreation"), Field(mediaDetail, "ChangeSource")));
        Assert.Equal(("Modify", "False"), (Field(changes["Logs"], "Action"), Field(changes["Logs"], "Replacement")));
        var logsDetail = changes["Logs"].Element(Ns + "Details")!.Elements(Ns + "member").Single();
        Assert.Equal(("RetentionInDays", "ParameterReference", "Retention"), (Field(logsDetail.Element(Ns + "Target")!, "Name"), Field(logsDetail, "ChangeSource"), Field(logsDetail, "CausingEntity")));
        Assert.Equal("Add", Field(changes["Queue"], "Action"));
        Assert.Equal("Add", Field(changes["Topic2"], "Action"));
        Assert.Equal(("Remove", "Delete"), (Field(changes["Topic"], "Action"), Field(changes["Topic"], "PolicyAction")));
        Assert.False(string.IsNullOrEmpty(Field(changes["Topic"], "PhysicalResourceId")));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task UpdateChangeSet_DependentOfReplacedResource_GetsDynamicDetail()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        var updated = With(BaseTemplate, "\"BucketName\": { \"Fn::Sub\": \"media-${Env}\" }", "\"BucketName\": \"renamed\"");

        var changeSet = await bed.ChangeSetAsync("media", "update-1", "UPDATE", updated);

        var topic = ChangesOf(changeSet).Single(c => Field(c, "LogicalResourceId") == "Topic");
        var detail = topic.Element(Ns + "Details")!.Elements(Ns + "member").Single();
        Assert.Equal(("Dynamic", "ResourceAttribute", "Media.Arn"), (Field(detail, "Evaluation"), Field(detail, "ChangeSource"), Field(detail, "CausingEntity")));
        Assert.Equal("False", Field(topic, "Replacement"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task UpdateChangeSet_WithoutChanges_FailsWithDidNotContainChanges()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");

        var changeSet = await bed.ChangeSetAsync("media", "noop", "UPDATE", BaseTemplate);
        var execute = await bed.Client.QueryAsync("ExecuteChangeSet", ("StackName", "media"), ("ChangeSetName", "noop"));

        Assert.Equal(("FAILED", "UNAVAILABLE"), (Field(changeSet, "Status"), Field(changeSet, "ExecutionStatus")));
        Assert.Equal("The submitted information didn't contain changes. Submit different information to create a change set.", Field(changeSet, "StatusReason"));
        Assert.Equal((400, "InvalidChangeSetStatus"), (execute.Status, execute.ErrorCode));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task UpdateChangeSet_YamlShortFormsEquivalentToJson_HasNoChanges()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        const string yaml = """
            Description: OTT media stack
            Parameters:
              Env: { Type: String, Default: prod, AllowedValues: [prod, staging] }
              Retention: { Type: Number, Default: 30 }
              DbPassword: { Type: String, Default: s3cret, NoEcho: true }
            Resources:
              Media:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: !Sub media-${Env}
              Logs:
                Type: AWS::Logs::LogGroup
                Properties:
                  RetentionInDays: !Ref Retention
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  DisplayName: !GetAtt Media.Arn
            Outputs:
              MediaBucket: { Value: !Ref Media, Description: bucket }
              MediaArn:
                Value: !GetAtt Media.Arn
                Export: { Name: !Sub "${AWS::StackName}-MediaArn" }
              Where: { Value: !Sub "${AWS::Region}/${Logs}" }
            """;

        var changeSet = await bed.ChangeSetAsync("media", "yaml", "UPDATE", yaml);

        Assert.Equal("FAILED", Field(changeSet, "Status"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ExecuteUpdate_AppliesChangesAndCleansUpReplacedResource()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        var before = await bed.Client.QueryOkAsync("DescribeStackResources", ("StackName", "media"), ("LogicalResourceId", "Media"));
        await bed.ChangeSetAsync("media", "update-1", "UPDATE", With(BaseTemplate, "\"BucketName\": { \"Fn::Sub\": \"media-${Env}\" }", "\"BucketName\": \"renamed\""));

        var status = await bed.ExecuteAsync("media", "update-1", "deploy-update-1");
        var events = (await bed.EventsAsync("media")).Select(e => $"{Field(e, "LogicalResourceId")} {Field(e, "ResourceStatus")} {Field(e, "PhysicalResourceId")}").Reverse().ToList();
        var stack = await bed.StackAsync("media");

        Assert.Equal("UPDATE_COMPLETE", status);
        var oldBucket = Field(before.Element(Ns + "StackResources")!.Element(Ns + "member")!, "PhysicalResourceId");
        Assert.Contains($"Media DELETE_COMPLETE {oldBucket}", events);
        Assert.True(events.IndexOf("media UPDATE_COMPLETE_CLEANUP_IN_PROGRESS " + Field(stack, "StackId")) < events.IndexOf($"Media DELETE_COMPLETE {oldBucket}"));
        Assert.Equal("arn:aws:s3:::renamed", OutputsOf(stack)["MediaArn"]);
        Assert.False(string.IsNullOrEmpty(Field(stack, "LastUpdatedTime")));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task FailedResourceOnCreate_RollsBackToRollbackCompleteWithRootCause()
    {
        await using var bed = await StartAsync();
        bed.Simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.Create, "Resource handler returned message: \"Log group already exists\" (HandlerErrorCode: AlreadyExists)"));
        await bed.ChangeSetAsync("media", "create-1", "CREATE", BaseTemplate);

        var status = await bed.ExecuteAsync("media", "create-1", "t1");
        var events = await bed.EventsAsync("media");
        var again = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "create-2"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate));

        Assert.Equal("ROLLBACK_COMPLETE", status);
        var firstFailure = events.Last(e => Field(e, "ResourceStatus").EndsWith("_FAILED", StringComparison.Ordinal));
        Assert.Equal(("Logs", "AWS::Logs::LogGroup", "CREATE_FAILED"), (Field(firstFailure, "LogicalResourceId"), Field(firstFailure, "ResourceType"), Field(firstFailure, "ResourceStatus")));
        Assert.StartsWith("Resource handler returned message", Field(firstFailure, "ResourceStatusReason"), StringComparison.Ordinal);
        Assert.Contains(events, e => Field(e, "ResourceStatus") == "ROLLBACK_IN_PROGRESS" && Field(e, "ResourceStatusReason") == "The following resource(s) failed to create: [Logs]. Rollback requested by user.");
        Assert.Equal((400, "ValidationError"), (again.Status, again.ErrorCode));
        Assert.Equal("Stack [media] already exists and cannot be created again with the changeSet [create-2].", again.ErrorMessage);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task FailedResourceOnUpdate_RollsBackToUpdateRollbackComplete()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        bed.Simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.Update, "Invalid retention"));
        await bed.ChangeSetAsync("media", "update-1", "UPDATE", BaseTemplate, ("Parameters.member.1.ParameterKey", "Retention"), ("Parameters.member.1.ParameterValue", "7"));

        var status = await bed.ExecuteAsync("media", "update-1", "t2");
        var stack = await bed.StackAsync("media");
        var events = await bed.EventsAsync("media");

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status);
        Assert.Contains(events, e => Field(e, "ResourceStatus") == "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
        Assert.Contains(events, e => Field(e, "LogicalResourceId") == "Logs" && Field(e, "ResourceStatus") == "UPDATE_FAILED" && Field(e, "ResourceStatusReason") == "Invalid retention");
        Assert.Contains(stack.Element(Ns + "Parameters")!.Elements(Ns + "member"), p => Field(p, "ParameterKey") == "Retention" && Field(p, "ParameterValue") == "30");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task RollbackThatFails_LeavesUpdateRollbackFailed_AndContinueWithSkipRecovers()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        bed.Simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.Update, "Invalid retention"));
        bed.Simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.UpdateRollback, "Log group was modified outside CloudFormation"));
        await bed.ChangeSetAsync("media", "update-1", "UPDATE", BaseTemplate, ("Parameters.member.1.ParameterKey", "Retention"), ("Parameters.member.1.ParameterValue", "7"));

        var failed = await bed.ExecuteAsync("media", "update-1", "t3");
        await bed.Client.QueryOkAsync("ContinueUpdateRollback", ("StackName", "media"), ("ClientRequestToken", "recover-1"));
        var stillFailed = await bed.RunUntilSettledAsync("media");
        await bed.Client.QueryOkAsync("ContinueUpdateRollback", ("StackName", "media"), ("ResourcesToSkip.member.1", "Logs"), ("ClientRequestToken", "recover-2"));
        var recovered = await bed.RunUntilSettledAsync("media");
        var events = await bed.EventsAsync("media");

        Assert.Equal("UPDATE_ROLLBACK_FAILED", failed);
        Assert.Equal("UPDATE_ROLLBACK_FAILED", stillFailed);
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", recovered);
        Assert.Contains(events, e => Field(e, "LogicalResourceId") == "Logs" && Field(e, "ResourceStatus") == "UPDATE_COMPLETE" && Field(e, "ClientRequestToken") == "recover-2");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ContinueUpdateRollback_OnHealthyStack_IsValidationError()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");

        var result = await bed.Client.QueryAsync("ContinueUpdateRollback", ("StackName", "media"));

        Assert.Equal("ValidationError", result.ErrorCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CancelUpdateStack_DuringUpdate_RollsBack()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        await bed.ChangeSetAsync("media", "update-1", "UPDATE", BaseTemplate, ("Parameters.member.1.ParameterKey", "Retention"), ("Parameters.member.1.ParameterValue", "7"));
        await bed.Client.QueryOkAsync("ExecuteChangeSet", ("StackName", "media"), ("ChangeSetName", "update-1"));
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(3));

        var cancel = await bed.Client.QueryAsync("CancelUpdateStack", ("StackName", "media"));
        var status = await bed.RunUntilSettledAsync("media");
        var again = await bed.Client.QueryAsync("CancelUpdateStack", ("StackName", "media"));

        Assert.Equal(200, cancel.Status);
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status);
        Assert.Equal("CancelUpdateStack cannot be called from current stack status.", again.ErrorMessage);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task RollbackStack_FromCreateFailed_ReachesRollbackComplete()
    {
        await using var bed = await StartAsync();
        bed.Simulator.FailResource(new CfnResourceFailure("Topic", CfnResourceOperation.Create, "Topic quota exceeded"));
        await bed.ChangeSetAsync("media", "create-1", "CREATE", BaseTemplate, ("OnStackFailure", "DO_NOTHING"));

        var failed = await bed.ExecuteAsync("media", "create-1", "t4");
        var rollback = await bed.Client.QueryOkAsync("RollbackStack", ("StackName", "media"));
        var status = await bed.RunUntilSettledAsync("media");

        Assert.Equal("CREATE_FAILED", failed);
        Assert.StartsWith("arn:aws:cloudformation:", Field(rollback, "StackId"), StringComparison.Ordinal);
        Assert.Equal("ROLLBACK_COMPLETE", status);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeleteStack_WhileTerminationProtected_IsRefused_ThenDeletes()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        var stackId = Field(await bed.StackAsync("media"), "StackId");
        await bed.Client.QueryOkAsync("UpdateTerminationProtection", ("StackName", "media"), ("EnableTerminationProtection", "true"));

        var refused = await bed.Client.QueryAsync("DeleteStack", ("StackName", "media"));
        await bed.Client.QueryOkAsync("UpdateTerminationProtection", ("StackName", "media"), ("EnableTerminationProtection", "false"));
        await bed.Client.QueryOkAsync("DeleteStack", ("StackName", "media"), ("ClientRequestToken", "delete-1"));
        var byId = await bed.RunUntilSettledAsync(stackId);
        var byName = await bed.Client.QueryAsync("DescribeStacks", ("StackName", "media"));

        Assert.Equal(("ValidationError", "Stack [media] cannot be deleted while TerminationProtection is enabled"), (refused.ErrorCode, refused.ErrorMessage));
        Assert.Equal("DELETE_COMPLETE", byId);
        Assert.Equal((400, "ValidationError", "Stack with id media does not exist"), (byName.Status, byName.ErrorCode, byName.ErrorMessage));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeStacks_Unknown_IsValidationErrorDoesNotExist()
    {
        await using var bed = await StartAsync();

        var result = await bed.Client.QueryAsync("DescribeStacks", ("StackName", "ghost"));

        Assert.Equal((400, "ValidationError", "Stack with id ghost does not exist"), (result.Status, result.ErrorCode, result.ErrorMessage));
        Assert.Equal("Sender", result.Document.Root!.Descendants().First(e => e.Name.LocalName == "Type").Value);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task StackPolicy_DenyingReplacement_FailsTheUpdateAndRollsBack()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        await bed.Client.QueryOkAsync("SetStackPolicy", ("StackName", "media"), ("StackPolicyBody", """
            {"Statement":[
              {"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"},
              {"Effect":"Deny","Action":["Update:Replace","Update:Delete"],"Principal":"*","Resource":"LogicalResourceId/Media"}]}
            """));
        await bed.ChangeSetAsync("media", "rename", "UPDATE", With(BaseTemplate, "\"BucketName\": { \"Fn::Sub\": \"media-${Env}\" }", "\"BucketName\": \"renamed\""));

        var status = await bed.ExecuteAsync("media", "rename", "t5");
        var events = await bed.EventsAsync("media");

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status);
        Assert.Contains(events, e => Field(e, "LogicalResourceId") == "Media" && Field(e, "ResourceStatus") == "UPDATE_FAILED"
                                     && Field(e, "ResourceStatusReason").StartsWith("Action denied by stack policy", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DetectStackDrift_ReportsDriftedResourcesWhenComplete()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        bed.Simulator.MarkDrifted("media", "Logs");

        var detect = await bed.Client.QueryOkAsync("DetectStackDrift", ("StackName", "media"));
        var id = Field(detect, "StackDriftDetectionId");
        var running = await bed.Client.QueryOkAsync("DescribeStackDriftDetectionStatus", ("StackDriftDetectionId", id));
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(15));
        var done = await bed.Client.QueryOkAsync("DescribeStackDriftDetectionStatus", ("StackDriftDetectionId", id));
        var stack = await bed.StackAsync("media");

        Assert.Equal("DETECTION_IN_PROGRESS", Field(running, "DetectionStatus"));
        Assert.Equal(("DETECTION_COMPLETE", "DRIFTED", "1"), (Field(done, "DetectionStatus"), Field(done, "StackDriftStatus"), Field(done, "DriftedStackResourceCount")));
        Assert.Equal("DRIFTED", Field(stack.Element(Ns + "DriftInformation")!, "StackDriftStatus"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeChangeSet_PagesChangesWithNextToken()
    {
        await using var bed = await StartAsync(new CloudFormationScenario { ChangesPageSize = 2 });
        await bed.Client.QueryOkAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate));
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));

        var first = await bed.Client.QueryOkAsync("DescribeChangeSet", ("StackName", "media"), ("ChangeSetName", "c"));
        var second = await bed.Client.QueryOkAsync("DescribeChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("NextToken", Field(first, "NextToken")));

        Assert.Equal(2, ChangesOf(first).Count);
        Assert.Single(ChangesOf(second));
        Assert.Null(second.Element(Ns + "NextToken"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeStackEvents_PagesNewestFirst()
    {
        await using var bed = await StartAsync(new CloudFormationScenario { EventsPageSize = 4 });
        await bed.CreateStackAsync("media");

        var first = await bed.Client.QueryOkAsync("DescribeStackEvents", ("StackName", "media"));
        var all = await bed.EventsAsync("media");

        Assert.Equal(4, first.Element(Ns + "StackEvents")!.Elements(Ns + "member").Count());
        Assert.NotNull(first.Element(Ns + "NextToken"));
        Assert.True(all.Count > 8);
        Assert.Equal("CREATE_COMPLETE", Field(all[0], "ResourceStatus"));
        Assert.Equal("REVIEW_IN_PROGRESS", Field(all[^1], "ResourceStatus"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ListAndDeleteChangeSets()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");
        await bed.ChangeSetAsync("media", "pending", "UPDATE", BaseTemplate, ("Parameters.member.1.ParameterKey", "Env"), ("Parameters.member.1.ParameterValue", "staging"));

        var before = await bed.Client.QueryOkAsync("ListChangeSets", ("StackName", "media"));
        await bed.Client.QueryOkAsync("DeleteChangeSet", ("StackName", "media"), ("ChangeSetName", "pending"));
        var after = await bed.Client.QueryOkAsync("ListChangeSets", ("StackName", "media"));
        var gone = await bed.Client.QueryAsync("DescribeChangeSet", ("StackName", "media"), ("ChangeSetName", "pending"));

        var summaries = before.Element(Ns + "Summaries")!.Elements(Ns + "member").ToDictionary(s => Field(s, "ChangeSetName"), s => Field(s, "ExecutionStatus"));
        Assert.Equal("EXECUTE_COMPLETE", summaries["create-1"]);
        Assert.Equal("AVAILABLE", summaries["pending"]);
        Assert.DoesNotContain(after.Element(Ns + "Summaries")!.Elements(Ns + "member"), s => Field(s, "ChangeSetName") == "pending");
        Assert.Equal((404, "ChangeSetNotFound", "ChangeSet [pending] does not exist"), (gone.Status, gone.ErrorCode, gone.ErrorMessage));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ReviewInProgressLeftover_CanBeDeleted()
    {
        await using var bed = await StartAsync();
        await bed.ChangeSetAsync("media", "create-1", "CREATE", BaseTemplate);
        await bed.Client.QueryOkAsync("DeleteChangeSet", ("StackName", "media"), ("ChangeSetName", "create-1"));
        var leftover = await bed.StatusAsync("media");

        await bed.Client.QueryOkAsync("DeleteStack", ("StackName", "media"));
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("REVIEW_IN_PROGRESS", leftover);
        Assert.Null(bed.Simulator.StackStatus("media"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task GetTemplate_ReturnsDeployedBody()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");

        var result = await bed.Client.QueryOkAsync("GetTemplate", ("StackName", "media"));

        Assert.Equal(BaseTemplate, Field(result, "TemplateBody"));
        Assert.Equal(["Original", "Processed"], result.Element(Ns + "StagesAvailable")!.Elements(Ns + "member").Select(m => m.Value));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ValidateTemplate_ReportsParametersAndRequiredCapabilities()
    {
        await using var bed = await StartAsync();
        var template = With(BaseTemplate, "\"Topic\": {", "\"Role\": { \"Type\": \"AWS::IAM::Role\", \"Properties\": { \"RoleName\": \"media-role\" } }, \"Topic\": {");

        var result = await bed.Client.QueryOkAsync("ValidateTemplate", ("TemplateBody", template));

        Assert.Equal(["Env", "Retention", "DbPassword"], result.Element(Ns + "Parameters")!.Elements(Ns + "member").Select(p => Field(p, "ParameterKey")));
        Assert.Equal("CAPABILITY_NAMED_IAM", Field(result.Element(Ns + "Capabilities")!, "member"));
        Assert.Equal("The following resource(s) require capabilities: [AWS::IAM::Role]", Field(result, "CapabilitiesReason"));
    }

    [Theory(Timeout = TestTimeouts.External)]
    [InlineData("{ \"Resources\": ", "Template format error: JSON not well-formed.")]
    [InlineData("{ \"Description\": \"x\" }", "Template format error: At least one Resources member must be defined.")]
    [InlineData("{ \"Resources\": { \"A\": { \"Type\": \"AWS::S3::Bucket\", \"Properties\": { \"X\": { \"Ref\": \"Nope\" } } } } }", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template")]
    [InlineData("{ \"Resources\": { \"A\": { \"Type\": \"Bucket\" } } }", "Template format error: Unrecognized resource types: [Bucket]")]
    [InlineData("Resources:\n  A: [unclosed", "Template format error: YAML not well-formed.")]
    public async Task ValidateTemplate_BadTemplate_IsValidationError(string body, string message)
    {
        await using var bed = await StartAsync();

        var result = await bed.Client.QueryAsync("ValidateTemplate", ("TemplateBody", body));

        Assert.Equal("ValidationError", result.ErrorCode);
        Assert.StartsWith(message, result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CreateChangeSet_IamWithoutCapabilities_IsInsufficientCapabilities()
    {
        await using var bed = await StartAsync();
        var template = With(BaseTemplate, "\"Topic\": {", "\"Role\": { \"Type\": \"AWS::IAM::Role\", \"Properties\": {} }, \"Topic\": {");

        var refused = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", template));
        var accepted = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", template), ("Capabilities.member.1", "CAPABILITY_IAM"));

        Assert.Equal(("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"), (refused.ErrorCode, refused.ErrorMessage));
        Assert.Equal(200, accepted.Status);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CreateChangeSet_DuplicateName_IsAlreadyExistsException()
    {
        await using var bed = await StartAsync();
        await bed.ChangeSetAsync("media", "c", "CREATE", BaseTemplate);

        var result = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate));

        Assert.Equal("AlreadyExistsException", result.ErrorCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CreateChangeSet_UpdateOfMissingStack_IsValidationError()
    {
        await using var bed = await StartAsync();

        var result = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "ghost"), ("ChangeSetName", "c"), ("TemplateBody", BaseTemplate));

        Assert.Equal(("ValidationError", "Stack [ghost] does not exist"), (result.ErrorCode, result.ErrorMessage));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ExecuteChangeSet_WhileStillCreating_IsInvalidChangeSetStatus()
    {
        await using var bed = await StartAsync();
        await bed.Client.QueryOkAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate));

        var result = await bed.Client.QueryAsync("ExecuteChangeSet", ("StackName", "media"), ("ChangeSetName", "c"));

        Assert.Equal((400, "InvalidChangeSetStatus"), (result.Status, result.ErrorCode));
        Assert.EndsWith("cannot be executed in its current status of [CREATE_IN_PROGRESS]", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task UpdateStack_WithoutChanges_IsNoUpdatesToBePerformed()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");

        var result = await bed.Client.QueryAsync("UpdateStack", ("StackName", "media"), ("TemplateBody", BaseTemplate));
        var create = await bed.Client.QueryAsync("CreateStack", ("StackName", "media"), ("TemplateBody", BaseTemplate));

        Assert.Equal(("ValidationError", "No updates are to be performed."), (result.ErrorCode, result.ErrorMessage));
        Assert.Equal(("AlreadyExistsException", "Stack [media] already exists"), (create.ErrorCode, create.ErrorMessage));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CreateChangeSet_FromTemplateUrl_FetchesTheBodyOverHttp()
    {
        await using var bed = await StartAsync();
        await using var bucket = await StaticObjectServer.StartAsync("/artifacts/media/v1.json", BaseTemplate);

        await bed.Client.QueryOkAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateURL", bucket.Url.ToString()));
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var template = await bed.Client.QueryOkAsync("GetTemplate", ("StackName", "media"), ("ChangeSetName", "c"));
        var missing = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "other"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateURL", new Uri(bucket.Url, "/artifacts/none.json").ToString()));

        Assert.Equal(BaseTemplate, Field(template, "TemplateBody"));
        Assert.Equal("ValidationError", missing.ErrorCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task QueryRequest_WithWrongSecret_IsSignatureDoesNotMatch403()
    {
        await using var bed = await StartAsync();
        using var client = new SignedAwsClient(bed.Simulator, SimulatorCredentials.Default with { SecretAccessKey = "nope" });
        using var unknown = new SignedAwsClient(bed.Simulator, new SimulatorCredentials("AKIAGHOST", "x"));

        var wrong = await client.QueryAsync("DescribeStacks");
        var stranger = await unknown.QueryAsync("DescribeStacks");

        Assert.Equal((403, "SignatureDoesNotMatch"), (wrong.Status, wrong.ErrorCode));
        Assert.Equal((403, "InvalidClientTokenId"), (stranger.Status, stranger.ErrorCode));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task QueryThrottlingFault_ReturnsThrottling400()
    {
        await using var bed = await StartAsync();
        bed.Simulator.Faults.Add(FaultRule.Throttle().ForOperation("DescribeStacks").OnCalls(1));

        var throttled = await bed.Client.QueryAsync("DescribeStacks");
        var ok = await bed.Client.QueryAsync("DescribeStacks");

        Assert.Equal((400, "Throttling", "Rate exceeded"), (throttled.Status, throttled.ErrorCode, throttled.ErrorMessage));
        Assert.Equal(200, ok.Status);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task QueryInternalErrorFault_Returns500WithReceiverFault()
    {
        await using var bed = await StartAsync();
        bed.Simulator.Faults.Add(FaultRule.InternalError().OnCalls(1));

        var result = await bed.Client.QueryAsync("DescribeStacks");

        Assert.Equal((500, "InternalFailure"), (result.Status, result.ErrorCode));
        Assert.Equal("Receiver", result.Document.Root!.Descendants().First(e => e.Name.LocalName == "Type").Value);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CreateStack_Directly_ReachesCreateComplete()
    {
        await using var bed = await StartAsync();

        var created = await bed.Client.QueryOkAsync("CreateStack", ("StackName", "media"), ("TemplateBody", BaseTemplate), ("ClientRequestToken", "direct-1"));
        var status = await bed.RunUntilSettledAsync("media");

        Assert.StartsWith("arn:aws:cloudformation:us-east-1:123456789012:stack/media/", Field(created, "StackId"), StringComparison.Ordinal);
        Assert.Equal("CREATE_COMPLETE", status);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeStackResources_ByPhysicalId_FindsTheStack()
    {
        await using var bed = await StartAsync();
        await bed.CreateStackAsync("media");

        var result = await bed.Client.QueryOkAsync("DescribeStackResources", ("PhysicalResourceId", "media-prod"));

        var resource = result.Element(Ns + "StackResources")!.Elements(Ns + "member").Single();
        Assert.Equal(("Media", "media", "CREATE_COMPLETE"), (Field(resource, "LogicalResourceId"), Field(resource, "StackName"), Field(resource, "ResourceStatus")));
    }
}
