using System.Text;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Tests.Mongo.Bson;

/// <summary>Extended JSON under hostile input: only <see cref="BsonFormatException"/>, linear memory, a depth ceiling.</summary>
public sealed class ExtendedJsonLimitTests
{
    [Theory]
    [InlineData("""{"a": "\uD800"}""")]
    [InlineData("""{"\uDC00": 1}""")]
    [InlineData("""{"a": {"$oid": "\uD800"}}""")]
    [InlineData("""{"a": {"$numberLong": "\uDBFF"}}""")]
    [InlineData("""{"a": {"$symbol": "x\uD800"}}""")]
    [InlineData("""{"a": {"$regularExpression": {"pattern": "\uD800", "options": ""}}}""")]
    [InlineData("""{"a": {"$regex": "\uD800", "$options": ""}}""")]
    [InlineData("""{"a": {"$binary": {"base64": "\uD800", "subType": "00"}}}""")]
    [InlineData("""{"a": {"$code": "\uD800"}}""")]
    [InlineData("""{"a": {"$date": "\uD800"}}""")]
    [InlineData("""{"a": {"$dbPointer": {"$ref": "\uD800", "$id": {"$oid": "57e193d7a9cc81b4027498b5"}}}}""")]
    [InlineData("""{"a": {"$date": {"$numberLong": "\uD800"}}}""")]
    public void ParseDocument_LoneSurrogateEscape_ThrowsBsonFormatException(string json)
    {
        var error = Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseDocument(json));

        Assert.Contains("Invalid Extended JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseDocument_DeepAndWideInputOf140KB_AllocatesLinearlyNotAPathPerElement()
    {
        // 99 levels of 1,000-character keys, then 20,000 array elements: 140 KB of JSON. A path string per element
        // would be about 20,000 × 100 KB = 2 GB of allocations.
        var key = new string('k', 1000);
        var json = new StringBuilder();
        for (var i = 0; i < 99; i++)
        {
            json.Append("{\"").Append(key).Append("\":");
        }

        json.Append('[').Append(string.Join(",", Enumerable.Repeat("0", 20_000))).Append(']').Append('}', 99);
        var text = json.ToString();
        Assert.InRange(text.Length, 130_000, 150_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var document = ExtendedJson.ParseDocument(text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, document.Count);
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated:N0} bytes allocated for {text.Length:N0} characters");
    }

    [Fact]
    public void ParseDocument_ErrorDeepInAnArray_StillNamesThePath()
    {
        var error = Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseDocument("""{"a": [1, {"b": {"$oid": "zz"}}]}"""));

        Assert.Contains("$.a[1].b.$oid", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    [InlineData(int.MaxValue)]
    public void MaxDepth_OutsideOneToTheCeiling_IsRefused(int depth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExtendedJsonReadOptions { MaxDepth = depth });
    }

    [Fact]
    public void ParseDocument_AtTheCeiling_RejectsDeeperInputWithoutStackOverflow()
    {
        var text = new string('[', 200_000);
        var options = new ExtendedJsonReadOptions { MaxDepth = ExtendedJsonReadOptions.MaxDepthCeiling };

        Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseDocument("{\"a\":" + text, options));
    }

    [Theory]
    [InlineData("""{"a": 1e400}""")]
    [InlineData("""{"a": -1e400}""")]
    public void ParseDocument_NumberBeyondDouble_IsAFormatErrorOrInfinity(string json)
    {
        var exception = Record.Exception(() => ExtendedJson.ParseDocument(json));

        Assert.True(exception is null or BsonFormatException, exception?.GetType().Name);
    }
}
