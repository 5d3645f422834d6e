namespace Workmates.OttKit.Tests.CloudFormation.Schema;

/// <summary>
/// Good and bad property sets for the resource types the library generates, checked against the real registry
/// schemas. A bad case names the exact path of the violation and a fragment of its message.
/// </summary>
public sealed class ResourcePropertyValidationTests
{
    private const string P = "Resources.Subject.Properties";

    public static TheoryData<string, string> GoodCases => new()
    {
        { "AWS::S3::Bucket", """{"BucketName":"media-bucket-1","VersioningConfiguration":{"Status":"Enabled"},"Tags":[{"Key":"env","Value":"prod"}]}""" },
        { "AWS::S3::Bucket", """{"BucketEncryption":{"ServerSideEncryptionConfiguration":[{"ServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":{"Ref":"Key"}}}]},"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}}""" },
        { "AWS::EC2::VPC", """{"CidrBlock":"10.0.0.0/16","EnableDnsSupport":true,"EnableDnsHostnames":true,"Tags":[{"Key":"Name","Value":"ott"}]}""" },
        { "AWS::EC2::SecurityGroup", """{"GroupDescription":"web tier","VpcId":{"Ref":"Vpc"},"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIp":"0.0.0.0/0"},{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"SourceSecurityGroupId":{"Fn::GetAtt":["Alb","GroupId"]}}]}""" },
        { "AWS::IAM::Role", """{"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]},"MaxSessionDuration":3600,"Path":"/","Policies":[{"PolicyName":"read","PolicyDocument":{"Version":"2012-10-17","Statement":[]}}]}""" },
        { "AWS::ECS::TaskDefinition", """{"Family":"api","Cpu":"256","Memory":"512","NetworkMode":"awsvpc","RequiresCompatibilities":["EC2"],"ContainerDefinitions":[{"Name":"api","Image":"repo/api:1","Essential":true,"PortMappings":[{"ContainerPort":8080,"Protocol":"tcp"}]}]}""" },
        { "AWS::ECS::Service", """{"Cluster":{"Ref":"Cluster"},"DesiredCount":2,"LaunchType":"EC2","TaskDefinition":{"Ref":"Task"},"LoadBalancers":[{"ContainerName":"api","ContainerPort":8080,"TargetGroupArn":{"Ref":"Tg"}}],"NetworkConfiguration":{"AwsvpcConfiguration":{"AssignPublicIp":"DISABLED","Subnets":{"Ref":"Subnets"}}}}""" },
        { "AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Type":"application","Scheme":"internet-facing","Subnets":{"Ref":"SubnetIds"},"SecurityGroups":[{"Ref":"Sg"}],"LoadBalancerAttributes":[{"Key":"deletion_protection.enabled","Value":"true"}]}""" },
        { "AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":80,"Protocol":"HTTP","VpcId":{"Ref":"Vpc"},"TargetType":"ip","HealthCheckPath":"/health","HealthCheckIntervalSeconds":30,"Matcher":{"HttpCode":"200"}}""" },
        { "AWS::Logs::LogGroup", """{"LogGroupName":"/ecs/api","RetentionInDays":30}""" },
        { "AWS::KMS::Key", """{"EnableKeyRotation":true,"PendingWindowInDays":7,"KeyPolicy":{"Version":"2012-10-17","Statement":[]}}""" },
        { "AWS::ECR::Repository", """{"RepositoryName":"ott/api","ImageTagMutability":"IMMUTABLE","ImageScanningConfiguration":{"ScanOnPush":true}}""" },
        { "AWS::CloudFront::Distribution", """{"DistributionConfig":{"Enabled":true,"Origins":[{"Id":"media","DomainName":"media.s3.amazonaws.com","S3OriginConfig":{"OriginAccessIdentity":""}}],"DefaultCacheBehavior":{"TargetOriginId":"media","ViewerProtocolPolicy":"redirect-to-https"},"ViewerCertificate":{"CloudFrontDefaultCertificate":true}}}""" },
        { "AWS::WAFv2::WebACL", """{"DefaultAction":{"Allow":{}},"Scope":"CLOUDFRONT","VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"ott-acl"}}""" },
    };

    public static TheoryData<string, string, string, string> BadCases => new()
    {
        { "AWS::S3::Bucket", """{"Versioning":{"Status":"Enabled"}}""", $"{P}.Versioning", "unknown property 'Versioning' (closest match VersioningConfiguration;" },
        { "AWS::S3::Bucket", """{"VersioningConfiguration":{"Status":"Enable"}}""", $"{P}.VersioningConfiguration.Status", "value 'Enable' is not one of: Enabled, Suspended" },
        { "AWS::S3::Bucket", """{"VersioningConfiguration":{}}""", $"{P}.VersioningConfiguration", "missing required property 'Status'" },
        { "AWS::S3::Bucket", """{"Tags":[{"Key":"a","Value":"b"},{"Key":"c","Value":"d"},{"Value":"x"}]}""", $"{P}.Tags[2]", "missing required property 'Key'" },
        { "AWS::S3::Bucket", """{"BucketName":"Media_Bucket"}""", $"{P}.BucketName", "does not match the pattern" },
        { "AWS::EC2::VPC", """{"EnableDnsSupport":true}""", P, "set exactly one of: CidrBlock, Ipv4IpamPoolId" },
        { "AWS::EC2::VPC", """{"CidrBlock":"10.0.0.0/16","InstanceTenancy":"shared"}""", $"{P}.InstanceTenancy", "value 'shared' is not one of: dedicated, default, host" },
        { "AWS::EC2::VPC", """{"CidrBlock":"10.0.0.0/16","EnableDnsSupport":"yes"}""", $"{P}.EnableDnsSupport", "expected boolean but found string 'yes'" },
        { "AWS::EC2::VPC", """{"Ipv4IpamPoolId":"ipam-pool-1"}""", P, "'Ipv4IpamPoolId' requires 'Ipv4NetmaskLength'" },
        { "AWS::EC2::SecurityGroup", """{"VpcId":{"Ref":"Vpc"}}""", P, "missing required property 'GroupDescription'" },
        { "AWS::EC2::SecurityGroup", """{"GroupDescription":"web","SecurityGroupIngress":[{"IpProtocol":"tcp","CidrIp":"0.0.0.0/0","SourceSecurityGroupId":"sg-1"}]}""", $"{P}.SecurityGroupIngress[0]", "set exactly one of: CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName (found CidrIp, SourceSecurityGroupId)" },
        { "AWS::EC2::SecurityGroup", """{"GroupDescription":"web","SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":-5,"CidrIp":"0.0.0.0/0"}]}""", $"{P}.SecurityGroupIngress[0].FromPort", "value -5 is below the minimum -1" },
        { "AWS::EC2::SecurityGroup", """{"GroupDescription":"web|tier"}""", $"{P}.GroupDescription", "value 'web|tier' does not match the pattern" },
        { "AWS::IAM::Role", """{"AssumeRolePolicyDocument":{},"MaxSessionDuration":60}""", $"{P}.MaxSessionDuration", "value 60 is below the minimum 3600" },
        { "AWS::IAM::Role", """{"AssumeRolePolicyDocument":{},"Policies":[{"PolicyName":"p"}]}""", $"{P}.Policies[0]", "missing required property 'PolicyDocument'" },
        { "AWS::IAM::Role", """{"AssumeRolePolicyDocument":{},"RoleName":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", $"{P}.RoleName", "is 65 characters long; it must be at most 64" },
        { "AWS::IAM::Role", """{"AssumeRolePolicyDocument":[]}""", $"{P}.AssumeRolePolicyDocument", "expected object or string but found an array" },
        { "AWS::ECS::TaskDefinition", """{"ContainerDefinitions":[{"Name":"api"}]}""", $"{P}.ContainerDefinitions[0]", "missing required property 'Image'" },
        { "AWS::ECS::TaskDefinition", """{"ContainerDefinitions":[{"Name":"api","Image":"i","PortMappings":[{"ContainerPort":80,"Protocol":"TCP"}]}]}""", $"{P}.ContainerDefinitions[0].PortMappings[0].Protocol", "value 'TCP' is not one of: tcp, udp (did you mean 'tcp'?)" },
        { "AWS::ECS::TaskDefinition", """{"RequiresCompatibilities":["FARGATE","LAMBDA"]}""", $"{P}.RequiresCompatibilities[1]", "value 'LAMBDA' is not one of" },
        { "AWS::ECS::Service", """{"DesiredCount":"two"}""", $"{P}.DesiredCount", "expected integer but found string 'two'" },
        { "AWS::ECS::Service", """{"NetworkConfiguration":{"AwsvpcConfiguration":{"AssignPublicIp":"YES"}}}""", $"{P}.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp", "value 'YES' is not one of: DISABLED, ENABLED" },
        { "AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Scheme":"public","Subnets":["subnet-1","subnet-2"]}""", $"{P}.Scheme", "value 'public' is not one of: internal, internet-facing" },
        { "AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":["subnet-1"],"SubnetMappings":[{"SubnetId":"subnet-1"}]}""", P, "set exactly one of: Subnets, SubnetMappings (found Subnets, SubnetMappings)" },
        { "AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":["subnet-1","subnet-1"]}""", $"{P}.Subnets", "items [0] and [1] are equal" },
        { "AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":70000}""", $"{P}.Port", "value 70000 is above the maximum 65535" },
        { "AWS::ElasticLoadBalancingV2::TargetGroup", """{"HealthCheckIntervalSeconds":2}""", $"{P}.HealthCheckIntervalSeconds", "value 2 is below the minimum 5" },
        { "AWS::ElasticLoadBalancingV2::TargetGroup", """{"Matcher":{"HttpCodes":"200"}}""", $"{P}.Matcher.HttpCodes", "unknown property 'HttpCodes' (closest match HttpCode;" },
        { "AWS::Logs::LogGroup", """{"RetentionInDays":31}""", $"{P}.RetentionInDays", "value '31' is not one of: 1, 3, 5, 7, 14, 30" },
        { "AWS::Logs::LogGroup", """{"LogGroupName":"bad name!"}""", $"{P}.LogGroupName", "does not match the pattern" },
        { "AWS::KMS::Key", """{"PendingWindowInDays":3}""", $"{P}.PendingWindowInDays", "value 3 is below the minimum 7" },
        { "AWS::KMS::Key", """{"KeySpec":"AES_256"}""", $"{P}.KeySpec", "value 'AES_256' is not one of: SYMMETRIC_DEFAULT" },
        { "AWS::ECR::Repository", """{"RepositoryName":"Ott/API"}""", $"{P}.RepositoryName", "value 'Ott/API' does not match the pattern" },
        { "AWS::ECR::Repository", """{"ImageTagMutability":"immutable"}""", $"{P}.ImageTagMutability", "(did you mean 'IMMUTABLE'?)" },
        { "AWS::CloudFront::Distribution", """{"DistributionConfig":{"Enabled":true}}""", $"{P}.DistributionConfig", "missing required property 'DefaultCacheBehavior'" },
        { "AWS::CloudFront::Distribution", """{}""", P, "missing required property 'DistributionConfig'" },
        { "AWS::CloudFront::Distribution", """{"DistributionConfig":{"Enabled":true,"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"https-only"},"ViewerCertificate":{"AcmCertificateArn":"arn:aws:acm:us-east-1:1:certificate/x"}}}""", $"{P}.DistributionConfig.ViewerCertificate", "'AcmCertificateArn' requires 'SslSupportMethod' to be set too" },
        { "AWS::CloudFront::Distribution", """{"DistributionConfig":{"Enabled":true,"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"https-only"},"Origins":[{"Id":"o","DomainName":"d","S3OriginConfig":{},"CustomOriginConfig":{"OriginProtocolPolicy":"https-only"}}]}}""", $"{P}.DistributionConfig.Origins[0]", "'CustomOriginConfig' cannot be used together with 'S3OriginConfig'" },
        { "AWS::CloudFront::Distribution", """{"DistributionConfig":{"Enabled":true,"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"http"}}}""", $"{P}.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy", "value 'http' is not one of: allow-all, https-only, redirect-to-https" },
        { "AWS::WAFv2::WebACL", """{"DefaultAction":{"Allow":{}},"Scope":"GLOBAL","VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"acl"}}""", $"{P}.Scope", "value 'GLOBAL' is not one of: CLOUDFRONT, REGIONAL" },
        { "AWS::WAFv2::WebACL", """{"DefaultAction":{"Allow":{}},"Scope":"REGIONAL","VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"bad name"}}""", $"{P}.VisibilityConfig.MetricName", "value 'bad name' does not match the pattern" },
        { "AWS::WAFv2::WebACL", """{"DefaultAction":{"Allow":{}},"Scope":"REGIONAL","VisibilityConfig":{"SampledRequestsEnabled":true,"MetricName":"acl"}}""", $"{P}.VisibilityConfig", "missing required property 'CloudWatchMetricsEnabled'" },
    };

    [Theory]
    [MemberData(nameof(GoodCases))]
    public void Valid_properties_have_no_violations(string type, string properties)
    {
        var violations = RegistrySchemas.ValidateResource(type, properties);

        Assert.True(violations.Count == 0, RegistrySchemas.Describe(violations));
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Invalid_properties_are_reported_at_their_exact_path(string type, string properties, string path, string message)
    {
        var violations = RegistrySchemas.ValidateResource(type, properties);

        Assert.True(
            violations.Any(v => v.Path == path && v.Message.Contains(message, StringComparison.Ordinal)),
            $"expected '{path}: …{message}…' but got:{Environment.NewLine}{RegistrySchemas.Describe(violations)}");
        Assert.All(violations, v => Assert.StartsWith($"{path}: ", v.ToString(), StringComparison.Ordinal));
    }
}
