using System.Collections.Concurrent;
using System.Net;
using System.Security;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Workmates.OttKit.Simulators.Iam;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>What the S3 IAM front knows of one bucket: its policy and, for SSE-KMS, its default key and the key's policy.</summary>
/// <param name="Name">The bucket name.</param>
public sealed record S3BucketAccess(string Name)
{
    /// <summary>The bucket policy, resolved to plain JSON; null when the bucket has none.</summary>
    public JsonNode? Policy { get; init; }

    /// <summary>The ARN of the bucket's default SSE-KMS key; null for SSE-S3 buckets.</summary>
    public string? KmsKeyArn { get; init; }

    /// <summary>The key's policy, resolved to plain JSON (required when <see cref="KmsKeyArn"/> is set: a KMS key always has one).</summary>
    public JsonNode? KeyPolicy { get; init; }

    /// <summary>S3 Bucket Keys on: the encryption context is the bucket's ARN instead of the object's.</summary>
    public bool BucketKeyEnabled { get; init; }
}

/// <summary>Settings of the S3 IAM front.</summary>
public sealed record S3IamProxyOptions
{
    /// <summary>The S3-protocol server requests are forwarded to (s3rver).</summary>
    public required Uri Upstream { get; init; }

    /// <summary>The principals and the record of every authorization (shared with the other simulators).</summary>
    public required IamAuthority Iam { get; init; }

    /// <summary>The region S3 serves (for <c>kms:ViaService</c> = <c>s3.&lt;region&gt;.amazonaws.com</c>).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account that owns the buckets and keys.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>The buckets with their policies and keys; a bucket not listed has no policy and SSE-S3.</summary>
    public IReadOnlyList<S3BucketAccess> Buckets { get; init; } = [];

    /// <summary>
    /// The value of <c>aws:SecureTransport</c>: true by default, since the front stands in for S3's HTTPS endpoint
    /// (the loopback hop itself is plain HTTP).
    /// </summary>
    public bool SecureTransport { get; init; } = true;

    /// <summary>A virtual clock that must not move while a request is served (the rehearsal's); optional.</summary>
    public VirtualClock? Clock { get; init; }
}

/// <summary>One request the front answered.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">The raw path (path-style: <c>/bucket/key</c>).</param>
/// <param name="Operation">The S3 operation as the front read it (for example <c>PutObject</c>, <c>UploadPart</c>).</param>
/// <param name="StatusCode">The status answered.</param>
/// <param name="ErrorCode">The S3 error code when the front denied it (otherwise null; upstream errors are passed through as they are).</param>
public sealed record S3ProxyRequest(string Method, string Path, string Operation, int StatusCode, string? ErrorCode);

