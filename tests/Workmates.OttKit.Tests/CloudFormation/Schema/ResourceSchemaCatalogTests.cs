using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

public sealed class ResourceSchemaCatalogTests
{
    [Theory]
    [InlineData("AWS::EC2::VPC", "aws-ec2-vpc.json")]
    [InlineData("AWS::ElasticLoadBalancingV2::TargetGroup", "aws-elasticloadbalancingv2-targetgroup.json")]
    [InlineData("AWS::WAFv2::WebACL", "aws-wafv2-webacl.json")]
    public void File_names_follow_the_registry_naming_rule(string type, string file) =>
        Assert.Equal(file, ResourceSchemaCatalog.FileNameOf(type));

    [Fact]
    public void A_missing_directory_is_refused_with_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "ottkit-no-such-schemas-" + Guid.NewGuid().ToString("N"));

        var exception = Assert.Throws<SchemaCatalogException>(() => new ResourceSchemaCatalog(missing));

        Assert.Equal(missing, exception.Directory);
    }

    [Fact]
    public void Schemas_load_lazily_one_type_at_a_time()
    {
        var catalog = new ResourceSchemaCatalog(Conformance.Require(RegistrySchemas.Folder));
        Assert.Equal(0, catalog.LoadedCount);

        Assert.True(catalog.Contains("AWS::S3::Bucket"));

        Assert.Equal(1, catalog.LoadedCount);
    }

    [Fact]
    public void Concurrent_lookups_share_one_compiled_schema()
    {
        var catalog = new ResourceSchemaCatalog(Conformance.Require(RegistrySchemas.Folder));

        var schemas = Enumerable.Range(0, 64).AsParallel().Select(_ => catalog.Find("AWS::ECS::TaskDefinition")).ToList();

        Assert.All(schemas, s => Assert.Same(schemas[0], s));
        Assert.NotNull(schemas[0]);
    }

    [Fact]
    public void Catalogs_do_not_share_state()
    {
        var directory = Conformance.Require(RegistrySchemas.Folder);
        var first = new ResourceSchemaCatalog(directory);
        var second = new ResourceSchemaCatalog(directory);

        Assert.NotSame(first.Find("AWS::S3::Bucket"), second.Find("AWS::S3::Bucket"));
    }

    [Fact]
    public void A_schema_file_that_is_not_json_is_reported_as_a_violation_not_a_crash()
    {
        var directory = Directory.CreateTempSubdirectory("ottkit-schemas-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "aws-s3-bucket.json"), "{ not json");
            var validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(directory.FullName));

            var violation = Assert.Single(validator.ValidateProperties("Media", "AWS::S3::Bucket", null));

            Assert.Equal("Resources.Media.Type", violation.Path);
            Assert.Contains("cannot be read", violation.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_types_are_not_found() =>
        Assert.False(RegistrySchemas.Catalog().Contains("AWS::Nope::Thing"));
}
