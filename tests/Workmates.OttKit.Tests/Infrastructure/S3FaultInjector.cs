using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Web;
using Amazon.Runtime;

namespace Workmates.OttKit.Tests.Infrastructure;

/// <summary>
/// Real HTTP faults in front of an S3 endpoint (s3rver): an S3 client built with <see cref="ClientFactory"/> sends every
/// request through it. It answers chosen UploadPart requests with an S3 error instead of forwarding them, records
/// every request, and answers AbortMultipartUpload itself (s3rver does not implement it) so tests can assert aborts.
/// </summary>
public sealed class S3FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (int Remaining, HttpStatusCode Status, string Code)> _partFaults = [];
    private (HttpStatusCode Status, string Code)? _allParts;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _aborts = new();
    private readonly ConcurrentDictionary<int, int> _partAttempts = new();
    private readonly ConcurrentQueue<(string Operation, Dictionary<string, string> Headers)> _headers = new();
    private TaskCompletionSource? _partGate;
    private int _heldParts;

    public S3FaultInjector() => ClientFactory = new Factory(this);

    /// <summary>Set as <c>AmazonS3Config.HttpClientFactory</c>.</summary>
    public HttpClientFactory ClientFactory { get; }

    /// <summary>Whether https:// requests are sent on over plain HTTP (to s3rver, which has no TLS).</summary>
    public bool DowngradeHttps { get; set; }

    /// <summary>Every request seen, as <c>METHOD operation</c> (for example <c>PUT UploadPart 3</c>), in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Upload ids of the AbortMultipartUpload requests answered.</summary>
    public IReadOnlyList<string> Aborts => [.. _aborts];

    /// <summary>UploadPart requests seen for one part number (failed ones included).</summary>
    public int UploadPartAttempts(int partNumber) => _partAttempts.GetValueOrDefault(partNumber);

    /// <summary>The x-amz-* headers of every request, with its operation (as in <see cref="Requests"/>).</summary>
    public IReadOnlyList<(string Operation, Dictionary<string, string> Headers)> AmzHeaders => [.. _headers];

    /// <summary>UploadPart requests waiting at the gate now.</summary>
    public int HeldParts => Volatile.Read(ref _heldParts);

    /// <summary>From now on, UploadPart requests wait until <see cref="ReleaseParts"/>.</summary>
    public void HoldParts()
    {
        lock (_gate)
        {
            _partGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets held and future UploadPart requests through.</summary>
    public void ReleaseParts()
    {
        lock (_gate)
        {
            _partGate?.TrySetResult();
            _partGate = null;
        }
    }

    /// <summary>Fails the next <paramref name="times"/> UploadPart requests for <paramref name="partNumber"/>.</summary>
    public void FailPart(int partNumber, int times, HttpStatusCode status = HttpStatusCode.InternalServerError, string code = "InternalError")
    {
        lock (_gate)
        {
            _partFaults[partNumber] = (times, status, code);
        }
    }

    /// <summary>Fails every UploadPart request from now on.</summary>
    public void FailEveryPart(HttpStatusCode status, string code)
    {
        lock (_gate)
        {
            _allParts = (status, code);
        }
    }

    private async Task WaitAtGateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Task? gate;
        lock (_gate)
        {
            gate = _partGate?.Task;
        }

        if (gate is null || request.Method != HttpMethod.Put || !(request.RequestUri?.Query.Contains("partNumber=", StringComparison.Ordinal) ?? false))
        {
            return;
        }

        Interlocked.Increment(ref _heldParts);
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _heldParts);
        }
    }

    private void RecordHeaders(string operation, HttpRequestMessage request)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        _headers.Enqueue((operation, headers));
    }

    private HttpResponseMessage? Intercept(HttpRequestMessage request)
    {
        var query = HttpUtility.ParseQueryString(request.RequestUri?.Query ?? string.Empty);
        var uploadId = query["uploadId"];
        if (request.Method == HttpMethod.Put && uploadId is not null && int.TryParse(query["partNumber"], out var part))
        {
            _requests.Enqueue($"PUT UploadPart {part}");
            RecordHeaders($"UploadPart {part}", request);
            _partAttempts.AddOrUpdate(part, 1, (_, n) => n + 1);
            lock (_gate)
            {
                if (_allParts is { } always)
                {
                    return Error(always.Status, always.Code);
                }

                if (_partFaults.TryGetValue(part, out var fault) && fault.Remaining > 0)
                {
                    _partFaults[part] = fault with { Remaining = fault.Remaining - 1 };
                    return Error(fault.Status, fault.Code);
                }
            }

            return null;
        }

        if (request.Method == HttpMethod.Delete && uploadId is not null)
        {
            _requests.Enqueue("DELETE AbortMultipartUpload");
            _aborts.Enqueue(uploadId);
            return new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
        }

        var operation = request.Method == HttpMethod.Post && (request.RequestUri?.Query.StartsWith("?uploads", StringComparison.Ordinal) ?? false) ? "CreateMultipartUpload"
            : request.Method == HttpMethod.Post && uploadId is not null ? "CompleteMultipartUpload"
            : request.Method == HttpMethod.Get && query["list-type"] == "2" ? "ListObjectsV2"
            : request.RequestUri?.AbsolutePath ?? string.Empty;
        _requests.Enqueue($"{request.Method} {operation}");
        RecordHeaders(operation, request);
        return null;
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code) => new(status)
    {
        Content = new StringContent(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected {code}</Message><RequestId>fault</RequestId></Error>",
            Encoding.UTF8,
            "application/xml"),
    };

    private sealed class Factory(S3FaultInjector injector) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new Handler(injector) { InnerHandler = new SocketsHttpHandler() }) { Timeout = Timeout.InfiniteTimeSpan };

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) => "fault-injector-" + injector.GetHashCode();
    }

    private sealed class Handler(S3FaultInjector injector) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (injector.DowngradeHttps && request.RequestUri is { Scheme: "https" } secure)
            {
                request.RequestUri = new UriBuilder(secure) { Scheme = Uri.UriSchemeHttp, Port = secure.Port }.Uri;
            }

            await injector.WaitAtGateAsync(request, cancellationToken);
            if (injector.Intercept(request) is { } response)
            {
                // Read the body like a server would, so the client sees a normal exchange.
                if (request.Content is not null)
                {
                    await request.Content.CopyToAsync(Stream.Null, cancellationToken);
                }

                response.RequestMessage = request;
                return response;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
