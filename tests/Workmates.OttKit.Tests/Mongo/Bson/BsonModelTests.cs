using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Tests.Mongo.Bson;

public sealed class BsonModelTests
{
    [Fact]
    public void RawBsonDocument_TryGetValueByUtf8Name_DoesNotAllocate()
    {
        var bytes = new BsonDocument { { "a", 1 }, { "b", "two" }, { "ok", 1.0 } }.ToBson();
        var raw = RawBsonDocument.Create(bytes);
        raw.TryGetValue("ok"u8, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var found = raw.TryGetValue("ok"u8, out var ok);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(found);
        Assert.Equal(1.0, ok.AsDouble);
    }

    [Fact]
    public void RawBsonDocument_NestedLookup_ReadsOnlyTheValue()
    {
        var id = ObjectId.Parse("0123456789abcdef01234567");
        var bytes = new BsonDocument { { "cursor", new BsonDocument { { "id", 0L }, { "ns", "db.c" }, { "firstBatch", new BsonArray { new BsonDocument("_id", id) } } } } }.ToBson();

        var cursor = RawBsonDocument.Create(bytes)["cursor"].AsDocument;

        Assert.Equal(0L, cursor["id"].AsInt64);
        Assert.Equal("db.c", cursor["ns"].AsString);
        Assert.Equal(id, cursor["firstBatch"].AsArray["0"].AsDocument["_id"].AsObjectId);
    }

    [Fact]
    public void FromBson_WithNameTable_ReusesFieldNameStrings()
    {
        var bytes = new BsonDocument { { "contentId", 1 }, { "naïve", 2 } }.ToBson();
        var options = new BsonReadOptions { NameTable = new BsonNameTable() };

        var first = BsonDocument.FromBson(bytes, options);
        var second = BsonDocument.FromBson(bytes, options);

        Assert.Same(first[0].Name, second[0].Name);
        Assert.Equal("naïve", second[1].Name);
        Assert.Equal(first, second);
    }

    [Fact]
    public void BsonDocument_Indexer_ReplacesTheFirstElementInPlace()
    {
        var document = new BsonDocument { { "a", 1 }, { "b", 2 } };

        document["a"] = "x";

        Assert.Equal("{\"a\":\"x\",\"b\":2}", document.ToExtendedJson());
    }

    [Fact]
    public void BsonValue_IsA24ByteStruct()
    {
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<BsonValue>());
    }

    [Fact]
    public void BsonValue_Decimal128AndObjectId_RoundTripThroughTheUnion()
    {
        var id = ObjectId.Parse("ffffffffffffffffffffffff");
        var d = Decimal128.Parse("-1.000000000000000000000000000000000E+6144");

        var document = BsonDocument.FromBson(new BsonDocument { { "id", id }, { "d", d } }.ToBson());

        Assert.Equal(id, document["id"].AsObjectId);
        Assert.Equal(d, document["d"].AsDecimal128);
        Assert.Equal(BsonValue.FromDecimal128(d), document["d"]);
    }

    [Fact]
    public void BsonValue_DefaultIsNull()
    {
        var document = new BsonDocument { { "n", default(BsonValue) } };

        Assert.True(BsonDocument.FromBson(document.ToBson())["n"].IsNull);
    }

    [Fact]
    public void BsonValue_WrongAccessor_ThrowsInvalidCastException()
    {
        BsonValue value = 1;

        Assert.Throws<InvalidCastException>(() => value.AsString);
    }

    [Fact]
    public void BsonValue_Guid_RoundTripsAsSubtype4()
    {
        var guid = Guid.Parse("73ffd264-44b3-4c69-90e8-e7d1dfc035d4");

        var value = BsonDocument.FromBson(new BsonDocument("u", BsonValue.FromGuid(guid)).ToBson())["u"];

        Assert.Equal(BsonBinarySubtype.Uuid, value.BinarySubtype);
        Assert.Equal(guid, value.AsGuid);
    }

    [Theory]
    [InlineData("1.5E+3", "1.5E+3")]
    [InlineData("-0.001", "-0.001")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    [InlineData("1E-7", "1E-7")]
    [InlineData("-Infinity", "-Infinity")]
    public void Decimal128_ParseThenFormat_IsStable(string text, string expected)
    {
        Assert.Equal(expected, Decimal128.Parse(text).ToString());
    }

    [Fact]
    public void ObjectId_ParseAndFormat_RoundTrip()
    {
        const string hex = "56e1fc72e0c917e9c4714161";

        var id = ObjectId.Parse(hex);

        Assert.Equal(hex, id.ToString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x56e1fc72), id.CreationTime);
    }

    [Fact]
    public void ExtendedJson_NumericDate_IsRejectedByDefault()
    {
        Assert.Throws<BsonFormatException>(() => BsonDocument.ParseExtendedJson("{\"d\": {\"$date\": 1356351330501}}"));
    }

    [Fact]
    public void ExtendedJson_NumericDate_IsAcceptedWhenEnabled()
    {
        var options = ExtendedJsonReadOptions.Default with { AcceptNumericDate = true };

        var document = BsonDocument.ParseExtendedJson("{\"d\": {\"$date\": 1356351330501}}", options);

        Assert.Equal(1356351330501L, document["d"].AsDateTimeMilliseconds);
    }

    [Fact]
    public void ExtendedJson_DateWithOffset_IsConvertedToUtc()
    {
        var document = BsonDocument.ParseExtendedJson("{\"d\": {\"$date\": \"2012-12-24T13:15:30.501+01:00\"}}");

        Assert.Equal(1356351330501L, document["d"].AsDateTimeMilliseconds);
    }

    [Fact]
    public void ExtendedJson_NestingBeyondTheLimit_ThrowsBsonFormatException()
    {
        var json = string.Concat(Enumerable.Repeat("{\"a\":", 101)) + "1" + new string('}', 101);

        Assert.Throws<BsonFormatException>(() => BsonDocument.ParseExtendedJson(json));
    }
}