/// <summary>
/// IAM in front of s3rver (which enforces none): a loopback HTTP reverse proxy that reads the SigV4 access key of each
/// request (Authorization header or presigned <c>X-Amz-Credential</c>), maps it to its principal through
/// <see cref="IamAuthority"/>, derives the IAM action and resource ARN from method, path and query (path-style),
/// evaluates the identity policies with the bucket policy, and for SSE-KMS buckets authorizes
/// <c>kms:GenerateDataKey</c> (writes) or <c>kms:Decrypt</c> (reads, multipart parts) on the bucket's key against the
/// key policy and the identity policies, with <c>kms:ViaService</c>, <c>kms:CallerAccount</c> and
/// <c>kms:EncryptionContext:aws:s3:arn</c> in the request context. A denied request is answered as S3 answers it
/// (403, <c>&lt;Code&gt;AccessDenied&lt;/Code&gt;</c>, the message naming principal, action and resource, no body for
/// HEAD); an allowed one is forwarded to s3rver as it came, without its Authorization (s3rver knows only its own key;
/// the front has authorized the caller already). The signature itself is not verified. Test infrastructure, not S3.
/// </summary>
public sealed class S3IamProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Authorization", "Connection", "Transfer-Encoding", "Keep-Alive", "Expect", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly S3IamProxyOptions _options;
    private readonly ConcurrentDictionary<string, S3BucketAccess> _buckets;
    private readonly HttpClient _upstream;
    private readonly ConcurrentQueue<S3ProxyRequest> _requests = new();
    private LoopbackHost? _host;

    private S3IamProxy(S3IamProxyOptions options)
    {
        _options = options;
        _buckets = new ConcurrentDictionary<string, S3BucketAccess>(options.Buckets.Select(b => KeyValuePair.Create(b.Name, b)), StringComparer.Ordinal);
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    /// <summary>The front's endpoint (<c>http://127.0.0.1:port/</c>): give it to S3 clients as their service URL (path-style).</summary>
    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Puts a bucket's policies in front of it (a bucket created after the front started, by a stack).</summary>
    /// <param name="access">The bucket, its policy and its key.</param>
    public void AddBucket(S3BucketAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        _buckets[access.Name] = access;
    }

    /// <summary>Every request answered, in order.</summary>
    public IReadOnlyList<S3ProxyRequest> Requests => [.. _requests];

    /// <summary>Starts the front on a free loopback port.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running front.</returns>
    public static async Task<S3IamProxy> StartAsync(S3IamProxyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var proxy = new S3IamProxy(options);
        proxy._host = await LoopbackHost.StartAsync(proxy.HandleAsync, unlimitedRequestBodies: true, cancellationToken).ConfigureAwait(false);
        proxy.Endpoint = proxy._host.Endpoint;
        return proxy;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }

        _upstream.Dispose();
    }

    /// <summary>
    /// The IAM requests S3 makes for one S3 request, in the order S3 checks them: the S3 action on the bucket or
    /// object ARN (one per key of a DeleteObjects, plus the source of a copy), then the KMS action on the bucket's
    /// key for SSE-KMS writes and reads. Exposed for tests of the mapping.
    /// </summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="rawPath">The raw (encoded) path, path-style.</param>
    /// <param name="query">The query parameters (names as sent).</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The request body (read for DeleteObjects).</param>
    /// <returns>The operation name and the authorizations, each with the resource policy that applies and whether it must allow.</returns>
    public (string Operation, IReadOnlyList<S3Authorization> Checks) Authorizations(
        string method, string rawPath, IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawPath);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(body);
        var path = rawPath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = Uri.UnescapeDataString(slash < 0 ? path : path[..slash]);
        var key = slash < 0 || slash == path.Length - 1 ? null : Uri.UnescapeDataString(path[(slash + 1)..]);
        bool Has(string name) => query.ContainsKey(name);
        var checks = new List<S3Authorization>();
        if (bucket.Length == 0)
        {
            checks.Add(S3Check("s3:ListAllMyBuckets", "*", null, headers));
            return ("ListBuckets", checks);
        }

        var bucketArn = $"arn:aws:s3:::{bucket}";
        var access = _buckets.GetValueOrDefault(bucket);
        string operation;
        if (key is null)
        {
            (operation, var action) = method switch
            {
                "PUT" => BucketSubresource(query, put: true) ?? ("CreateBucket", "s3:CreateBucket"),
                "GET" => BucketSubresource(query, put: false) ?? ("ListObjects", "s3:ListBucket"),
                "HEAD" => ("HeadBucket", "s3:ListBucket"),
                "DELETE" => Has("policy") ? ("DeleteBucketPolicy", "s3:DeleteBucketPolicy")
                    : Has("tagging") ? ("DeleteBucketTagging", "s3:PutBucketTagging")
                    : Has("lifecycle") ? ("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration")
                    : Has("cors") ? ("DeleteBucketCors", "s3:PutBucketCORS")
                    : Has("encryption") ? ("DeleteBucketEncryption", "s3:PutEncryptionConfiguration")
                    : ("DeleteBucket", "s3:DeleteBucket"),
                "POST" when Has("delete") => ("DeleteObjects", string.Empty),
                _ => (method, "s3:" + method),
            };
            if (operation == "DeleteObjects")
            {
                foreach (var (objectKey, version) in DeletedKeys(body))
                {
                    checks.Add(S3Check(version is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", $"{bucketArn}/{objectKey}", access, headers));
                }

                return (operation, checks);
            }

            var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (action == "s3:ListBucket" && query.TryGetValue("prefix", out var prefix))
            {
                context["s3:prefix"] = prefix;
            }

            if (action == "s3:ListBucket" && query.TryGetValue("delimiter", out var delimiter))
            {
                context["s3:delimiter"] = delimiter;
            }

            checks.Add(S3Check(action, bucketArn, access, headers, context));
            return (operation, checks);
        }

        var objectArn = $"{bucketArn}/{key}";
        var versioned = Has("versionId");
        var copySource = headers.GetValueOrDefault("x-amz-copy-source");
        string? kmsAction = null;
        switch (method)
        {
            case "PUT" when Has("uploadId") && Has("partNumber"):
                operation = copySource is null ? "UploadPart" : "UploadPartCopy";
                checks.Add(S3Check("s3:PutObject", objectArn, access, headers));
                kmsAction = "kms:Decrypt";
                break;
            case "PUT" when Has("tagging"):
                operation = "PutObjectTagging";
                checks.Add(S3Check(versioned ? "s3:PutObjectVersionTagging" : "s3:PutObjectTagging", objectArn, access, headers));
                break;
            case "PUT" when Has("acl"):
                operation = "PutObjectAcl";
                checks.Add(S3Check(versioned ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl", objectArn, access, headers));
                break;
            case "PUT" when Has("retention"):
                operation = "PutObjectRetention";
                checks.Add(S3Check("s3:PutObjectRetention", objectArn, access, headers));
                break;
            case "PUT" when Has("legal-hold"):
                operation = "PutObjectLegalHold";
                checks.Add(S3Check("s3:PutObjectLegalHold", objectArn, access, headers));
                break;
            case "PUT":
                operation = copySource is null ? "PutObject" : "CopyObject";
                checks.Add(S3Check("s3:PutObject", objectArn, access, headers));
                kmsAction = "kms:GenerateDataKey";
                break;
            case "POST" when Has("uploads"):
                operation = "CreateMultipartUpload";
                checks.Add(S3Check("s3:PutObject", objectArn, access, headers));
                kmsAction = "kms:GenerateDataKey";
                break;
            case "POST" when Has("uploadId"):
                operation = "CompleteMultipartUpload";
                checks.Add(S3Check("s3:PutObject", objectArn, access, headers));
                kmsAction = "kms:Decrypt";
                break;
            case "POST" when Has("restore"):
                operation = "RestoreObject";
                checks.Add(S3Check("s3:RestoreObject", objectArn, access, headers));
                break;
            case "POST" when Has("select"):
                operation = "SelectObjectContent";
                checks.Add(S3Check("s3:GetObject", objectArn, access, headers));
                kmsAction = "kms:Decrypt";
                break;
            case "GET" when Has("uploadId"):
                operation = "ListParts";
                checks.Add(S3Check("s3:ListMultipartUploadParts", objectArn, access, headers));
                break;
            case "GET" when Has("tagging"):
                operation = "GetObjectTagging";
                checks.Add(S3Check(versioned ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging", objectArn, access, headers));
                break;
            case "GET" when Has("acl"):
                operation = "GetObjectAcl";
                checks.Add(S3Check(versioned ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl", objectArn, access, headers));
                break;
            case "GET" when Has("attributes"):
                operation = "GetObjectAttributes";
                checks.Add(S3Check(versioned ? "s3:GetObjectVersionAttributes" : "s3:GetObjectAttributes", objectArn, access, headers));
                break;
            case "GET":
                operation = "GetObject";
                checks.Add(S3Check(versioned ? "s3:GetObjectVersion" : "s3:GetObject", objectArn, access, headers));
                kmsAction = "kms:Decrypt";
                break;
            case "HEAD":
                // HeadObject is authorized as s3:GetObject; it returns metadata only, so S3 does not call KMS.
                operation = "HeadObject";
                checks.Add(S3Check(versioned ? "s3:GetObjectVersion" : "s3:GetObject", objectArn, access, headers));
                break;
            case "DELETE" when Has("uploadId"):
                operation = "AbortMultipartUpload";
                checks.Add(S3Check("s3:AbortMultipartUpload", objectArn, access, headers));
                break;
            case "DELETE" when Has("tagging"):
                operation = "DeleteObjectTagging";
                checks.Add(S3Check(versioned ? "s3:DeleteObjectVersionTagging" : "s3:DeleteObjectTagging", objectArn, access, headers));
                break;
            case "DELETE":
                operation = "DeleteObject";
                checks.Add(S3Check(versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject", objectArn, access, headers));
                break;
            default:
                operation = method;
                checks.Add(S3Check("s3:" + method, objectArn, access, headers));
                break;
        }

        if (copySource is not null)
        {
            // The copy's source is read (s3:GetObject) and, when it is SSE-KMS, decrypted with its own key.
            var source = Uri.UnescapeDataString(copySource.TrimStart('/'));
            var question = source.IndexOf("?versionId=", StringComparison.Ordinal);
            var sourceVersioned = question >= 0;
            source = sourceVersioned ? source[..question] : source;
            var sourceBucket = source.Split('/', 2)[0];
            var sourceAccess = _buckets.GetValueOrDefault(sourceBucket);
            checks.Add(S3Check(sourceVersioned ? "s3:GetObjectVersion" : "s3:GetObject", $"arn:aws:s3:::{source}", sourceAccess, headers));
            if (sourceAccess?.KmsKeyArn is not null)
            {
                checks.Add(KmsCheck("kms:Decrypt", sourceAccess, $"arn:aws:s3:::{source}"));
            }
        }

        if (kmsAction is not null && KeyFor(access, headers) is { } kms)
        {
            checks.Add(KmsCheck(kmsAction, kms, objectArn));
        }

        return (operation, checks);
    }

    private static (string Operation, string Action)? BucketSubresource(IReadOnlyDictionary<string, string> query, bool put)
    {
        (string Query, string Operation, string Action)[] table = put
            ?
            [
                ("policy", "PutBucketPolicy", "s3:PutBucketPolicy"), ("versioning", "PutBucketVersioning", "s3:PutBucketVersioning"),
                ("encryption", "PutBucketEncryption", "s3:PutEncryptionConfiguration"), ("tagging", "PutBucketTagging", "s3:PutBucketTagging"),
                ("lifecycle", "PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"), ("cors", "PutBucketCors", "s3:PutBucketCORS"),
                ("acl", "PutBucketAcl", "s3:PutBucketAcl"), ("publicAccessBlock", "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
                ("ownershipControls", "PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"), ("logging", "PutBucketLogging", "s3:PutBucketLogging"),
                ("notification", "PutBucketNotificationConfiguration", "s3:PutBucketNotification"), ("website", "PutBucketWebsite", "s3:PutBucketWebsite"),
            ]
            :
            [
                ("location", "GetBucketLocation", "s3:GetBucketLocation"), ("versions", "ListObjectVersions", "s3:ListBucketVersions"),
                ("uploads", "ListMultipartUploads", "s3:ListBucketMultipartUploads"), ("policy", "GetBucketPolicy", "s3:GetBucketPolicy"),
                ("versioning", "GetBucketVersioning", "s3:GetBucketVersioning"), ("encryption", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
                ("tagging", "GetBucketTagging", "s3:GetBucketTagging"), ("lifecycle", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
                ("acl", "GetBucketAcl", "s3:GetBucketAcl"), ("cors", "GetBucketCors", "s3:GetBucketCORS"), ("logging", "GetBucketLogging", "s3:GetBucketLogging"),
                ("publicAccessBlock", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
                ("ownershipControls", "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
                ("notification", "GetBucketNotificationConfiguration", "s3:GetBucketNotification"), ("website", "GetBucketWebsite", "s3:GetBucketWebsite"),
            ];
        foreach (var (name, operation, action) in table)
        {
            if (query.ContainsKey(name))
            {
                return (operation, action);
            }
        }

        return null;
    }

    private static List<(string Key, string? Version)> DeletedKeys(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body));
        return document.Descendants().Where(e => e.Name.LocalName == "Object")
            .Select(o => (
                o.Elements().First(e => e.Name.LocalName == "Key").Value,
                o.Elements().FirstOrDefault(e => e.Name.LocalName == "VersionId")?.Value))
            .ToList();
    }

    // The key a write or read uses: the request's own SSE-KMS key when it names one, else the bucket's default.
    private S3BucketAccess? KeyFor(S3BucketAccess? access, IReadOnlyDictionary<string, string> headers)
    {
        if (headers.TryGetValue("x-amz-server-side-encryption-aws-kms-key-id", out var requested) && access?.KmsKeyArn != requested)
        {
            // Another key than the bucket's default: its policy as some bucket of the rehearsal knows it, else none.
            var policy = _buckets.Values.FirstOrDefault(b => b.KmsKeyArn == requested)?.KeyPolicy;
            return new S3BucketAccess(access?.Name ?? string.Empty) { KmsKeyArn = requested, KeyPolicy = policy, BucketKeyEnabled = access?.BucketKeyEnabled ?? false };
        }

        return access?.KmsKeyArn is null ? null : access;
    }

    private S3Authorization S3Check(string action, string resource, S3BucketAccess? access, IReadOnlyDictionary<string, string> headers, Dictionary<string, string>? context = null)
    {
        context ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        context["aws:SecureTransport"] = _options.SecureTransport ? "true" : "false";
        if (headers.TryGetValue("x-amz-server-side-encryption", out var sse))
        {
            context["s3:x-amz-server-side-encryption"] = sse;
        }

        if (headers.TryGetValue("x-amz-server-side-encryption-aws-kms-key-id", out var keyId))
        {
            context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = keyId;
        }

        return new S3Authorization(new IamRequest(action, resource, context), access?.Policy, ResourcePolicyRequired: false);
    }

    private S3Authorization KmsCheck(string action, S3BucketAccess key, string objectArn)
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:ViaService"] = $"s3.{_options.Region}.amazonaws.com",
            ["kms:CallerAccount"] = _options.AccountId,
            ["kms:EncryptionContext:aws:s3:arn"] = key.BucketKeyEnabled ? $"arn:aws:s3:::{key.Name}" : objectArn,
            ["aws:SecureTransport"] = "true",
        };
        // A key the rehearsal does not know has no policy that allows: KMS denies.
        return new S3Authorization(new IamRequest(action, key.KmsKeyArn!, context), key.KeyPolicy ?? new JsonObject(), ResourcePolicyRequired: true);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var activity = _options.Clock?.BeginActivity();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
        var queryIndex = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryIndex < 0 ? rawTarget : rawTarget[..queryIndex];
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var method = context.Request.Method.ToUpperInvariant();

        string operation;
        IReadOnlyList<S3Authorization> checks;
        try
        {
            (operation, checks) = Authorizations(method, rawPath, query, headers, body);
        }
        catch (System.Xml.XmlException)
        {
            await WriteErrorAsync(context, method, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400).ConfigureAwait(false);
            _requests.Enqueue(new(method, rawPath, "DeleteObjects", 400, "MalformedXML"));
            return;
        }

        var accessKey = AccessKeyOf(headers, query);
        foreach (var check in checks)
        {
            var call = _options.Iam.Authorize(accessKey, check.Request, check.ResourcePolicy, check.ResourcePolicyRequired);
            if (call.Decision != IamDecision.Allowed)
            {
                await WriteErrorAsync(context, method, "AccessDenied", DeniedMessage(call, check), 403).ConfigureAwait(false);
                _requests.Enqueue(new(method, rawPath, operation, 403, "AccessDenied"));
                return;
            }
        }

        var status = await ForwardAsync(context, method, WithoutPresignature(rawTarget), body).ConfigureAwait(false);
        _requests.Enqueue(new(method, rawPath, operation, status, null));
    }

    // S3's wording: identity-based for S3 actions, resource-based when a KMS key policy is what does not allow.
    private static string DeniedMessage(IamCall call, S3Authorization check)
    {
        if (call.Decision == IamDecision.ExplicitDeny)
        {
            var where = check.ResourcePolicy is null ? "an identity-based policy" : "a resource-based policy";
            return $"User: {call.Principal} is not authorized to perform: {call.Action} on resource: \"{call.Resource}\" with an explicit deny in {where}";
        }

        var why = check.ResourcePolicyRequired ? "because no resource-based policy allows" : "because no identity-based policy allows";
        return $"User: {call.Principal} is not authorized to perform: {call.Action} on resource: \"{call.Resource}\" {why} the {call.Action} action";
    }

    private static async Task WriteErrorAsync(HttpContext context, string method, string code, string message, int status)
    {
        var requestId = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        context.Response.StatusCode = status;
        context.Response.Headers["x-amz-request-id"] = requestId;
        if (method == "HEAD")
        {
            return;
        }

        context.Response.ContentType = "application/xml";
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + $"<Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message><RequestId>{requestId}</RequestId><HostId>ottkit-s3-iam-front</HostId></Error>";
        await context.Response.WriteAsync(xml, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<int> ForwardAsync(HttpContext context, string method, string rawTarget, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_options.Upstream, rawTarget.TrimStart('/')));
        // S3 decodes an aws-chunked body (streaming SigV4, trailing checksums); s3rver would store it as it came.
        var chunked = context.Request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal)
            || context.Request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.Ordinal);
        var content = new ByteArrayContent(chunked ? DecodeAwsChunked(body) : body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name) || (chunked && (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.StartsWith("x-amz-decoded-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase) || name.Equals("x-amz-trailer", StringComparison.OrdinalIgnoreCase))))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values.Select(v => v ?? string.Empty)))
            {
                content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values.Select(v => v ?? string.Empty));
            }
        }

        if (body.Length > 0 || method is "PUT" or "POST")
        {
            request.Content = content;
        }
        else
        {
            content.Dispose();
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (method != "HEAD")
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }

        return (int)response.StatusCode;
    }

    // aws-chunked: "<hex size>[;chunk-signature=…]\r\n<bytes>\r\n" repeated, ended by a zero-size chunk (then trailers).
    private static byte[] DecodeAwsChunked(byte[] body)
    {
        using var decoded = new MemoryStream(body.Length);
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var header = System.Text.Encoding.ASCII.GetString(body, position, lineEnd);
            var size = Convert.ToInt32(header.Split(';')[0].Trim(), 16);
            position += lineEnd + 2;
            if (size == 0)
            {
                break;
            }

            decoded.Write(body, position, size);
            position += size + 2;
        }

        return decoded.ToArray();
    }

    // A presigned request's X-Amz-* signature parameters name a key s3rver does not know: they are dropped (as the Authorization header is).
    private static string WithoutPresignature(string rawTarget)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        if (question < 0 || !rawTarget.Contains("X-Amz-Credential=", StringComparison.Ordinal))
        {
            return rawTarget;
        }

        string[] signing = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"];
        var kept = rawTarget[(question + 1)..].Split('&').Where(p => !signing.Contains(p.Split('=')[0], StringComparer.Ordinal)).ToList();
        return kept.Count == 0 ? rawTarget[..question] : rawTarget[..question] + "?" + string.Join('&', kept);
    }

    private static string? AccessKeyOf(Dictionary<string, string> headers, Dictionary<string, string> query)
    {
        string? credential = null;
        if (headers.TryGetValue("Authorization", out var authorization))
        {
            var marker = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            credential = marker < 0 ? null : authorization[(marker + "Credential=".Length)..];
        }
        else if (query.TryGetValue("X-Amz-Credential", out var presigned))
        {
            credential = presigned;
        }

        if (credential is null)
        {
            return null;
        }

        var slash = credential.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : credential[..slash];
    }
}

/// <summary>One authorization an S3 request needs.</summary>
/// <param name="Request">The IAM request (action, resource ARN, condition keys).</param>
/// <param name="ResourcePolicy">The bucket or key policy that applies; null when there is none.</param>
/// <param name="ResourcePolicyRequired">True for a KMS key: its policy must allow.</param>
public sealed record S3Authorization(IamRequest Request, JsonNode? ResourcePolicy, bool ResourcePolicyRequired);
