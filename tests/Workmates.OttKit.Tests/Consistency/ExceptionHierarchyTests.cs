using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Patching;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Consistency;

/// <summary>Every failure OttKit throws derives from <see cref="OttKitException"/>, and a spec mistake arrives as one type.</summary>
public sealed class ExceptionHierarchyTests
{
    // A private wrapper that never leaves the Mongo client (it is translated into MongoCommandException there).
    private static readonly string[] s_internalWrappers = ["Workmates.OttKit.Mongo.Client.MongoDriverClient+MongoBulkWriteFailure"];

    private static readonly Type[] s_families =
        [typeof(OttKitValidationException), typeof(OttKitTemplateException), typeof(OttKitDeploymentException), typeof(OttKitMongoException), typeof(OttKitAwsException)];

    [Fact]
    public void EveryExceptionTypeInTheLibrary_DerivesFromOttKitException_OrIsAnAwsServiceError()
    {
        var exceptions = typeof(OttKitException).Assembly.GetTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        var strays = exceptions
            .Where(t => !typeof(OttKitException).IsAssignableFrom(t) && !typeof(AmazonServiceException).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .Except(s_internalWrappers)
            .ToList();

        Assert.True(exceptions.Count > 50, $"only {exceptions.Count} exception types found: is the reflection still finding them?");
        Assert.True(strays.Count == 0, "Exception types outside the OttKitException hierarchy:\n" + string.Join('\n', strays));
    }

    [Fact]
    public void EveryConcreteOttKitException_BelongsToOneFamily()
    {
        var orphans = typeof(OttKitException).Assembly.GetTypes()
            .Where(t => typeof(OttKitException).IsAssignableFrom(t) && !t.IsAbstract && !s_families.Any(f => f.IsAssignableFrom(t)))
            .Select(t => t.FullName!)
            .Where(n => n != "Workmates.OttKit.Blueprint.Loading.SpecSyntaxException") // internal: always converted into SpecLoadException
            .ToList();

        Assert.True(orphans.Count == 0, "OttKitException types directly under the base (put them in a family):\n" + string.Join('\n', orphans));
    }

    [Fact]
    public void AFileThatCannotBeRead_AndASpecThatBreaksARule_AreBothOttKitValidationExceptions()
    {
        var unreadable = Assert.ThrowsAny<OttKitValidationException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nservicez: []\n", "d.yaml"));
        var invalid = Assert.ThrowsAny<OttKitValidationException>(() => (TestSpecs.Valid() with { Name = "a" }).EnsureValid());

        Assert.IsType<SpecLoadException>(unreadable);
        Assert.Contains(unreadable.Problems, p => p.Path == "servicez" && p.Message.Contains("d.yaml(3,", StringComparison.Ordinal) && p.Fix.Length > 0);
        Assert.Contains(invalid.Problems, p => p.Path == "name");
    }

    [Fact]
    public void SpecLoadException_KeepsItsMessageAndItsPositionedProblems()
    {
        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nservicez: []\n", "d.yaml"));

        Assert.StartsWith("Cannot load the environment spec 'd.yaml':", error.Message, StringComparison.Ordinal);
        var problem = Assert.Single(error.Problems);
        Assert.Equal((3, "servicez"), (problem.Line, problem.Path));
        Assert.Equal(error.Problems.Count, ((OttKitValidationException)error).Problems.Count);
    }

    [Theory]
    [InlineData(typeof(SpecLoadException), "spec-load")]
    [InlineData(typeof(OttKitValidationException), "spec-invalid")]
    public void TheCli_ReportsEveryValidationException_AsAUserMistake(Type type, string code)
    {
        var error = type == typeof(SpecLoadException)
            ? (Exception)new SpecLoadException("d.yaml", [new SpecLoadProblem("servicez", 3, 1, "unknown key")])
            : new OttKitValidationException([new ValidationProblem("region", "bad", "use ap-south-1")]);

        var failure = FailureClassifier.Classify(error);

        Assert.Equal((FailureKind.UserMistake, code), (failure.Kind, failure.Code));
    }

    [Fact]
    public void TheCli_NeverCallsAnOttKitFailureADefect_UnlessItIsATemplateTheBlueprintBuilt()
    {
        Exception[] failures =
        [
            new StackDeploymentException(StackDeploymentErrorKind.UnknownStack, "x", "no stack x; use one of a, b."),
            new PatchException("nothing to patch"),
            new MongoConfigurationException("bad uri"),
            new AwsWaiterException("waiter failed"),
        ];

        Assert.All(failures, e => Assert.NotEqual(FailureKind.Bug, FailureClassifier.Classify(e).Kind));
    }
}
