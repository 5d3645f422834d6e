using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class NamespaceFilterTests
{
    [Theory]
    [InlineData("prod.users", true)]
    [InlineData("prod.orders", true)]
    [InlineData("staging.users", false)]
    public void Includes_DatabaseWildcard_MatchesOnlyThatDatabase(string ns, bool expected) =>
        Assert.Equal(expected, new NamespaceFilter(include: ["prod.*"]).Includes(ns));

    [Fact]
    public void Includes_NoIncludePatterns_MeansEveryNamespace() => Assert.True(NamespaceFilter.All.Includes("any.thing"));

    [Fact]
    public void Includes_ExcludesApplyAfterIncludes()
    {
        var filter = new NamespaceFilter(include: ["internal.*"], exclude: ["*.top_secret"]);

        Assert.True(filter.Includes("internal.payroll"));
        Assert.False(filter.Includes("internal.top_secret"));
        Assert.False(filter.Includes("public.top_secret"));
    }

    [Theory]
    [InlineData("tests.a", false)]
    [InlineData("app.test_runs", false)]
    [InlineData("app.users", true)]
    public void Includes_SeveralExcludes_EachRemovesItsMatches(string ns, bool expected) =>
        Assert.Equal(expected, new NamespaceFilter(exclude: ["tests.*", "*.test*"]).Includes(ns));

    [Fact]
    public void Includes_EscapedAsterisk_IsLiteral()
    {
        var filter = new NamespaceFilter(include: [@"db.a\*b"]);

        Assert.True(filter.Includes("db.a*b"));
        Assert.False(filter.Includes("db.axxb"));
    }

    [Fact]
    public void Includes_DotIsLiteralNotARegexWildcard() => Assert.False(new NamespaceFilter(include: ["db.c"]).Includes("dbxc"));

    [Theory]
    [InlineData("prod.users", "staging.users")]
    [InlineData("prod.a.b", "staging.a.b")]
    [InlineData("other.users", "other.users")]
    public void Rename_DatabaseWildcard_MovesCollectionsAcross(string ns, string expected) =>
        Assert.Equal(expected, new NamespaceFilter(renames: [new("prod.*", "staging.*")]).Rename(ns));

    [Fact]
    public void Rename_TwoWildcards_PairInOrderAndMatchTheSmallestOccurrence() =>
        Assert.Equal("db.members_v2", new NamespaceFilter(renames: [new("*.user*", "*.member*")]).Rename("db.users_v2"));

    [Fact]
    public void Rename_Variables_CanBeReorderedAndRepeated()
    {
        var filter = new NamespaceFilter(renames: [new("$db$.$coll$", "archive_$db$.$coll$_from_$db$")]);

        Assert.Equal("archive_shop.orders_from_shop", filter.Rename("shop.orders"));
    }

    [Fact]
    public void Rename_FirstMatchingRuleWins()
    {
        var filter = new NamespaceFilter(renames: [new("db.special", "x.special"), new("db.*", "y.*")]);

        Assert.Equal("x.special", filter.Rename("db.special"));
        Assert.Equal("y.other", filter.Rename("db.other"));
    }

    [Fact]
    public void Map_ExcludedNamespace_IsNull() =>
        Assert.Null(new NamespaceFilter(exclude: ["db.*"]).Map(new MongoArchiveNamespace("db", "c")));

    [Fact]
    public void Map_RenamedNamespace_SplitsAtTheFirstDot() =>
        Assert.Equal(
            new MongoArchiveNamespace("b", "c.d"),
            new NamespaceFilter(renames: [new("a.*", "b.*")]).Map(new MongoArchiveNamespace("a", "c.d")));

    [Fact]
    public void Map_IncludeAppliesToTheNameAsDumpedNotTheTarget() =>
        Assert.Equal(
            new MongoArchiveNamespace("staging", "users"),
            new NamespaceFilter(include: ["prod.*"], renames: [new("prod.*", "staging.*")]).Map(new MongoArchiveNamespace("prod", "users")));

    [Fact]
    public void Constructor_RenameWithDifferentWildcardCounts_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NamespaceFilter(renames: [new("a.*", "b.c")]));

        Assert.Contains("nsTo[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TargetVariableNotCaptured_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NamespaceFilter(renames: [new("$db$.c", "$other$.c")]));

        Assert.Contains("$other$", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnclosedVariable_Throws() =>
        Assert.Throws<ArgumentException>(() => new NamespaceFilter(include: ["$db.c"]));

    [Fact]
    public void Constructor_EmptyPattern_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NamespaceFilter(exclude: ["a.b", ""]));

        Assert.Contains("nsExclude[1]", ex.Message, StringComparison.Ordinal);
    }
}
