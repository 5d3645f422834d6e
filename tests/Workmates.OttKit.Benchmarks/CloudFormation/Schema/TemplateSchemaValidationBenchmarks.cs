using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Workmates.OttKit.CloudFormation.Schema;

namespace Workmates.OttKit.Benchmarks.CloudFormation.Schema;

/// <summary>
/// Validating a synthetic 500-resource template (a realistic mix of 12 types, with intrinsics) against the registry
/// schemas, next to a plain <see cref="JsonNode.Parse(string, JsonNodeOptions?, System.Text.Json.JsonDocumentOptions)"/>
/// of the same text as the baseline. The cold case builds a new catalog, so it includes reading and compiling each
/// schema once. Run: <c>OTTKIT_CONFORMANCE_DIR=… dotnet run -c Release -- --filter *TemplateSchema* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class TemplateSchemaValidationBenchmarks
{
    public const int ResourceCount = 500;

    private string _directory = string.Empty;
    private string _templateText = string.Empty;
    private JsonNode _template = null!;
    private TemplateSchemaValidator _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = SchemaDirectory.Find();
        _templateText = SyntheticTemplate.Build(ResourceCount).ToJsonString();
        _template = JsonNode.Parse(_templateText)!;
        _warm = new TemplateSchemaValidator(new ResourceSchemaCatalog(_directory));
        var violations = _warm.Validate(_template);
        if (violations.Count != 0)
        {
            throw new InvalidOperationException("The synthetic template must be valid: " + string.Join(Environment.NewLine, violations.Take(10)));
        }
    }

    [Benchmark(Baseline = true, Description = "JsonNode.Parse (baseline)")]
    public JsonNode? ParseTemplate() => JsonNode.Parse(_templateText);

    [Benchmark(Description = "Validate, warm catalog")]
    public int ValidateWarm() => _warm.Validate(_template).Count;

    [Benchmark(Description = "Validate, cold catalog (first load)")]
    public int ValidateCold() => new TemplateSchemaValidator(new ResourceSchemaCatalog(_directory)).Validate(_template).Count;
}

/// <summary>Finds the registry schemas: <c>OTTKIT_CONFORMANCE_DIR</c>, or <c>shared/conformance</c> beside a parent folder.</summary>
internal static class SchemaDirectory
{
    private const string Relative = "cloudformation-schemas/resources";

    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("OTTKIT_CONFORMANCE_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.Combine(configured, Relative);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "conformance", Relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Set OTTKIT_CONFORMANCE_DIR to the shared/conformance folder.");
    }
}

