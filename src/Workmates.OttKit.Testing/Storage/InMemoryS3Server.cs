using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Simulators.Storage;

/// <summary>
/// A loopback S3 endpoint in memory, path-style, for the requests a rehearsal makes: <c>PUT /bucket</c> (create),
/// <c>PUT /bucket/key</c> (a single-part put), <c>GET</c>/<c>HEAD /bucket/key</c>. Anything else answers
/// <c>501 NotImplemented</c>. No signatures, no IAM: put it behind <see cref="Aws.S3IamProxy"/> (as its upstream), which
/// enforces both. It stands in for s3rver when no Node tools are installed (<c>ottkit rehearse</c>, client test
/// projects); s3rver stays the S3 of the wider protocol tests (multipart, listings, versions).
/// </summary>
public sealed class InMemoryS3Server : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _buckets = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private InMemoryS3Server()
    {
    }

    /// <summary>The base address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Starts the server on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<InMemoryS3Server> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new InMemoryS3Server();
        var builder = WebApplication.CreateSlimBuilder(LoopbackHost.Options);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = server._app.Urls.First();
        server.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Creates a bucket (idempotent). Synchronous: simulator callbacks run under their lock.</summary>
    /// <param name="name">The bucket name.</param>
    public void CreateBucket(string name) => _buckets.TryAdd(name, new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));

    /// <summary>The keys stored in a bucket (empty when the bucket does not exist).</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <returns>The keys, ordered.</returns>
    public IReadOnlyList<string> Keys(string bucket) =>
        _buckets.TryGetValue(bucket, out var objects) ? [.. objects.Keys.Order(StringComparer.Ordinal)] : [];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimStart('/') ?? string.Empty;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var key = slash < 0 ? null : Uri.UnescapeDataString(path[(slash + 1)..]);
        var method = context.Request.Method;
        if (bucket.Length == 0 || context.Request.QueryString.HasValue)
        {
            await ErrorAsync(context, 501, "NotImplemented", "The in-memory S3 endpoint serves bucket creation and single-part object puts and gets only.").ConfigureAwait(false);
            return;
        }

        if (key is null or "")
        {
            if (method == "PUT")
            {
                CreateBucket(bucket);
                return;
            }

            if (method == "HEAD")
            {
                context.Response.StatusCode = _buckets.ContainsKey(bucket) ? 200 : 404;
                return;
            }

            await ErrorAsync(context, 501, "NotImplemented", "Bucket listings are not served by the in-memory S3 endpoint.").ConfigureAwait(false);
            return;
        }

        if (!_buckets.TryGetValue(bucket, out var objects))
        {
            await ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist").ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "PUT":
                using (var body = new MemoryStream())
                {
                    await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
                    var bytes = body.ToArray();
                    objects[key] = bytes;
                    context.Response.Headers.ETag = ETag(bytes);
                }

                return;
            case "GET" or "HEAD" when objects.TryGetValue(key, out var stored):
                context.Response.Headers.ETag = ETag(stored);
                context.Response.ContentLength = stored.Length;
                context.Response.ContentType = "application/octet-stream";
                if (method == "GET")
                {
                    await context.Response.Body.WriteAsync(stored, context.RequestAborted).ConfigureAwait(false);
                }

                return;
            case "GET" or "HEAD":
                await ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.").ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, 501, "NotImplemented", $"{method} is not served by the in-memory S3 endpoint.").ConfigureAwait(false);
                return;
        }
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
            string.Create(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{System.Security.SecurityElement.Escape(message)}</Message></Error>"),
            context.RequestAborted);
    }
}
