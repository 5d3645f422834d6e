namespace Workmates.OttKit.Tests.Deployment;

/// <summary>Small templates for the stack deploy scenarios.</summary>
internal static class StackTemplates
{
    public const string Media = """
        {
          "Description": "media",
          "Parameters": { "Retention": { "Type": "Number", "Default": "30" } },
          "Resources": {
            "Media": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "prod-media" } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": { "Ref": "Retention" } } },
            "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": "media" } },
            "Worker": { "Type": "AWS::EC2::Instance", "Properties": { "ImageId": "ami-12345678", "UserData": "v1" } }
          },
          "Outputs": { "MediaBucket": { "Value": { "Ref": "Media" } } }
        }
        """;

    /// <summary><see cref="Media"/> with a replaced bucket, a modified log group, a conditional replacement, a removed topic and an added queue.</summary>
    public const string MediaV2 = """
        {
          "Description": "media",
          "Parameters": { "Retention": { "Type": "Number", "Default": "30" } },
          "Resources": {
            "Media": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "prod-media-v2" } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": 90 } },
            "Worker": { "Type": "AWS::EC2::Instance", "Properties": { "ImageId": "ami-12345678", "UserData": "v2" } },
            "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": "prod-jobs" } }
          },
          "Outputs": { "MediaBucket": { "Value": { "Ref": "Media" } } }
        }
        """;

    /// <summary><see cref="Media"/> with only the log retention changed.</summary>
    public const string MediaRetention90 = """
        {
          "Description": "media",
          "Parameters": { "Retention": { "Type": "Number", "Default": "90" } },
          "Resources": {
            "Media": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "prod-media" } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": { "Ref": "Retention" } } },
            "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": "media-v2" } },
            "Worker": { "Type": "AWS::EC2::Instance", "Properties": { "ImageId": "ami-12345678", "UserData": "v1" } }
          },
          "Outputs": { "MediaBucket": { "Value": { "Ref": "Media" } } }
        }
        """;

    public const string Data = """
        {
          "Resources": {
            "DataVolume": { "Type": "AWS::EC2::Volume", "Properties": { "AvailabilityZone": "us-east-1a", "Size": 100, "Encrypted": true } },
            "BackupBucket": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "prod-backups" } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": 30 } }
          }
        }
        """;

    public const string DataVolumeMoved = """
        {
          "Resources": {
            "DataVolume": { "Type": "AWS::EC2::Volume", "Properties": { "AvailabilityZone": "us-east-1b", "Size": 100, "Encrypted": true } },
            "BackupBucket": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "prod-backups" } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": 30 } }
          }
        }
        """;

    /// <summary>A service stack as ServiceBuilder makes it: the image is <c>repository:${ImageTag}</c>.</summary>
    public const string Web = """
        {
          "Parameters": { "ImageTag": { "Type": "String" }, "LogLevel": { "Type": "String", "Default": "info" } },
          "Resources": {
            "Cluster": { "Type": "AWS::ECS::Cluster", "Properties": { "ClusterName": "prod" } },
            "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": {
              "Family": "web", "Cpu": "256", "Memory": "512",
              "ContainerDefinitions": [ { "Name": "web", "Image": { "Fn::Sub": "registry.example/web:${ImageTag}" }, "Memory": "512", "Essential": "true",
                "Environment": [ { "Name": "LOG_LEVEL", "Value": { "Ref": "LogLevel" } } ] } ] } },
            "Service": { "Type": "AWS::ECS::Service", "Properties": {
              "Cluster": { "Ref": "Cluster" }, "ServiceName": "web", "TaskDefinition": { "Ref": "Task" }, "DesiredCount": 2,
              "DeploymentConfiguration": { "DeploymentCircuitBreaker": { "Enable": true, "Rollback": true } } } }
          }
        }
        """;

    public static string Topic(string name) => $$"""
        {
          "Resources": { "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": "{{name}}" } } },
          "Outputs": { "TopicArn": { "Value": { "Ref": "Topic" } } }
        }
        """;

    public const string Waf = """
        {
          "Resources": { "WebAcl": { "Type": "AWS::WAFv2::WebACL", "Properties": { "Name": "prod-edge", "Scope": "CLOUDFRONT" } } },
          "Outputs": { "WebAclArn": { "Value": { "Ref": "WebAcl" } } }
        }
        """;

    public const string Cdn = """
        {
          "Parameters": { "WebAclArn": { "Type": "String" } },
          "Resources": { "Distribution": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": { "Ref": "WebAclArn" } } } }
        }
        """;

    /// <summary>A template above CloudFormation's 51,200-byte TemplateBody limit (about 60 kB of YAML).</summary>
    public static string Large()
    {
        var resources = string.Join(",\n", Enumerable.Range(1, 240).Select(i =>
            $$"""    "Topic{{i:D3}}": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": "{{new string('x', 200)}}" } }"""));
        return "{\n  \"Resources\": {\n" + resources + "\n  }\n}";
    }
}
