using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Tests.Mongo.Bson;

public sealed class BsonWriterTests
{
    [Fact]
    public void Builder_CommandDocument_MatchesTheModelEncoding()
    {
        using var writer = new BsonWriter(16);
        writer.WriteStartDocument();
        writer.WriteName("find");
        writer.WriteString("users");
        writer.WriteName("filter");
        writer.WriteStartDocument();
        writer.WriteName("age");
        writer.WriteInt32(42);
        writer.WriteEndDocument();
        writer.WriteName("tags");
        writer.WriteStartArray();
        for (var i = 0; i < 12; i++)
        {
            writer.WriteString("t" + i);
        }

        writer.WriteEndArray();
        writer.Write("limit", 10L);
        writer.WriteEndDocument();

        var tags = new BsonArray();
        for (var i = 0; i < 12; i++)
        {
            tags.Add("t" + i);
        }

        var expected = new BsonDocument { { "find", "users" }, { "filter", new BsonDocument("age", 42) }, { "tags", tags }, { "limit", 10L } }.ToBson();
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Builder_ArrayElements_GetDecimalIndexKeys()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("a");
        writer.WriteStartArray();
        for (var i = 0; i < 11; i++)
        {
            writer.WriteInt32(i);
        }

        writer.WriteEndArray();
        writer.WriteEndDocument();

        var raw = RawBsonDocument.Create(writer.WrittenMemory.ToArray());
        var names = new List<string>();
        foreach (var element in raw["a"].AsArray)
        {
            names.Add(element.Name);
        }

        Assert.Equal(Enumerable.Range(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), names);
    }

    [Fact]
    public void Builder_ValueWithoutName_ThrowsInvalidOperationException()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();

        Assert.Throws<InvalidOperationException>(() => writer.WriteInt32(1));
    }

    [Fact]
    public void Builder_FieldNameWithNul_ThrowsArgumentException()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();

        Assert.Throws<ArgumentException>(() => writer.WriteName("a\0b"));
    }

    [Fact]
    public void ToBson_CyclicDocument_ThrowsInsteadOfOverflowingTheStack()
    {
        var document = new BsonDocument();
        document.Add("self", document);

        Assert.Throws<InvalidOperationException>(() => document.ToBson());
    }

    [Fact]
    public void ToBson_OldBinarySubtype_WritesTheInnerLength()
    {
        var document = new BsonDocument { { "x", BsonValue.FromBinary(BsonBinarySubtype.OldBinary, [0xFF, 0xFF]) } };

        Assert.Equal(Convert.FromHexString("13000000057800060000000202000000FFFF00"), document.ToBson());
    }

    [Fact]
    public void WriteRawDocument_EmbedsTheBytesUnchanged()
    {
        var inner = new BsonDocument { { "_id", ObjectId.Parse("56e1fc72e0c917e9c4714161") }, { "n", 1 } }.ToBson();
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("insert");
        writer.WriteString("c");
        writer.WriteName("documents");
        writer.WriteStartArray();
        writer.WriteRawDocument(RawBsonDocument.Create(inner));
        writer.WriteEndArray();
        writer.WriteEndDocument();

        var decoded = BsonDocument.FromBson(writer.WrittenSpan);

        Assert.Equal(BsonDocument.FromBson(inner), decoded["documents"].AsArray[0].AsDocument);
    }
}
