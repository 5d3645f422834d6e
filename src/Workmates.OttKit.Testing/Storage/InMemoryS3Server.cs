using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.IO.Hashing;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Simulators.Storage;

/// <summary>
/// A loopback S3 endpoint in memory, path-style, for the requests a rehearsal makes: <c>PUT /bucket</c> (create),
/// <c>PUT</c>/<c>GET</c>/<c>HEAD</c>/<c>DELETE /bucket/key</c>, <c>GET /bucket?list-type=2</c> (ListObjectsV2 with
/// <c>prefix</c>, <c>max-keys</c>, <c>start-after</c> and <c>continuation-token</c>), <c>POST /bucket?delete</c>
/// (DeleteObjects), and multipart uploads (<c>POST ?uploads</c>, <c>PUT ?partNumber&amp;uploadId</c>,
/// <c>POST ?uploadId</c>, <c>DELETE ?uploadId</c>) with the <c>x-amz-checksum-*</c> headers echoed as S3 echoes them.
/// Errors use S3's codes and statuses (<c>NoSuchBucket</c>, <c>NoSuchKey</c>, <c>NoSuchUpload</c>, <c>InvalidPart</c>,
/// <c>InvalidPartOrder</c>, <c>EntityTooSmall</c>, <c>InvalidArgument</c>, <c>MalformedXML</c>); anything else answers
/// <c>501 NotImplemented</c>. No signatures, no IAM: put it behind <see cref="Aws.S3IamProxy"/> (as its upstream),
/// which enforces both and decodes aws-chunked bodies. It stands in for s3rver when no Node tools are installed
/// (<c>ottkit rehearse</c>, client test projects); s3rver stays the S3 of the wider protocol tests (versions, ranges,
/// copies, presigned URLs).
/// </summary>
public sealed class InMemoryS3Server : IAsyncDisposable
{
    /// <summary>S3's smallest part (all but the last part of a multipart upload): 5 MiB.</summary>
    private const long MinimumPartSize = 5L * 1024 * 1024;

    private const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, StoredObject>> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Upload> _uploads = new(StringComparer.Ordinal);
    private LoopbackHost? _host;
    private long _uploadCounter;

    private InMemoryS3Server()
    {
    }

