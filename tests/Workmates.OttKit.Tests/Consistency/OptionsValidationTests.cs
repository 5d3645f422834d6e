using Microsoft.Extensions.Options;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Patching;

namespace Workmates.OttKit.Tests.Consistency;

/// <summary>
/// Every options type is validated one way (<see cref="OptionsRules{TOptions}"/>): every problem at once, each naming the
/// option's path and the fix; directly as <see cref="OttKitValidationException"/>, through DI as <see cref="OptionsValidationException"/>.
/// </summary>
public sealed class OptionsValidationTests
{
    private static readonly MongoConnectionString Connection = MongoConnectionString.Parse("mongodb://db-1:27017/?replicaSet=rs0");

    public static TheoryData<string, Action, string> InvalidOptions() => new()
    {
        { "ServiceDeployOptions.Timeout", () => new ServiceDeployOptions { Timeout = TimeSpan.Zero }.Validate(), "use a value from 00:00:01" },
        { "StackDeployOptions.MaxParallelStacks", () => new StackDeployOptions { MaxParallelStacks = 0 }.Validate(), "use 1 to 16." },
        { "PatchOptions.HostBatchPercent", () => new PatchOptions { Environment = "prod", HostBatchPercent = 0 }.Validate(), "use a percentage from 1 to 100." },
        { "PatchOptions.Environment", () => new PatchOptions { Environment = " " }.Validate(), "the spec's 'name'" },
        { "S3BackupObjectStoreOptions.MaxAttempts", () => new S3BackupObjectStoreOptions { MaxAttempts = 0 }.Validate(), "at least 1." },
        { "MongoArchiveWriterOptions.SegmentSizeBytes", () => new MongoArchiveWriterOptions { SegmentSizeBytes = 1 }.Validate(), "at least 64" },
        { "BackupOptions.ParallelCollections", () => BackupOptions.Rules.Instance.ThrowIfInvalid(new BackupOptions { ConnectionString = Connection, ParallelCollections = 65 }), "mongodump's default" },
        { "RestoreOptions.BatchDocuments", () => RestoreOptions.Rules.Instance.ThrowIfInvalid(new RestoreOptions { ConnectionString = Connection, BatchDocuments = 0 }), "the default is 1000" },
        { "ArchiveCompressionOptions.Workers", () => new ArchiveCompressionOptions { Workers = 0 }.Validate(), "set 1 for one gzip stream" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptions_ThrowOttKitValidationException_NamingThePathAndTheFix(string path, Action validate, string fix)
    {
        var error = Assert.Throws<OttKitValidationException>(validate);

        var problem = Assert.Single(error.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(fix, problem.Fix, StringComparison.Ordinal);
        Assert.Contains($"\n- {path} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralBadOptions_AreAllReportedAtOnce()
    {
        var error = Assert.Throws<OttKitValidationException>(new PatchOptions { Environment = "", HostBatchPercent = 101, PollInterval = TimeSpan.Zero }.Validate);

        Assert.Equal(["PatchOptions.Environment", "PatchOptions.HostBatchPercent", "PatchOptions.PollInterval"], error.Problems.Select(p => p.Path));
    }

    [Fact]
    public void TheDefaults_AreValid()
    {
        new ServiceDeployOptions().Validate();
        new StackDeployOptions().Validate();
        new PatchOptions { Environment = "prod" }.Validate();
        new S3BackupObjectStoreOptions().Validate();
        new MongoArchiveWriterOptions().Validate();
        new ArchiveCompressionOptions().Validate();
        BackupOptions.Rules.Instance.ThrowIfInvalid(new BackupOptions { ConnectionString = Connection });
        RestoreOptions.Rules.Instance.ThrowIfInvalid(new RestoreOptions { ConnectionString = Connection });
        Assert.True(new ReplicaSetHealthCheckOptionsValidator().Validate("mongo", new ReplicaSetHealthCheckOptions()).Succeeded);
    }

    [Fact]
    public void TheDiValidator_AndTheDirectCheck_SayTheSame()
    {
        var options = new StackDeployOptions { PollInterval = TimeSpan.Zero };
        var direct = Assert.Throws<OttKitValidationException>(options.Validate);

        var throughDi = StackDeployOptions.Rules.Instance.Validate("deploy", options);

        Assert.True(throughDi.Failed);
        Assert.Equal(
            direct.Problems.Select(p => OptionsRules.Describe(p).Replace("StackDeployOptions.", "StackDeployOptions[deploy].", StringComparison.Ordinal)),
            throughDi.Failures!);
    }

    [Fact]
    public void EveryOptionsRulesType_InTheLibrary_IsExercisedHere()
    {
        var rules = typeof(OttKitException).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(OptionsRules<>))
            .Select(t => t.BaseType!.GetGenericArguments()[0].Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            ["ArchiveCompressionOptions", "BackupOptions", "MongoArchiveWriterOptions", "PatchOptions", "ReplicaSetHealthCheckOptions", "RestoreOptions", "S3BackupObjectStoreOptions", "ServiceDeployOptions", "StackDeployOptions"],
            rules);
    }
}
