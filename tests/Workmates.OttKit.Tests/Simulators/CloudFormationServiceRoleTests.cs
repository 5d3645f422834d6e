using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using static Workmates.OttKit.Tests.Simulators.CfnTestBed;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>
/// Change sets executed AS the CloudFormation service role: the caller must be allowed to pass the role to
/// CloudFormation, and each resource's handler permissions are authorized against the role's policies.
/// </summary>
public sealed class CloudFormationServiceRoleTests
{
    private const string Account = "123456789012";
    private const string RoleArn = $"arn:aws:iam::{Account}:role/app-cloudformation";
    private const string RoleSession = $"arn:aws:sts::{Account}:assumed-role/app-cloudformation/AWSCloudFormation";
    private static readonly SimulatorCredentials Deployer = new("AKIADEPLOYERROLE0001", "deployer/secret/EXAMPLEKEY");
    private static readonly SimulatorCredentials Stranger = new("AKIASTRANGERROLE0001", "stranger/secret/EXAMPLEKEY");

    private static readonly Dictionary<string, string[]> Table = new(StringComparer.Ordinal)
    {
        ["AWS::S3::Bucket"] = ["s3:CreateBucket", "s3:DeleteBucket"],
        ["AWS::Logs::LogGroup"] = ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup"],
        ["AWS::SNS::Topic"] = ["sns:CreateTopic", "sns:DeleteTopic"],
        ["AWS::SQS::Queue"] = ["sqs:CreateQueue", "sqs:DeleteQueue"],
    };

