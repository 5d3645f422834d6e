using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Tests.Mongo.Backup;

public sealed class NamespaceRenamerTests
{
    [Theory]
    [InlineData("ott.*", "ott_copy.*", "ott.videos", "ott_copy.videos")]
    [InlineData("ott.*", "ott_copy.*", "other.videos", "other.videos")]
    [InlineData("$db$.videos", "$db$.videos_old", "ott.videos", "ott.videos_old")]
    [InlineData("data.$prefix$_$customer$", "$customer$.$prefix$", "data.events_acme", "acme.events")]
    [InlineData("ott.videos", "archive.videos", "ott.videos", "archive.videos")]
    public void Rename_Pattern_BuildsTheTarget(string from, string to, string source, string expected)
    {
        var renamer = BackupNamespaces.Filter([], [], [new NamespaceRename(from, to)]);

        Assert.Equal(expected, renamer.Rename(source));
    }

    [Fact]
    public void Rename_PatternWithoutADot_IsRefusedWithAnExample()
    {
        var error = Assert.Throws<MongoBackupException>(() => BackupNamespaces.Filter([], [], [new NamespaceRename("ott", "copy")]));

        Assert.Equal(MongoBackupFailureReason.InvalidOptions, error.Reason);
        Assert.Contains("'ott.*'", error.Message, StringComparison.Ordinal);
    }
}

public sealed class OplogReplayTests
{
    private static (string, string) Same(string db, string coll) => (db, coll);

    private static BsonDocument Entry(string op, string ns, BsonDocument o) =>
        new() { { "ts", new BsonTimestamp(10, 1) }, { "op", op }, { "ns", ns }, { "ui", BsonValue.FromGuid(Guid.NewGuid()) }, { "o", o } };

    [Fact]
    public void Prepare_Insert_DropsTheSourceUuid()
    {
        var prepared = OplogReplay.Prepare(Entry("i", "ott.videos", new BsonDocument("_id", 1)), (_, _) => true, Same);

        Assert.NotNull(prepared);
        Assert.False(prepared.Contains("ui"));
        Assert.Equal("ott.videos", prepared["ns"].AsString);
    }

    [Fact]
    public void Prepare_Noop_IsSkipped() =>
        Assert.Null(OplogReplay.Prepare(Entry("n", "", new BsonDocument("msg", "periodic noop")), (_, _) => true, Same));

    [Fact]
    public void Prepare_ExcludedNamespace_IsSkipped() =>
        Assert.Null(OplogReplay.Prepare(Entry("i", "ott.secrets", new BsonDocument("_id", 1)), (_, c) => c != "secrets", Same));

    [Fact]
    public void Prepare_CreateCommandUnderRename_RenamesDatabaseAndCollection()
    {
        var prepared = OplogReplay.Prepare(Entry("c", "ott.$cmd", new BsonDocument("create", "videos")), (_, _) => true, (db, coll) => (db + "_copy", coll + "_v2"));

        Assert.NotNull(prepared);
        Assert.Equal("ott_copy.$cmd", prepared["ns"].AsString);
        Assert.Equal("videos_v2", prepared["o"].AsDocument["create"].AsString);
    }
}
