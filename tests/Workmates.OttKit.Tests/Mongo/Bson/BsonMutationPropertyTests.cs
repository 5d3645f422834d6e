using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Tests.Mongo.Bson;

/// <summary>
/// FsCheck property: corpus documents mutated by bit flips, truncation, length-field rewrites and byte insertions either
/// decode or fail with <see cref="BsonFormatException"/> — never another exception, a hang or a crash — and the raw
/// validator and the model decoder always agree.
/// </summary>
public sealed class BsonMutationPropertyTests
{
    private static readonly int[] InterestingLengths = [0, 1, 4, 5, -1, -5, int.MaxValue, int.MinValue, 0x7FFFFFF0, 16 * 1024 * 1024];

    [Fact]
    public void MutatedCorpusDocuments_DecodeOrThrowBsonFormatException()
    {
        var seeds = CorpusSeeds();
        Assert.NotEmpty(seeds);
        var mutation =
            from seed in Gen.Choose(0, seeds.Count - 1)
            from kind in Gen.Choose(0, 4)
            from position in Gen.Choose(0, int.MaxValue)
            from value in Gen.Choose(int.MinValue, int.MaxValue)
            from repeat in Gen.Choose(1, 4)
            select new Mutation(seed, kind, position, value, repeat);

        var property = Prop.ForAll(Arb.From(mutation), m => DecodesOrRejects(Apply(seeds[m.Seed], m)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), property);
    }

    [Fact]
    public void EveryTruncationOfEveryCorpusDocument_IsRejectedWithBsonFormatException()
    {
        var checkedCount = 0;
        foreach (var seed in CorpusSeeds())
        {
            for (var length = 0; length < seed.Length; length++)
            {
                checkedCount++;
                Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(seed.AsSpan(0, length)));
                Assert.Throws<BsonFormatException>(() => RawBsonDocument.Create(seed.AsMemory(0, length)));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"truncations checked: {checkedCount}");
    }

    private static bool DecodesOrRejects(byte[] bytes)
    {
        bool modelOk;
        bool rawOk;
        try
        {
            var document = BsonDocument.FromBson(bytes);
            modelOk = true;

            // What decodes must survive a round trip.
            if (!BsonDocument.FromBson(document.ToBson()).Equals(document))
            {
                return false;
            }
        }
        catch (BsonFormatException)
        {
            modelOk = false;
        }

        try
        {
            var raw = RawBsonDocument.Create(bytes);
            foreach (var element in raw)
            {
                _ = element.Value.ToBsonValue();
            }

            rawOk = true;
        }
        catch (BsonFormatException)
        {
            rawOk = false;
        }

        return modelOk == rawOk;
    }

    private static byte[] Apply(byte[] seed, Mutation m)
    {
        var bytes = seed.ToList();
        var random = new Random(m.Value);
        for (var r = 0; r < m.Repeat; r++)
        {
            if (bytes.Count == 0)
            {
                break;
            }

            var at = (int)((uint)(m.Position + (r * 7919)) % (uint)bytes.Count);
            switch (m.Kind)
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                {
                    var length = random.Next(3) == 0 ? random.Next() : InterestingLengths[random.Next(InterestingLengths.Length)];
                    Span<byte> four = stackalloc byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(four, length);
                    for (var i = 0; i < 4 && at + i < bytes.Count; i++)
                    {
                        bytes[at + i] = four[i];
                    }

                    break;
                }

                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }

    private static List<byte[]> CorpusSeeds()
    {
        var seeds = new List<byte[]>();
        foreach (var (_, root) in BsonCorpusTests.LoadFiles())
        {
            if (root.TryGetProperty("valid", out var cases))
            {
                seeds.AddRange(cases.EnumerateArray().Select(c => Convert.FromHexString(c.GetProperty("canonical_bson").GetString()!)));
            }
        }

        return seeds;
    }

    internal sealed record Mutation(int Seed, int Kind, int Position, int Value, int Repeat);
}
