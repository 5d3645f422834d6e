using System.Text.Json.Nodes;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Tests.Deployment;

public sealed class StackDataProtectionTests
{
    [Fact]
    public void ProtectedResources_AreVolumesAndBucketsThatSayBackup()
    {
        var template = JsonNode.Parse("""
            {
              "Resources": {
                "DataVolume1": { "Type": "AWS::EC2::Volume", "Properties": { "Size": 100 } },
                "Backups": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": { "Fn::Sub": "${AWS::StackName}-snapshots" } } },
                "Archive": { "Type": "AWS::S3::Bucket", "Properties": { "Tags": [ { "Key": "purpose", "Value": "mongodb-backup" } ] } },
                "Media": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "media" } },
                "Logs": { "Type": "AWS::Logs::LogGroup" }
              }
            }
            """)!.AsObject();

        Assert.Equal(["Archive", "Backups", "DataVolume1"], StackDataProtection.ProtectedResources(template));
    }

    [Fact]
    public void Policy_AllowsUpdatesAndDeniesReplaceAndDeleteOnTheDataResources()
    {
        var policy = JsonNode.Parse(StackDataProtection.Policy(["Volume", "Backups"])!)!;

        var statements = policy["Statement"]!.AsArray();
        Assert.Equal(("Allow", "Update:*", "*"), (statements[0]!["Effect"]!.GetValue<string>(), statements[0]!["Action"]!.GetValue<string>(), statements[0]!["Resource"]!.GetValue<string>()));
        Assert.Equal("Deny", statements[1]!["Effect"]!.GetValue<string>());
        Assert.Equal(["Update:Replace", "Update:Delete"], statements[1]!["Action"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["LogicalResourceId/Backups", "LogicalResourceId/Volume"], statements[1]!["Resource"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Policy_NothingToProtect_IsNull() => Assert.Null(StackDataProtection.Policy([]));

    [Theory]
    [InlineData("123456789012.dkr.ecr.ap-south-1.amazonaws.com/web:1.4.2", "1.4.2")]
    [InlineData("registry.example:5000/team/web:build-7", "build-7")]
    [InlineData("registry.example:5000/team/web", null)]
    [InlineData("web@sha256:0123456789abcdef", null)]
    [InlineData("", null)]
    public void ImageTagOf_ReadsTheTagOfAnImageReference(string image, string? tag) => Assert.Equal(tag, StackDeployer.ImageTagOf(image));
}
