using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Tests.Deployment;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.1", "1.4.2", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2")]
    [InlineData("registry.example:5000/team/web:old", "abc123", "registry.example:5000/team/web:abc123")]
    [InlineData("registry.example/web@sha256:0123", "v2", "registry.example/web:v2")]
    [InlineData("registry.example/web", "v2", "registry.example/web:v2")]
    [InlineData("registry.example/web:1", "other.example/web:9", "other.example/web:9")]
    [InlineData("registry.example/web:1", "web:9", "web:9")]
    public void Resolve_TagOrUri_GivesTheImageToRegister(string current, string argument, string expected) =>
        Assert.Equal(expected, ImageReference.Resolve(current, argument));
}
