using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Iam;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class PolicyEvaluatorTests
{
    private static JsonNode Policy(string statements) => JsonNode.Parse($$"""{ "Version": "2012-10-17", "Statement": [ {{statements}} ] }""")!;

    private static IamDecision Evaluate(string statements, string action, string resource, Dictionary<string, string>? context = null) =>
        PolicyEvaluator.Evaluate(new IamRequest(action, resource, context), [Policy(statements)]);

    [Fact]
    public void Nothing_allows_is_an_implicit_deny() =>
        Assert.Equal(IamDecision.ImplicitDeny, Evaluate("""{ "Effect": "Allow", "Action": "ecs:DescribeServices", "Resource": "*" }""", "ecs:UpdateService", "arn:aws:ecs:r:1:service/c/s"));

    [Fact]
    public void Actions_match_case_insensitively_with_wildcards_and_resources_case_sensitively()
    {
        const string Statement = """{ "Effect": "Allow", "Action": "ECS:Describe*", "Resource": "arn:aws:ecs:*:1:service/prod/*" }""";
        Assert.Equal(IamDecision.Allowed, Evaluate(Statement, "ecs:DescribeServices", "arn:aws:ecs:ap-south-1:1:service/prod/web"));
        Assert.Equal(IamDecision.ImplicitDeny, Evaluate(Statement, "ecs:DescribeServices", "arn:aws:ecs:ap-south-1:1:service/PROD/web"));
        Assert.Equal(IamDecision.ImplicitDeny, Evaluate(Statement, "ecs:UpdateService", "arn:aws:ecs:ap-south-1:1:service/prod/web"));
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("a*", "a", true)]
    [InlineData("a*b", "axxbxb", true)]
    [InlineData("a*b", "axxbx", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*?", "", false)]
    [InlineData("**x", "yx", true)]
    [InlineData("arn:aws:s3:::b/*/k", "arn:aws:s3:::b/p/q/k", true)]
    [InlineData("a.c", "abc", false)]
    [InlineData("a[b]c", "a[b]c", true)]
    [InlineData("a\\*", "a\\zz", true)]
    public void Wildcard_star_is_any_run_question_mark_one_character_and_everything_else_literal(string pattern, string value, bool expected) =>
        Assert.Equal(expected, PolicyEvaluator.Wildcard(pattern, value, ignoreCase: false));

    [Fact]
    public void Wildcard_ignores_case_only_when_asked()
    {
        Assert.True(PolicyEvaluator.Wildcard("ECS:Describe*", "ecs:describeservices", ignoreCase: true));
        Assert.False(PolicyEvaluator.Wildcard("ECS:Describe*", "ecs:describeservices", ignoreCase: false));
    }

    [Fact]
    public void An_explicit_deny_wins_over_any_allow() =>
        Assert.Equal(IamDecision.ExplicitDeny, Evaluate(
            """{ "Effect": "Allow", "Action": "*", "Resource": "*" }, { "Effect": "Deny", "NotAction": "s3:GetObject", "NotResource": "arn:aws:s3:::keep/*" }""",
            "s3:DeleteObject", "arn:aws:s3:::other/key"));

    [Fact]
    public void A_stack_pattern_with_the_environment_name_and_a_slash_does_not_match_a_longer_environment()
    {
        const string Statement = """{ "Effect": "Allow", "Action": "cloudformation:ExecuteChangeSet", "Resource": "arn:aws:cloudformation:r:1:stack/owl270-ci/*" }""";
        Assert.Equal(IamDecision.Allowed, Evaluate(Statement, "cloudformation:ExecuteChangeSet", "arn:aws:cloudformation:r:1:stack/owl270-ci/abc"));
        Assert.Equal(IamDecision.ImplicitDeny, Evaluate(Statement, "cloudformation:ExecuteChangeSet", "arn:aws:cloudformation:r:1:stack/owl270-ci-prod/abc"));
        Assert.Equal(IamDecision.Allowed, Evaluate(
            """{ "Effect": "Allow", "Action": "cloudformation:ExecuteChangeSet", "Resource": "arn:aws:cloudformation:r:1:stack/owl270-*/*" }""",
            "cloudformation:ExecuteChangeSet", "arn:aws:cloudformation:r:1:stack/owl270-prod-ci/abc"));
    }

    [Fact]
    public void Conditions_AND_across_keys_OR_across_values_and_a_missing_key_fails_unless_IfExists()
    {
        const string Statement = """
            { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
              "Condition": { "StringEquals": { "kms:ViaService": ["s3.ap-south-1.amazonaws.com", "secretsmanager.ap-south-1.amazonaws.com"] },
                             "ArnLike": { "aws:SourceArn": "arn:aws:ecs:*" } } }
            """;
        var both = new Dictionary<string, string> { ["kms:viaservice"] = "secretsmanager.ap-south-1.amazonaws.com", ["aws:SourceArn"] = "arn:aws:ecs:r:1:task/x" };
        Assert.Equal(IamDecision.Allowed, Evaluate(Statement, "kms:Decrypt", "k", both));
        Assert.Equal(IamDecision.ImplicitDeny, Evaluate(Statement, "kms:Decrypt", "k", new() { ["kms:ViaService"] = "s3.ap-south-1.amazonaws.com" }));
        Assert.Equal(IamDecision.Allowed, Evaluate(
            """{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": { "StringEqualsIfExists": { "kms:ViaService": "s3.r.amazonaws.com" } } }""",
            "kms:Decrypt", "k"));
        Assert.Equal(IamDecision.Allowed, Evaluate(
            """{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "Bool": { "aws:SecureTransport": "true" } } }""",
            "s3:GetObject", "o", new() { ["aws:SecureTransport"] = "TRUE" }));
    }

    [Fact]
    public void A_kms_key_policy_must_allow_even_when_the_identity_policy_does()
    {
        var identity = Policy("""{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:r:1:key/k" }""");
        var request = new IamRequest("kms:Decrypt", "arn:aws:kms:r:1:key/k");
        Assert.Equal(IamDecision.ImplicitDeny, PolicyEvaluator.Evaluate(request, [identity], [], resourcePolicyRequired: true));
        var keyPolicy = PolicyEvaluator.Statements(Policy("""{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::1:root" }, "Action": "kms:*", "Resource": "*" }""")).ToList();
        Assert.Equal(IamDecision.Allowed, PolicyEvaluator.Evaluate(request, [identity], keyPolicy, resourcePolicyRequired: true));
        var deny = PolicyEvaluator.Statements(Policy("""{ "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*" }""")).ToList();
        Assert.Equal(IamDecision.ExplicitDeny, PolicyEvaluator.Evaluate(request, [identity], deny));
    }

    [Fact]
    public void A_bucket_policy_alone_may_allow_within_the_account()
    {
        var bucketPolicy = PolicyEvaluator.Statements(Policy("""{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::1:role/r" }, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*" }""")).ToList();
        Assert.Equal(IamDecision.Allowed, PolicyEvaluator.Evaluate(new IamRequest("s3:PutObject", "arn:aws:s3:::b/k"), [], bucketPolicy));
    }
}
