using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

/// <summary>Archives and documents for the archive tests: the real mongodump archives and small generated ones.</summary>
internal static class ArchiveTestData
{
    public const string Folder = "mongodb/mongodump";

    public static IReadOnlyList<string> RealArchives()
    {
        Conformance.Require(Folder);
        return Conformance.Files(Folder, "*.archive").ToList();
    }

    public static string RealArchive(string relative) => Conformance.Require(Path.Combine(Folder, relative));

    public static byte[] Document(int i, int padding = 0)
    {
        var document = new BsonDocument()
            .Add("_id", BsonValue.FromInt32(i))
            .Add("title", BsonValue.FromString("episode " + i))
            .Add("pad", BsonValue.FromString(new string('x', padding)));
        return document.ToBson();
    }

    public static byte[] Documents(int from, int count, int padding = 0) =>
        Enumerable.Range(from, count).SelectMany(i => Document(i, padding)).ToArray();

    public static MongoArchivePrelude Prelude(params MongoArchiveCollectionEntry[] collections) =>
        new(new MongoArchiveHeader { ServerVersion = "7.0.16", ToolVersion = "ottkit-test" }, collections);

    public static MongoArchiveCollectionEntry Collection(string db, string name) =>
        MongoArchiveCollectionEntry.For(db, new MongoCollectionMetadata
        {
            Indexes = [new BsonDocument().Add("v", BsonValue.FromInt32(2)).Add("key", BsonValue.FromDocument(new BsonDocument("_id", BsonValue.FromInt32(1)))).Add("name", BsonValue.FromString("_id_"))],
            Uuid = "0123456789abcdef0123456789abcdef",
            CollectionName = name,
            Type = MongoCollectionMetadata.CollectionType,
        });

    /// <summary>Reads a whole archive, copying every batch (the reader's memory is reused).</summary>
    public static async Task<ReadBack> ReadAllAsync(Stream stream, MongoArchiveReaderOptions? options = null)
    {
        await using var reader = new MongoArchiveReader(stream, options);
        var result = new ReadBack();
        await foreach (var item in reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            switch (item)
            {
                case MongoArchivePreludeItem p:
                    result.Prelude = p.Prelude;
                    break;
                case MongoArchiveDocumentsItem d:
                    result.Documents.Add((d.Namespace, d.Documents.ToArray(), d.DocumentCount));
                    break;
                case MongoArchiveNamespaceEndItem e:
                    result.Ends.Add(e.Summary);
                    break;
            }
        }

        return result;
    }

    internal sealed class ReadBack
    {
        public MongoArchivePrelude? Prelude { get; set; }

        public List<(MongoArchiveNamespace Namespace, byte[] Bytes, int Count)> Documents { get; } = [];

        public List<MongoArchiveNamespaceSummary> Ends { get; } = [];

        public byte[] BytesOf(MongoArchiveNamespace ns) => Documents.Where(d => d.Namespace == ns).SelectMany(d => d.Bytes).ToArray();
    }
}
