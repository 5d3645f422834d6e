using Workmates.OttKit.CloudFormation.Schema;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

public sealed class ReadOnlyPropertyTests
{
    private const string P = "Resources.Subject.Properties";

    [Fact]
    public void A_top_level_read_only_property_is_reported()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::S3::Bucket", """{"BucketName":"media","Arn":"arn:aws:s3:::media"}""");

        var violation = Assert.Single(violations);
        Assert.Equal($"{P}.Arn", violation.Path);
        Assert.Equal("readOnly", violation.Rule);
        Assert.Contains("'Arn' is a read-only property of AWS::S3::Bucket", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_read_only_property_is_reported()
    {
        var violations = RegistrySchemas.ValidateResource(
            "AWS::S3::Bucket",
            """{"MetadataTableConfiguration":{"S3TablesDestination":{"TableBucketArn":"arn","TableName":"t","TableNamespace":"ns"}}}""");

        Assert.Equal($"{P}.MetadataTableConfiguration.S3TablesDestination.TableNamespace", Assert.Single(violations, v => v.Rule == "readOnly").Path);
    }

    [Fact]
    public void A_read_only_property_inside_array_items_is_reported()
    {
        var violations = RegistrySchemas.ValidateResource(
            "AWS::EFS::FileSystem",
            """{"ReplicationConfiguration":{"Destinations":[{"Region":"eu-west-1","Status":"ENABLED"}]}}""");

        Assert.Equal($"{P}.ReplicationConfiguration.Destinations[0].Status", Assert.Single(violations, v => v.Rule == "readOnly").Path);
    }

    [Fact]
    public void A_read_only_property_inside_an_Fn_If_branch_is_reported()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::EC2::SecurityGroup", """{"GroupDescription":"web","GroupId":{"Fn::If":["C","sg-1",{"Ref":"AWS::NoValue"}]}}""");

        Assert.Contains(violations, v => v.Rule == "readOnly" && v.Path == $"{P}.GroupId");
    }

    [Fact]
    public void Read_only_checking_can_be_turned_off()
    {
        var validator = new TemplateSchemaValidator(RegistrySchemas.Catalog(), new TemplateSchemaValidatorOptions { CheckReadOnlyProperties = false });

        var violations = validator.ValidateProperties("Subject", "AWS::S3::Bucket", System.Text.Json.Nodes.JsonNode.Parse("""{"Arn":"arn:aws:s3:::media"}"""));

        Assert.Empty(violations);
    }

    [Fact]
    public void Properties_not_marked_read_only_are_not_reported() =>
        Assert.Empty(RegistrySchemas.ValidateResource("AWS::KMS::Key", """{"Description":"media key","EnableKeyRotation":true}"""));
}
