using System.Xml.Linq;
using Workmates.OttKit.Simulators.Aws;
using static Workmates.OttKit.Tests.Simulators.CfnTestBed;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>Every CloudFormation simulator response of a broad scripted session, checked against cloudformation/service-2.json.</summary>
public sealed class CloudFormationModelConformanceTests
{
    private static readonly HashSet<string> GenericErrors =
        ["ValidationError", "Throttling", "InternalFailure", "ServiceUnavailable", "SignatureDoesNotMatch", "InvalidClientTokenId", "MissingAuthenticationToken", "IncompleteSignature", "InvalidAction"];

    [Fact(Timeout = TestTimeouts.External)]
    public async Task EveryResponse_ConformsToTheOutputShapeOfItsOperation()
    {
        var model = ModelShapeChecker.Load("cloudformation");
        await using var bed = await StartAsync(new CloudFormationScenario { EventsPageSize = 7, ChangesPageSize = 2 });
        var c = bed.Client;

        await c.QueryAsync("ValidateTemplate", ("TemplateBody", BaseTemplate));
        await c.QueryAsync("ValidateTemplate", ("TemplateBody", "{"));
        await bed.CreateStackAsync("media");
        await c.QueryAsync("DescribeStackResources", ("StackName", "media"));
        await c.QueryAsync("GetTemplate", ("StackName", "media"));
        await c.QueryAsync("UpdateTerminationProtection", ("StackName", "media"), ("EnableTerminationProtection", "true"));
        await c.QueryAsync("DeleteStack", ("StackName", "media"));
        await c.QueryAsync("SetStackPolicy", ("StackName", "media"), ("StackPolicyBody", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Update:*\",\"Principal\":\"*\",\"Resource\":\"*\"}]}"));
        var renamed = With(With(BaseTemplate, "\"BucketName\": { \"Fn::Sub\": \"media-${Env}\" }", "\"BucketName\": \"renamed\""), "\"Topic\": {", "\"Queue\": { \"Type\": \"AWS::SQS::Queue\" }, \"Topic\": {");
        await bed.ChangeSetAsync("media", "update-1", "UPDATE", renamed, ("Parameters.member.1.ParameterKey", "Retention"), ("Parameters.member.1.ParameterValue", "7"));
        await c.QueryAsync("DescribeChangeSet", ("StackName", "media"), ("ChangeSetName", "update-1"), ("NextToken", Field(await c.QueryOkAsync("DescribeChangeSet", ("StackName", "media"), ("ChangeSetName", "update-1")), "NextToken")));
        await c.QueryAsync("ListChangeSets", ("StackName", "media"));
        bed.Simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.Update, "Invalid retention"));
        bed.Simulator.FailResource(new CfnResourceFailure("Logs", CfnResourceOperation.UpdateRollback, "Modified outside CloudFormation"));
        await bed.ExecuteAsync("media", "update-1", "u1");
        await c.QueryAsync("ContinueUpdateRollback", ("StackName", "media"), ("ResourcesToSkip.member.1", "Logs"), ("ClientRequestToken", "r1"));
        await bed.RunUntilSettledAsync("media");
        bed.Simulator.ClearFailures();
        await bed.ChangeSetAsync("media", "noop", "UPDATE", BaseTemplate);
        await c.QueryAsync("ExecuteChangeSet", ("StackName", "media"), ("ChangeSetName", "noop"));
        await c.QueryAsync("DeleteChangeSet", ("StackName", "media"), ("ChangeSetName", "noop"));
        await c.QueryAsync("DescribeChangeSet", ("StackName", "media"), ("ChangeSetName", "noop"));
        await bed.ChangeSetAsync("media", "update-2", "UPDATE", BaseTemplate, ("Parameters.member.1.ParameterKey", "Retention"), ("Parameters.member.1.ParameterValue", "14"));
        await c.QueryAsync("ExecuteChangeSet", ("StackName", "media"), ("ChangeSetName", "update-2"));
        await c.QueryAsync("CancelUpdateStack", ("StackName", "media"));
        await bed.RunUntilSettledAsync("media");
        bed.Simulator.MarkDrifted("media", "Topic");
        var drift = await c.QueryOkAsync("DetectStackDrift", ("StackName", "media"));
        await c.QueryAsync("DescribeStackDriftDetectionStatus", ("StackDriftDetectionId", Field(drift, "StackDriftDetectionId")));
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(1));
        await c.QueryAsync("DescribeStackDriftDetectionStatus", ("StackDriftDetectionId", Field(drift, "StackDriftDetectionId")));
        await c.QueryAsync("DescribeStackResources", ("StackName", "media"));
        await bed.EventsAsync("media");
        bed.Simulator.FailResource(new CfnResourceFailure("Topic", CfnResourceOperation.Create, "quota"));
        await bed.ChangeSetAsync("other", "create-1", "CREATE", BaseTemplate, ("OnStackFailure", "DO_NOTHING"));
        await bed.ExecuteAsync("other", "create-1", "o1");
        await c.QueryAsync("RollbackStack", ("StackName", "other"), ("ClientRequestToken", "o2"));
        await bed.RunUntilSettledAsync("other");
        await c.QueryAsync("DescribeStacks");
        await c.QueryAsync("DescribeStacks", ("StackName", "ghost"));
        await c.QueryAsync("UpdateTerminationProtection", ("StackName", "media"), ("EnableTerminationProtection", "false"));
        await c.QueryAsync("DeleteStack", ("StackName", "media"));
        await bed.RunUntilSettledAsync(Field(await bed.StackAsync("other"), "StackId"));
        await c.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "x"), ("TemplateBody", BaseTemplate), ("ChangeSetType", "CREATE"), ("Capabilities.member.1", "CAPABILITY_IAM"));

        var failures = new List<string>();
        foreach (var (operation, status, _, xml) in c.Responses)
        {
            var root = xml!.Root!;
            if (status == 200)
            {
                if (root.Name != SignedAwsClient.CfnNs + operation + "Response")
                {
                    failures.Add($"{operation}: root element {root.Name}");
                }

                if (root.Element(SignedAwsClient.CfnNs + "ResponseMetadata")?.Element(SignedAwsClient.CfnNs + "RequestId") is null)
                {
                    failures.Add($"{operation}: no ResponseMetadata/RequestId");
                }

                var result = root.Elements().FirstOrDefault(e => e.Name.LocalName != "ResponseMetadata");
                if (model.HasOutput(operation))
                {
                    failures.AddRange(result is null ? [$"{operation}: no result element"] : model.CheckXml(operation, result).Select(p => $"{operation}: {p}"));
                }
                else if (result is not null)
                {
                    failures.Add($"{operation}: has no output in the model but returned {result.Name.LocalName}");
                }
            }
            else
            {
                var code = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? "(none)";
                if (root.Name.LocalName != "ErrorResponse" || root.Element(SignedAwsClient.CfnNs + "RequestId") is null)
                {
                    failures.Add($"{operation}: error document is not <ErrorResponse> with RequestId");
                }

                if (!model.IsModelledError(operation, code) && !GenericErrors.Contains(code))
                {
                    failures.Add($"{operation}: error {code} is neither modelled for the operation nor a generic AWS error");
                }
            }
        }

        var operations = c.Responses.Select(r => r.Operation).Distinct().Count();
        TestContext.Current.TestOutputHelper?.WriteLine($"CloudFormation responses checked against the model: {c.Responses.Count}, operations: {operations}, failures: {failures.Count}");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(50)));
        Assert.Equal(18, operations);
    }
}