    /// <summary>The base address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The clock of the objects' <c>LastModified</c> (default the system clock).</summary>
    internal TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Starts the server on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<InMemoryS3Server> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new InMemoryS3Server();
        server._host = await LoopbackHost.StartAsync(server.HandleAsync, unlimitedRequestBodies: false, cancellationToken).ConfigureAwait(false);
        server.Endpoint = server._host.Endpoint;
        return server;
    }

    /// <summary>Creates a bucket (idempotent). Synchronous: simulator callbacks run under their lock.</summary>
    /// <param name="name">The bucket name.</param>
    public void CreateBucket(string name) => _buckets.TryAdd(name, new ConcurrentDictionary<string, StoredObject>(StringComparer.Ordinal));

    /// <summary>The keys stored in a bucket (empty when the bucket does not exist).</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <returns>The keys, ordered.</returns>
    public IReadOnlyList<string> Keys(string bucket) =>
        _buckets.TryGetValue(bucket, out var objects) ? [.. objects.Keys.Order(StringComparer.Ordinal)] : [];

    /// <summary>The multipart uploads started and neither completed nor aborted (what a lifecycle rule would have to clean up).</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <returns>The keys of the open uploads, ordered.</returns>
    public IReadOnlyList<string> OpenUploads(string bucket) =>
        [.. _uploads.Values.Where(u => u.Bucket == bucket).Select(u => u.Key).Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimStart('/') ?? string.Empty;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var key = slash < 0 ? null : Uri.UnescapeDataString(path[(slash + 1)..]);
        var method = context.Request.Method;
        var query = context.Request.Query;
        if (bucket.Length == 0)
        {
            await ErrorAsync(context, 501, "NotImplemented", "ListBuckets is not served by the in-memory S3 endpoint.").ConfigureAwait(false);
            return;
        }

        if (key is null or "")
        {
            await BucketAsync(context, bucket, method, query).ConfigureAwait(false);
            return;
        }

        if (!_buckets.TryGetValue(bucket, out var objects))
        {
            await ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist").ConfigureAwait(false);
            return;
        }

        if (query.ContainsKey("uploads") && method == "POST")
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"upload-{Interlocked.Increment(ref _uploadCounter):D6}-{Guid.NewGuid():N}");
            var algorithm = context.Request.Headers["x-amz-checksum-algorithm"].ToString();
            _uploads[id] = new Upload(bucket, key, algorithm.Length == 0 ? null : algorithm.ToUpperInvariant(), context.Request.ContentType);
            if (algorithm.Length > 0)
            {
                context.Response.Headers["x-amz-checksum-algorithm"] = algorithm.ToUpperInvariant();
            }

            await XmlAsync(context, new XElement(X("InitiateMultipartUploadResult"), new XElement(X("Bucket"), bucket), new XElement(X("Key"), key), new XElement(X("UploadId"), id))).ConfigureAwait(false);
            return;
        }

        if (query.TryGetValue("uploadId", out var uploadIdValues))
        {
            var uploadId = uploadIdValues.ToString();
            if (!_uploads.TryGetValue(uploadId, out var upload) || upload.Bucket != bucket || upload.Key != key)
            {
                await ErrorAsync(context, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").ConfigureAwait(false);
                return;
            }

            await UploadAsync(context, objects, uploadId, upload, method, query).ConfigureAwait(false);
            return;
        }

        if (query.Count > 0 && !(query.Count == 1 && query.ContainsKey("x-id")))
        {
            await ErrorAsync(context, 501, "NotImplemented", $"The object subresource '{string.Join('&', query.Keys)}' is not served by the in-memory S3 endpoint.").ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "PUT":
                var bytes = await BodyAsync(context).ConfigureAwait(false);
                var checksums = Checksums(context.Request.Headers);
                if (await BadDigestAsync(context, bytes, checksums).ConfigureAwait(false))
                {
                    return;
                }

                var stored = new StoredObject(bytes, ETag(bytes), Time.GetUtcNow(), checksums);
                objects[key] = stored;
                context.Response.Headers.ETag = stored.ETag;
                Echo(context, checksums);
                return;
            case "GET" or "HEAD" when objects.TryGetValue(key, out var found):
                context.Response.Headers.ETag = found.ETag;
                context.Response.Headers.LastModified = found.LastModified.ToString("R", CultureInfo.InvariantCulture);
                context.Response.ContentLength = found.Bytes.Length;
                context.Response.ContentType = "application/octet-stream";
                if (method == "GET")
                {
                    await context.Response.Body.WriteAsync(found.Bytes, context.RequestAborted).ConfigureAwait(false);
                }

                return;
            case "GET" or "HEAD":
                await ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.").ConfigureAwait(false);
                return;
            case "DELETE":
                // S3 answers 204 whether or not the key existed.
                objects.TryRemove(key, out _);
                context.Response.StatusCode = 204;
                return;
            default:
                await ErrorAsync(context, 501, "NotImplemented", $"{method} is not served by the in-memory S3 endpoint.").ConfigureAwait(false);
                return;
        }
    }

    private async Task BucketAsync(HttpContext context, string bucket, string method, IQueryCollection query)
    {
        if (method == "PUT" && query.Count == 0)
        {
            CreateBucket(bucket);
            return;
        }

        if (method == "HEAD" && query.Count == 0)
        {
            context.Response.StatusCode = _buckets.ContainsKey(bucket) ? 200 : 404;
            return;
        }

        if (!_buckets.TryGetValue(bucket, out var objects))
        {
            await ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist").ConfigureAwait(false);
            return;
        }

        if (method == "GET" && query["list-type"] == "2")
        {
            await ListAsync(context, bucket, objects, query).ConfigureAwait(false);
            return;
        }

        if (method == "POST" && query.ContainsKey("delete"))
        {
            await DeleteObjectsAsync(context, objects).ConfigureAwait(false);
            return;
        }

        await ErrorAsync(context, 501, "NotImplemented", $"{method} /{bucket}?{string.Join('&', query.Keys)} is not served by the in-memory S3 endpoint (ListObjectsV2 and DeleteObjects are).").ConfigureAwait(false);
    }

    // ListObjectsV2: keys in UTF-8 binary order; the continuation token is opaque to the client (here: the last key returned, base64).
    private static async Task ListAsync(HttpContext context, string bucket, ConcurrentDictionary<string, StoredObject> objects, IQueryCollection query)
    {
        var prefix = query["prefix"].ToString();
        var startAfter = query["start-after"].ToString();
        var maxKeys = 1000;
        if (query.TryGetValue("max-keys", out var max) && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys) || maxKeys < 0))
        {
            await ErrorAsync(context, 400, "InvalidArgument", "Provided max-keys not an integer or within integer range").ConfigureAwait(false);
            return;
        }

        maxKeys = Math.Min(maxKeys, 1000);
        var after = startAfter;
        if (query.TryGetValue("continuation-token", out var token))
        {
            try
            {
                after = Encoding.UTF8.GetString(Convert.FromBase64String(token.ToString()));
            }
            catch (FormatException)
            {
                await ErrorAsync(context, 400, "InvalidArgument", "The continuation token provided is incorrect").ConfigureAwait(false);
                return;
            }
        }

        var matching = objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && (after.Length == 0 || string.CompareOrdinal(o.Key, after) > 0))
            .OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var page = matching.Take(maxKeys).ToList();
        var truncated = matching.Count > page.Count;
        var result = new XElement(X("ListBucketResult"),
            new XElement(X("Name"), bucket),
            new XElement(X("Prefix"), prefix),
            new XElement(X("KeyCount"), page.Count),
            new XElement(X("MaxKeys"), maxKeys),
            new XElement(X("IsTruncated"), truncated ? "true" : "false"));
        if (token.Count > 0)
        {
            result.Add(new XElement(X("ContinuationToken"), token.ToString()));
        }

        if (truncated)
        {
            result.Add(new XElement(X("NextContinuationToken"), Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key))));
        }

        if (startAfter.Length > 0)
        {
            result.Add(new XElement(X("StartAfter"), startAfter));
        }

        foreach (var (key, stored) in page)
        {
            result.Add(new XElement(X("Contents"),
                new XElement(X("Key"), key),
                new XElement(X("LastModified"), stored.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(X("ETag"), stored.ETag),
                new XElement(X("Size"), stored.Bytes.Length),
                new XElement(X("StorageClass"), "STANDARD")));
        }

        await XmlAsync(context, result).ConfigureAwait(false);
    }

    private static async Task DeleteObjectsAsync(HttpContext context, ConcurrentDictionary<string, StoredObject> objects)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(Encoding.UTF8.GetString(await BodyAsync(context).ConfigureAwait(false)));
        }
        catch (System.Xml.XmlException)
        {
            await ErrorAsync(context, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema").ConfigureAwait(false);
            return;
        }

        var root = document.Root!;
        var quiet = string.Equals(root.Elements().FirstOrDefault(e => e.Name.LocalName == "Quiet")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var keys = root.Elements().Where(e => e.Name.LocalName == "Object").Select(o => o.Elements().First(e => e.Name.LocalName == "Key").Value).ToList();
        if (keys.Count is 0 or > 1000)
        {
            await ErrorAsync(context, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema").ConfigureAwait(false);
            return;
        }

        var result = new XElement(X("DeleteResult"));
        foreach (var key in keys)
        {
            objects.TryRemove(key, out _);
            if (!quiet)
            {
                result.Add(new XElement(X("Deleted"), new XElement(X("Key"), key)));
            }
        }

        await XmlAsync(context, result).ConfigureAwait(false);
    }

    private async Task UploadAsync(HttpContext context, ConcurrentDictionary<string, StoredObject> objects, string uploadId, Upload upload, string method, IQueryCollection query)
    {
        switch (method)
        {
            case "PUT" when query.TryGetValue("partNumber", out var numberText):
                if (!int.TryParse(numberText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 10000)
                {
                    await ErrorAsync(context, 400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive").ConfigureAwait(false);
                    return;
                }

                var bytes = await BodyAsync(context).ConfigureAwait(false);
                var checksums = Checksums(context.Request.Headers);
                if (await BadDigestAsync(context, bytes, checksums).ConfigureAwait(false))
                {
                    return;
                }

                var part = new StoredObject(bytes, ETag(bytes), Time.GetUtcNow(), checksums);
                upload.Parts[number] = part;
                context.Response.Headers.ETag = part.ETag;
                Echo(context, checksums);
                return;
            case "POST":
                await CompleteAsync(context, objects, uploadId, upload).ConfigureAwait(false);
                return;
            case "DELETE":
                _uploads.TryRemove(uploadId, out _);
                context.Response.StatusCode = 204;
                return;
            default:
                await ErrorAsync(context, 501, "NotImplemented", $"{method} on an upload (ListParts) is not served by the in-memory S3 endpoint.").ConfigureAwait(false);
                return;
        }
    }

    private async Task CompleteAsync(HttpContext context, ConcurrentDictionary<string, StoredObject> objects, string uploadId, Upload upload)
    {
        List<(int Number, string ETag)> listed;
        try
        {
            var document = XDocument.Parse(Encoding.UTF8.GetString(await BodyAsync(context).ConfigureAwait(false)));
            listed = [.. document.Root!.Elements().Where(e => e.Name.LocalName == "Part").Select(p => (
                int.Parse(p.Elements().First(e => e.Name.LocalName == "PartNumber").Value, CultureInfo.InvariantCulture),
                p.Elements().First(e => e.Name.LocalName == "ETag").Value))];
        }
        catch (Exception e) when (e is System.Xml.XmlException or FormatException or InvalidOperationException or OverflowException)
        {
            await ErrorAsync(context, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema").ConfigureAwait(false);
            return;
        }

        if (listed.Count == 0)
        {
            await ErrorAsync(context, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema").ConfigureAwait(false);
            return;
        }

        for (var i = 1; i < listed.Count; i++)
        {
            if (listed[i].Number <= listed[i - 1].Number)
            {
                await ErrorAsync(context, 400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.").ConfigureAwait(false);
                return;
            }
        }

        var parts = new List<StoredObject>();
        foreach (var (number, etag) in listed)
        {
            if (!upload.Parts.TryGetValue(number, out var part) || !string.Equals(part.ETag.Trim('"'), etag.Trim('"'), StringComparison.Ordinal))
            {
                await ErrorAsync(context, 400, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").ConfigureAwait(false);
                return;
            }

            parts.Add(part);
        }

        if (parts.Take(parts.Count - 1).Any(p => p.Bytes.Length < MinimumPartSize))
        {
            await ErrorAsync(context, 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.").ConfigureAwait(false);
            return;
        }

        if (!_uploads.TryRemove(uploadId, out _))
        {
            await ErrorAsync(context, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").ConfigureAwait(false);
            return;
        }

        using var whole = new MemoryStream();
        using var md5s = new MemoryStream();
        foreach (var part in parts)
        {
            whole.Write(part.Bytes);
            md5s.Write(Convert.FromHexString(part.ETag.Trim('"')));
        }

        // S3's ETag of a multipart object: the MD5 of the parts' binary MD5s, a dash, the part count.
#pragma warning disable CA5351
        var etagOfObject = "\"" + Convert.ToHexStringLower(MD5.HashData(md5s.ToArray())) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture) + "\"";
#pragma warning restore CA5351
        var result = new XElement(X("CompleteMultipartUploadResult"),
            new XElement(X("Location"), $"{Endpoint}{upload.Bucket}/{Uri.EscapeDataString(upload.Key)}"),
            new XElement(X("Bucket"), upload.Bucket),
            new XElement(X("Key"), upload.Key),
            new XElement(X("ETag"), etagOfObject));
        if (upload.Algorithm is "CRC32C" or "CRC32" && parts.All(p => p.Checksums.ContainsKey(ChecksumHeader(upload.Algorithm))))
        {
            // S3's composite checksum: the checksum of the parts' binary checksums, a dash, the part count.
            var parameters = upload.Algorithm == "CRC32C" ? Crc32ParameterSet.Crc32C : Crc32ParameterSet.Crc32;
            var concatenated = parts.SelectMany(p => Convert.FromBase64String(p.Checksums[ChecksumHeader(upload.Algorithm)])).ToArray();
            var composite = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(composite, Crc32.HashToUInt32(parameters, concatenated));
            result.Add(new XElement(X("Checksum" + upload.Algorithm), Convert.ToBase64String(composite) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture)));
        }

        objects[upload.Key] = new StoredObject(whole.ToArray(), etagOfObject, Time.GetUtcNow(), []);
        await XmlAsync(context, result).ConfigureAwait(false);
    }

    private static async Task<byte[]> BodyAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        return body.ToArray();
    }

    // The x-amz-checksum-<algorithm> headers the client sent (S3 verifies and echoes them; trailing checksums reach this server only as headers).
    private static Dictionary<string, string> Checksums(IHeaderDictionary headers) =>
        headers.Where(h => h.Key.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("x-amz-checksum-algorithm", StringComparison.OrdinalIgnoreCase)
                && !h.Key.Equals("x-amz-checksum-type", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("x-amz-checksum-mode", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static string ChecksumHeader(string algorithm) => "x-amz-checksum-" + algorithm.ToLowerInvariant();

    // S3 checks a CRC32/CRC32C the client sent against the bytes it received (the other algorithms are echoed unchecked here).
    private static async Task<bool> BadDigestAsync(HttpContext context, byte[] bytes, Dictionary<string, string> checksums)
    {
        foreach (var (algorithm, parameters) in new[] { ("CRC32C", Crc32ParameterSet.Crc32C), ("CRC32", Crc32ParameterSet.Crc32) })
        {
            if (checksums.TryGetValue(ChecksumHeader(algorithm), out var sent))
            {
                var computed = new byte[4];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(computed, Crc32.HashToUInt32(parameters, bytes));
                if (!string.Equals(Convert.ToBase64String(computed), sent, StringComparison.Ordinal))
                {
                    await ErrorAsync(context, 400, "BadDigest", $"The {algorithm} you specified did not match the calculated checksum.").ConfigureAwait(false);
                    return true;
                }
            }
        }

        return false;
    }

    private static void Echo(HttpContext context, Dictionary<string, string> checksums)
    {
        foreach (var (name, value) in checksums)
        {
            context.Response.Headers[name] = value;
        }
    }

    private static XName X(string name) => XName.Get(name, Namespace);

    private static Task XmlAsync(HttpContext context, XElement root)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/xml";
        return context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting), context.RequestAborted);
    }

    // S3's ETag of a single-part object is the MD5 of its bytes (a content tag, not a security control).
#pragma warning disable CA5351
    private static string ETag(byte[] bytes) => "\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"";
#pragma warning restore CA5351

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (context.Request.Method == "HEAD")
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/xml";
        return context.Response.WriteAsync(
            string.Create(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>"),
            context.RequestAborted);
    }

    private sealed record StoredObject(byte[] Bytes, string ETag, DateTimeOffset LastModified, Dictionary<string, string> Checksums);

    private sealed record Upload(string Bucket, string Key, string? Algorithm, string? ContentType)
    {
        public ConcurrentDictionary<int, StoredObject> Parts { get; } = new();
    }
}
