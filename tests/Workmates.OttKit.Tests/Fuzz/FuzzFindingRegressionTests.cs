using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Mongo.Wire;

namespace Workmates.OttKit.Tests.Fuzz;

/// <summary>Every finding of the fuzz suite (docs/testing.md), as the smallest input that showed it.</summary>
public sealed class FuzzFindingRegressionTests
{
    [Fact]
    public void SpecLoader_YamlThatBreaksYamlDotNetsPlainScalarScanner_IsASpecLoadException()
    {
        // YamlDotNet threw InvalidOperationException from Scanner.ScanPlainScalar.
        const string Text = "a0: &a0 [\"lol\",\"l\aol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"1\nservices: *a2\n";

        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(Text, "fuzz.yaml"));

        Assert.NotEmpty(error.Problems);
    }

    [Fact]
    public void SpecLoader_JsonStringWithALoneSurrogateEscape_IsASpecLoadExceptionAtTheString()
    {
        // System.Text.Json threw InvalidOperationException from GetString.
        const string Text = """{"name":"demo","region":"\uD800"}""";

        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(Text, "fuzz.json"));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("lone surrogate", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, problem.Line);
    }

    private static byte[] Compressed(int uncompressedSize, byte compressor, byte[] payload)
    {
        var message = new byte[25 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), 2012);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), 2013);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(20), uncompressedSize);
        message[24] = compressor;
        payload.CopyTo(message.AsSpan(25));
        return message;
    }

    [Theory]
    [InlineData(0x78, 33_554_497)]
    [InlineData(0x00, 16_777_215)]
    [InlineData(0x02, 40_000_000)]
    public void Decompress_DeclaredSizeThePayloadCannotHold_IsRefusedBeforeAllocatingIt(byte compressor, int declared)
    {
        // A 36-byte OP_COMPRESSED allocated its declared 6 to 33 MB before the compressor id or payload was checked.
        var message = Compressed(declared, compressor, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<InvalidDataException>(() => MessageReader.Decompress(message, OpMsgCodec.DefaultMaxMessageSize));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024);
    }

    [Fact]
    public void Decompress_DamagedZlibPayload_IsInvalidDataNotZLibException()
    {
        var message = Convert.FromHexString("480000000700000000000000DC070000DD0700005000000002783F22000000060606");
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);

        Assert.Throws<InvalidDataException>(() => MessageReader.Decompress(message, OpMsgCodec.DefaultMaxMessageSize));
    }

    [Theory]
    [InlineData("""{"services":[{"createdAt":"2016-08-29T16:25:u2.130Z"}]}""")]
    [InlineData("""{"services":[{"createdAt":1e30}]}""")]
    [InlineData("""{"services":[{"createdAt":-1e30}]}""")]
    public void AwsJson_MalformedTimestamp_IsAJsonException(string json)
    {
        // FormatException (DateTime.Parse) and OverflowException escaped the converter.
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Workmates.OttKit.Aws.Ecs.Model.DescribeServicesResponse>(json, AwsJsonProtocol.Options));
    }

    [Fact]
    public void ConnectionString_UnknownOptionNameHoldingAPastedUri_IsNeverEchoed()
    {
        var parsed = MongoConnectionString.Parse("mongodb://alice:Secret-Pw1@example.com/admin?replgodb://alice:Secret-Pw1@example.com/admin?replicaset=x");

        Assert.DoesNotContain("Secret-Pw1", parsed.Redacted, StringComparison.Ordinal);
        Assert.All(parsed.Warnings, w => Assert.DoesNotContain("Secret-Pw1", w, StringComparison.Ordinal));
    }
}