/// <summary>A deterministic template shaped like an OTT environment: buckets, network, ECS services, ALB, CDN, WAF.</summary>
internal static class SyntheticTemplate
{
    public static JsonObject Build(int count)
    {
        var resources = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            var id = (i % 12) switch
            {
                0 => "Bucket",
                1 => "Sg",
                2 => "Role",
                3 => "Task",
                4 => "Service",
                5 => "Tg",
                6 => "Logs",
                7 => "Key",
                8 => "Repo",
                9 => "Cdn",
                10 => "Acl",
                _ => "Vpc",
            } + i.ToString(CultureInfo.InvariantCulture);
            resources[id] = Resource(i);
        }

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = "Synthetic OTT environment for benchmarks",
            ["Parameters"] = Json("""{"Env":{"Type":"String"},"Subnets":{"Type":"List<AWS::EC2::Subnet::Id>"}}"""),
            ["Conditions"] = Json("""{"IsProd":{"Fn::Equals":[{"Ref":"Env"},"prod"]}}"""),
            ["Resources"] = resources,
            ["Outputs"] = Json("""{"FirstBucket":{"Value":{"Ref":"Bucket0"},"Export":{"Name":"first-bucket"}}}"""),
        };
    }

    private static JsonObject Resource(int i)
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        var (type, properties) = (i % 12) switch
        {
            0 => ("AWS::S3::Bucket", """{"BucketName":"ott-media-#N#","VersioningConfiguration":{"Status":{"Fn::If":["IsProd","Enabled","Suspended"]}},"BucketEncryption":{"ServerSideEncryptionConfiguration":[{"ServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":{"Ref":"Key7"}}}]},"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true},"LifecycleConfiguration":{"Rules":[{"Id":"expire","Status":"Enabled","ExpirationInDays":365}]},"Tags":[{"Key":"env","Value":{"Ref":"Env"}},{"Key":"tier","Value":"media"}]}"""),
            1 => ("AWS::EC2::SecurityGroup", """{"GroupDescription":"service tier","VpcId":{"Ref":"Vpc11"},"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIp":"0.0.0.0/0"},{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"SourceSecurityGroupId":{"Fn::GetAtt":["Sg1","GroupId"]}}],"SecurityGroupEgress":[{"IpProtocol":"-1","CidrIp":"0.0.0.0/0"}]}"""),
            2 => ("AWS::IAM::Role", """{"RoleName":"ott-task-#N#","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]},"ManagedPolicyArns":["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],"Policies":[{"PolicyName":"media","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}}],"MaxSessionDuration":3600}"""),
            3 => ("AWS::ECS::TaskDefinition", """{"Family":"api-#N#","Cpu":"256","Memory":"512","NetworkMode":"awsvpc","RequiresCompatibilities":["EC2"],"TaskRoleArn":{"Fn::GetAtt":["Role2","Arn"]},"ContainerDefinitions":[{"Name":"api","Image":{"Fn::Sub":"${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/api:1"},"Essential":true,"PortMappings":[{"ContainerPort":8080,"Protocol":"tcp"}],"Environment":[{"Name":"ENV","Value":{"Ref":"Env"}}],"LogConfiguration":{"LogDriver":"awslogs","Options":{"awslogs-group":{"Ref":"Logs6"},"awslogs-region":{"Ref":"AWS::Region"}}},"HealthCheck":{"Command":["CMD-SHELL","curl -f http://localhost:8080/health"],"Interval":30,"Retries":3}}]}"""),
            4 => ("AWS::ECS::Service", """{"Cluster":"ott","DesiredCount":2,"LaunchType":"EC2","TaskDefinition":{"Ref":"Task3"},"DeploymentConfiguration":{"MaximumPercent":200,"MinimumHealthyPercent":100,"DeploymentCircuitBreaker":{"Enable":true,"Rollback":true}},"LoadBalancers":[{"ContainerName":"api","ContainerPort":8080,"TargetGroupArn":{"Ref":"Tg5"}}],"NetworkConfiguration":{"AwsvpcConfiguration":{"AssignPublicIp":"DISABLED","Subnets":{"Ref":"Subnets"},"SecurityGroups":[{"Ref":"Sg1"}]}}}"""),
            5 => ("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":8080,"Protocol":"HTTP","VpcId":{"Ref":"Vpc11"},"TargetType":"ip","HealthCheckPath":"/health","HealthCheckIntervalSeconds":15,"HealthyThresholdCount":2,"Matcher":{"HttpCode":"200-299"},"TargetGroupAttributes":[{"Key":"deregistration_delay.timeout_seconds","Value":"30"}]}"""),
            6 => ("AWS::Logs::LogGroup", """{"LogGroupName":"/ecs/ott/api-#N#","RetentionInDays":30,"KmsKeyId":{"Fn::GetAtt":["Key7","Arn"]}}"""),
            7 => ("AWS::KMS::Key", """{"Description":"media key","EnableKeyRotation":true,"PendingWindowInDays":30,"KeyPolicy":{"Version":"2012-10-17","Statement":[{"Sid":"root","Effect":"Allow","Principal":{"AWS":{"Fn::Sub":"arn:aws:iam::${AWS::AccountId}:root"}},"Action":"kms:*","Resource":"*"}]}}"""),
            8 => ("AWS::ECR::Repository", """{"RepositoryName":"ott/api-#N#","ImageTagMutability":"IMMUTABLE","ImageScanningConfiguration":{"ScanOnPush":true},"EncryptionConfiguration":{"EncryptionType":"KMS"}}"""),
            9 => ("AWS::CloudFront::Distribution", """{"DistributionConfig":{"Enabled":true,"HttpVersion":"http2","PriceClass":"PriceClass_100","Origins":[{"Id":"media","DomainName":{"Fn::GetAtt":["Bucket0","RegionalDomainName"]},"S3OriginConfig":{"OriginAccessIdentity":""},"OriginAccessControlId":"oac"}],"DefaultCacheBehavior":{"TargetOriginId":"media","ViewerProtocolPolicy":"redirect-to-https","CachePolicyId":"658327ea-f89d-4fab-a63d-7e88639e58f6","Compress":true},"ViewerCertificate":{"AcmCertificateArn":"arn:aws:acm:us-east-1:123456789012:certificate/abc","SslSupportMethod":"sni-only","MinimumProtocolVersion":"TLSv1.2_2021"},"Logging":{"Bucket":"logs.s3.amazonaws.com","Prefix":"cdn/"}}}"""),
            10 => ("AWS::WAFv2::WebACL", """{"Name":"ott-acl","Scope":"CLOUDFRONT","DefaultAction":{"Allow":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"ott-acl"},"Rules":[{"Name":"common","Priority":0,"OverrideAction":{"None":{}},"Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesCommonRuleSet"}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"common"}}]}"""),
            _ => ("AWS::EC2::VPC", """{"CidrBlock":"10.0.0.0/16","EnableDnsSupport":true,"EnableDnsHostnames":true,"InstanceTenancy":"default","Tags":[{"Key":"Name","Value":"ott"}]}"""),
        };
        return new JsonObject { ["Type"] = type, ["Properties"] = Json(properties.Replace("#N#", n, StringComparison.Ordinal)) };
    }

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;
}