    [Fact(Timeout = TestTimeouts.External)]
    public async Task CreateChangeSet_WithARoleTheCallerMayNotPass_IsAccessDeniedAsCloudFormationAnswers()
    {
        await using var bed = await StartAsync(RoleActions(Table.Values.SelectMany(a => a)));
        using var stranger = new SignedAwsClient(bed.Simulator, Stranger);

        var denied = await stranger.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "create-1"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate), ("RoleARN", RoleArn));
        var passed = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "create-1"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate), ("RoleARN", RoleArn));

        Assert.Equal((403, "AccessDenied"), (denied.Status, denied.ErrorCode));
        Assert.Equal($"User: arn:aws:sts::{Account}:assumed-role/stranger/s is not authorized to perform: iam:PassRole on resource: {RoleArn} because no identity-based policy allows the iam:PassRole action", denied.ErrorMessage);
        Assert.Equal("Sender", denied.Document.Root!.Descendants().First(e => e.Name.LocalName == "Type").Value);
        Assert.Equal(200, passed.Status);
        var pass = Assert.Single(Iam(bed).Calls, c => c.Action == "iam:PassRole" && c.Decision == IamDecision.Allowed);
        Assert.Equal(RoleArn, pass.Resource);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ExecuteChangeSet_WhenTheRoleLacksAHandlerPermission_FailsThatResourceWithTheHandlersMessageAndRollsBack()
    {
        await using var bed = await StartAsync(RoleActions(Table.Values.SelectMany(a => a).Where(a => a != "sns:CreateTopic")));

        await bed.ChangeSetAsync("media", "create-1", "CREATE", BaseTemplate, ("RoleARN", RoleArn));
        var status = await bed.ExecuteAsync("media", "create-1", "deploy-create-1");
        var events = await bed.EventsAsync("media");

        Assert.Equal("ROLLBACK_COMPLETE", status);
        var failed = Assert.Single(events, e => Field(e, "ResourceStatus") == "CREATE_FAILED");
        Assert.Equal("Topic", Field(failed, "LogicalResourceId"));
        Assert.StartsWith($"Resource handler returned message: \"User: {RoleSession} is not authorized to perform: sns:CreateTopic on resource: * because no identity-based policy allows the sns:CreateTopic action (Service: Sns, Status Code: 403, Request ID: ", Field(failed, "ResourceStatusReason"));
        Assert.EndsWith("HandlerErrorCode: AccessDenied)", Field(failed, "ResourceStatusReason"));
        Assert.Contains(events, e => Field(e, "LogicalResourceId") == "Media" && Field(e, "ResourceStatus") == "DELETE_COMPLETE");
        Assert.Contains(Iam(bed).Calls, c => c.Principal == RoleSession && c.Action == "s3:DeleteBucket" && c.Decision == IamDecision.Allowed);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task An_update_adding_a_resource_the_role_may_not_create_rolls_back_to_UPDATE_ROLLBACK_COMPLETE()
    {
        await using var bed = await StartAsync(RoleActions(Table.Values.SelectMany(a => a).Where(a => a != "sqs:CreateQueue")));
        await bed.ChangeSetAsync("media", "create-1", "CREATE", BaseTemplate, ("RoleARN", RoleArn));
        Assert.Equal("CREATE_COMPLETE", await bed.ExecuteAsync("media", "create-1", "deploy-create-1"));
        var updated = With(BaseTemplate, "\"Topic\": { \"Type\": \"AWS::SNS::Topic\"", "\"Queue\": { \"Type\": \"AWS::SQS::Queue\", \"Properties\": {} }, \"Topic\": { \"Type\": \"AWS::SNS::Topic\"");

        // No RoleARN on the update: CloudFormation uses the role the stack already has.
        await bed.ChangeSetAsync("media", "update-1", "UPDATE", updated);
        var status = await bed.ExecuteAsync("media", "update-1", "deploy-update-1");

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status);
        var failed = Assert.Single(await bed.EventsAsync("media"), e => Field(e, "ResourceStatus") == "CREATE_FAILED");
        Assert.Equal("Queue", Field(failed, "LogicalResourceId"));
        Assert.Contains("is not authorized to perform: sqs:CreateQueue on resource: *", Field(failed, "ResourceStatusReason"), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task With_every_handler_permission_the_stack_is_created_and_each_call_is_made_as_the_role_from_the_schemas_handlers_first()
    {
        // A registry schema that carries handlers wins over the fallback table for its type.
        var schemas = Directory.CreateTempSubdirectory("ottkit-cfn-handlers-").FullName;
        try
        {
            var schema = new JsonObject
            {
                ["typeName"] = "AWS::Logs::LogGroup",
                ["handlers"] = new JsonObject
                {
                    ["create"] = new JsonObject { ["permissions"] = new JsonArray("logs:CreateLogGroup", "logs:DescribeLogGroups") },
                    ["delete"] = new JsonObject { ["permissions"] = new JsonArray("logs:DeleteLogGroup") },
                },
            };
            await File.WriteAllTextAsync(Path.Combine(schemas, "aws-logs-loggroup.json"), schema.ToJsonString(), TestContext.Current.CancellationToken);
            var permissions = CfnHandlerPermissions.From(schemas, Table);
            await using var bed = await StartAsync(RoleActions(Table.Values.SelectMany(a => a).Append("logs:DescribeLogGroups")), permissions);

            await bed.ChangeSetAsync("media", "create-1", "CREATE", BaseTemplate, ("RoleARN", RoleArn));
            var status = await bed.ExecuteAsync("media", "create-1", "deploy-create-1");

            Assert.Equal("CREATE_COMPLETE", status);
            var asRole = Iam(bed).Calls.Where(c => c.Principal == RoleSession).Select(c => c.Action).ToList();
            Assert.Equal(["s3:CreateBucket", "s3:DeleteBucket", "logs:CreateLogGroup", "logs:DescribeLogGroups", "sns:CreateTopic", "sns:DeleteTopic"], asRole);
            Assert.Empty(Iam(bed).Denied);
            Assert.Equal(("schema", "fallback", "none"), (permissions.SourceOf("AWS::Logs::LogGroup"), permissions.SourceOf("AWS::S3::Bucket"), permissions.SourceOf("AWS::EC2::VPC")));
        }
        finally
        {
            Directory.Delete(schemas, recursive: true);
        }
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_role_no_principal_holds_cannot_be_assumed()
    {
        await using var bed = await StartAsync(RoleActions(Table.Values.SelectMany(a => a)));

        var result = await bed.Client.QueryAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "create-1"), ("ChangeSetType", "CREATE"), ("TemplateBody", BaseTemplate), ("RoleARN", $"arn:aws:iam::{Account}:role/app-unknown"));

        Assert.Equal((400, "ValidationError"), (result.Status, result.ErrorCode));
        Assert.Equal($"Role arn:aws:iam::{Account}:role/app-unknown is invalid or cannot be assumed", result.ErrorMessage);
    }

    // Handlers as a registry schema writes them: create calls Create*, delete Delete*, update the rest.
    private static CfnHandlerPermissions Split() => CfnHandlerPermissions.FromHandlers(
        Table.ToDictionary(t => t.Key, t => new JsonObject
        {
            ["create"] = new JsonObject { ["permissions"] = new JsonArray([.. t.Value.Where(a => a.Contains(":Create", StringComparison.Ordinal)).Select(a => (JsonNode?)a)]) },
            ["update"] = new JsonObject { ["permissions"] = new JsonArray([.. t.Value.Where(a => !a.Contains(":Create", StringComparison.Ordinal) && !a.Contains(":Delete", StringComparison.Ordinal)).Select(a => (JsonNode?)a)]) },
            ["delete"] = new JsonObject { ["permissions"] = new JsonArray([.. t.Value.Where(a => a.Contains(":Delete", StringComparison.Ordinal)).Select(a => (JsonNode?)a)]) },
        }, StringComparer.Ordinal),
        new Dictionary<string, string[]>(StringComparer.Ordinal));

    private static IamAuthority Iam(CfnTestBed bed) => bed.Simulator.Options.Iam!;

    private static JsonNode RoleActions(IEnumerable<string> actions) =>
        JsonNode.Parse($$"""{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": {{new JsonArray([.. actions.Distinct().Select(a => (JsonNode?)a)]).ToJsonString()}}, "Resource": "*" } ] }""")!;

    private static async Task<CfnTestBed> StartAsync(JsonNode rolePolicy, CfnHandlerPermissions? permissions = null)
    {
        var iam = new IamAuthority();
        iam.Add(new IamPrincipal(Deployer.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/deployer/s", [JsonNode.Parse($$"""
            { "Version": "2012-10-17", "Statement": [
              { "Effect": "Allow", "Action": "cloudformation:*", "Resource": "*" },
              { "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::{{Account}}:role/app-*",
                "Condition": { "StringEquals": { "iam:PassedToService": "cloudformation.amazonaws.com" } } } ] }
            """)!]));
        iam.Add(new IamPrincipal(Stranger.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/stranger/s", [JsonNode.Parse("""{ "Statement": [ { "Effect": "Allow", "Action": "cloudformation:*", "Resource": "*" } ] }""")!]));
        iam.Add(new IamPrincipal("ASIASERVICEROLE00001", RoleSession, [rolePolicy]));
        var bed = await CfnTestBed.StartAsync(options: new AwsSimulatorOptions { AccountId = Account, Credentials = [Deployer, Stranger], Iam = iam }, credentials: Deployer);
        bed.Simulator.ExecuteAsServiceRole(permissions ?? Split());
        return bed;
    }
}
