using System.Buffers.Binary;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Benchmarks.Mongo.Bson;

/// <summary>
/// Deterministic OTT-shaped documents: users with profiles and devices, catalog entries with nested seasons, episodes and
/// renditions plus a small binary thumbnail, and (most numerous) watch events with dates, ObjectIds and a session UUID.
/// The same seed always yields the same bytes, so every peer measures the same input.
/// </summary>
internal sealed class OttDataSet
{
    private static readonly string[] Words =
    [
        "night", "ocean", "signal", "empire", "garden", "shadow", "river", "winter", "circuit", "harbor", "echo", "summit",
        "lantern", "atlas", "comet", "meadow", "cipher", "velvet", "prism", "orbit", "falcon", "canyon", "ember", "glacier",
        "夜明け", "東京", "物語", "星", "café", "señal", "München", "naïve",
    ];

    private static readonly string[] Genres = ["drama", "comedy", "anime", "documentary", "thriller", "kids", "sci-fi", "romance", "news", "sports"];
    private static readonly string[] Countries = ["JP", "US", "DE", "FR", "BR", "IN", "KR", "GB", "ES", "AU"];
    private static readonly string[] Devices = ["tv", "ios", "android", "web", "console", "stick"];
    private static readonly string[] Codecs = ["h264", "h265", "av1", "vp9"];

    private readonly Random _random;
    private readonly long _baseMillis = 1_700_000_000_000L;
    private int _counter;

    public OttDataSet(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>Writes concatenated documents until at least <paramref name="targetBytes"/> bytes are written.</summary>
    public static long WriteFile(string path, long targetBytes, int seed = 20261122)
    {
        var set = new OttDataSet(seed);
        using var stream = File.Create(path);
        using var writer = new BsonWriter(1 << 16);
        long written = 0;
        while (written < targetBytes)
        {
            writer.Reset();
            writer.WriteDocument(set.Next());
            stream.Write(writer.WrittenSpan);
            written += writer.Length;
        }

        return written;
    }

    /// <summary>Splits a buffer of concatenated documents into (offset, length) pairs.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<byte> data)
    {
        var documents = new List<(int, int)>();
        var offset = 0;
        while (offset < data.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(data[offset..]);
            documents.Add((offset, length));
            offset += length;
        }

        return documents;
    }

    public BsonDocument Next()
    {
        var roll = _random.Next(100);
        return roll < 15 ? User() : roll < 30 ? CatalogEntry() : WatchEvent();
    }

    private BsonDocument User()
    {
        var profiles = new BsonArray();
        for (var i = _random.Next(1, 5); i > 0; i--)
        {
            profiles.Add(new BsonDocument
            {
                { "profileId", NewId() },
                { "name", Word() },
                { "maturity", _random.Next(0, 19) },
                { "language", _random.Next(2) == 0 ? "ja" : "en" },
                { "avatar", BsonValue.FromBinary(BsonBinarySubtype.Generic, Bytes(_random.Next(128, 512))) },
            });
        }

        var devices = new BsonArray();
        for (var i = _random.Next(1, 6); i > 0; i--)
        {
            devices.Add(new BsonDocument
            {
                { "type", Pick(Devices) },
                { "deviceId", BsonValue.FromBinary(BsonBinarySubtype.Uuid, Bytes(16)) },
                { "lastSeen", Date() },
                { "appVersion", $"{_random.Next(1, 9)}.{_random.Next(0, 30)}.{_random.Next(0, 200)}" },
            });
        }

        return new BsonDocument
        {
            { "_id", NewId() },
            { "email", $"{Word()}.{Word()}{_random.Next(1000)}@example.com" },
            { "name", new BsonDocument { { "first", Word() }, { "last", Word() } } },
            { "createdAt", Date() },
            { "country", Pick(Countries) },
            { "plan", _random.Next(3) switch { 0 => "basic", 1 => "standard", _ => "premium" } },
            { "active", _random.Next(10) != 0 },
            { "profiles", profiles },
            { "devices", devices },
            { "settings", new BsonDocument { { "autoplay", _random.Next(2) == 0 }, { "subtitles", _random.Next(2) == 0 ? "ja" : "off" }, { "quality", "auto" } } },
            { "billing", new BsonDocument { { "amount", Decimal128.Parse($"{_random.Next(5, 30)}.{_random.Next(0, 100):D2}") }, { "currency", "USD" }, { "renewsAt", Date() } } },
        };
    }

    private BsonDocument CatalogEntry()
    {
        var seasons = new BsonArray();
        for (var s = 1; s <= _random.Next(1, 4); s++)
        {
            var episodes = new BsonArray();
            for (var e = 1; e <= _random.Next(3, 9); e++)
            {
                var renditions = new BsonArray();
                foreach (var height in new[] { 360, 720, 1080, 2160 })
                {
                    renditions.Add(new BsonDocument
                    {
                        { "codec", Pick(Codecs) },
                        { "height", height },
                        { "bitrateKbps", height * _random.Next(3, 8) },
                        { "url", $"https://cdn.example.com/v/{_random.Next():x8}/{height}.m3u8" },
                    });
                }

                episodes.Add(new BsonDocument
                {
                    { "number", e },
                    { "title", Sentence(3) },
                    { "durationSec", _random.Next(600, 3600) },
                    { "releasedAt", Date() },
                    { "renditions", renditions },
                });
            }

            seasons.Add(new BsonDocument { { "number", s }, { "episodes", episodes } });
        }

        var cast = new BsonArray();
        for (var i = _random.Next(2, 8); i > 0; i--)
        {
            cast.Add(new BsonDocument { { "name", $"{Word()} {Word()}" }, { "role", Word() } });
        }

        var genres = new BsonArray();
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            genres.Add(Pick(Genres));
        }

        return new BsonDocument
        {
            { "_id", NewId() },
            { "title", Sentence(2) },
            { "synopsis", Sentence(_random.Next(20, 60)) },
            { "genres", genres },
            { "cast", cast },
            { "rating", Math.Round(_random.NextDouble() * 5, 2) },
            { "ageRating", _random.Next(0, 19) },
            { "seasons", seasons },
            { "thumbnail", BsonValue.FromBinary(BsonBinarySubtype.Generic, Bytes(_random.Next(1024, 3072))) },
            { "updatedAt", Date() },
            { "views", (long)_random.Next() * 10 },
        };
    }

    private BsonDocument WatchEvent() => new()
    {
        { "_id", NewId() },
        { "userId", NewId() },
        { "contentId", NewId() },
        { "profile", Word() },
        { "ts", Date() },
        { "positionSec", _random.Next(0, 7200) },
        { "durationSec", _random.Next(60, 7200) },
        { "device", Pick(Devices) },
        { "bitrateKbps", _random.Next(300, 16000) },
        { "bufferingMs", _random.Next(0, 5000) },
        { "completed", _random.Next(4) == 0 },
        { "geo", new BsonDocument { { "country", Pick(Countries) }, { "region", Word() } } },
        { "sessionId", BsonValue.FromBinary(BsonBinarySubtype.Uuid, Bytes(16)) },
        { "bandwidth", _random.NextDouble() * 100 },
    };

    private ObjectId NewId() => ObjectId.Create(DateTimeOffset.FromUnixTimeMilliseconds(_baseMillis + _random.Next()), 0x1234567890, ++_counter);

    private BsonValue Date() => BsonValue.FromDateTimeMilliseconds(_baseMillis + ((long)_random.Next() * 10));

    private string Word() => Words[_random.Next(Words.Length)];

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Word()));

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
