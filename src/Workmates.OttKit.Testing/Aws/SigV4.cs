using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>A test access key pair the simulators accept.</summary>
/// <param name="AccessKeyId">The access key id (for example <c>AKIDEXAMPLE</c>).</param>
/// <param name="SecretAccessKey">The secret used to derive the signing key.</param>
public sealed record SimulatorCredentials(string AccessKeyId, string SecretAccessKey)
{
    /// <summary>The default test credentials of every simulator.</summary>
    public static SimulatorCredentials Default { get; } = new("AKIAOTTKITSIMULATOR", "ottkit/simulator/secret/key/EXAMPLEKEY");
}

/// <summary>The request parts that Signature Version 4 covers, in the form the server received them.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="RawPath">The path as sent (still percent-encoded).</param>
/// <param name="RawQuery">The query string as sent, without the leading '?'.</param>
/// <param name="Headers">Header name → values (names compared case-insensitively).</param>
/// <param name="Body">The request body.</param>
public sealed record SignableRequest(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
    ReadOnlyMemory<byte> Body);

/// <summary>Why a signature was refused; <see cref="Kind"/> selects the protocol's error code.</summary>
/// <param name="Kind">Missing, malformed, unknown key or mismatch.</param>
/// <param name="Message">The message AWS returns for it.</param>
public sealed record SignatureFailure(SignatureFailureKind Kind, string Message);

/// <summary>The families of authentication failure AWS distinguishes on the wire.</summary>
public enum SignatureFailureKind
{
    /// <summary>No Authorization header at all (MissingAuthenticationToken).</summary>
    Missing,

    /// <summary>The header is malformed or the scope is wrong (IncompleteSignature / InvalidSignatureException).</summary>
    Incomplete,

    /// <summary>The access key is not known (UnrecognizedClientException / InvalidClientTokenId).</summary>
    UnknownAccessKey,

    /// <summary>The signature does not match (InvalidSignatureException / SignatureDoesNotMatch).</summary>
    Mismatch,
}

/// <summary>
/// AWS Signature Version 4 (header form), written from the published algorithm: canonical request, string to sign,
/// the HMAC-SHA256 key chain. The simulators verify with it; tests sign with it (and a published AWS example checks
/// both against a signature computed by AWS).
/// </summary>
public static class SigV4
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Builds the canonical request exactly as the SigV4 specification defines it (non-S3 path rules).</summary>
    public static string CanonicalRequest(SignableRequest request, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        var builder = new StringBuilder();
        builder.Append(request.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalPath(request.RawPath)).Append('\n');
        builder.Append(CanonicalQuery(request.RawQuery)).Append('\n');
        var headers = new Dictionary<string, IReadOnlyList<string>>(request.Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var name in signedHeaders)
        {
            var values = headers.TryGetValue(name, out var v) ? v : [];
            builder.Append(name).Append(':').Append(string.Join(',', values.Select(TrimAll))).Append('\n');
        }

        builder.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>The string to sign for a canonical request.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>The signature: HMAC chain kSecret → kDate → kRegion → kService → kSigning, then HMAC of the string to sign.</summary>
    public static string Signature(string secretKey, string date, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Convert.ToHexStringLower(Hmac(key, stringToSign));
    }

    /// <summary>
    /// Signs an outgoing request for tests: sets <c>X-Amz-Date</c>, <c>Host</c> and <c>Authorization</c>
    /// (signed headers: host, x-amz-date, x-amz-target and content-type when present).
    /// </summary>
    public static void Sign(HttpRequestMessage request, byte[] body, SimulatorCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(request.RequestUri);
        var amzDate = now.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var uri = request.RequestUri;
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["host"] = [host] };
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToList();
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = header.Value.ToList();
            }
        }

        var signed = headers.Keys.Select(k => k.ToLowerInvariant())
            .Where(k => k is "host" or "content-type" || k.StartsWith("x-amz-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        var signable = new SignableRequest(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, body);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var canonical = CanonicalRequest(signable, signed, HexSha256(body));
        var signature = Signature(credentials.SecretAccessKey, date, region, service, StringToSign(amzDate, scope, canonical));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
    }

    /// <summary>
    /// Verifies the Authorization header of a received request. Returns null when the signature is valid,
    /// otherwise the failure to report.
    /// </summary>
    public static SignatureFailure? Verify(SignableRequest request, IReadOnlyCollection<SimulatorCredentials> known, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(known);
        var headers = new Dictionary<string, IReadOnlyList<string>>(request.Headers, StringComparer.OrdinalIgnoreCase);
        if (!headers.TryGetValue("Authorization", out var auth) || auth.Count == 0 || string.IsNullOrWhiteSpace(auth[0]))
        {
            return new(SignatureFailureKind.Missing, "Missing Authentication Token");
        }

        var value = auth[0].Trim();
        if (!value.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return new(SignatureFailureKind.Incomplete, $"Authorization header requires '{Algorithm}' algorithm.");
        }

        var parts = value[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
        {
            return new(SignatureFailureKind.Incomplete,
                $"Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization={value}");
        }

        var scopeParts = credential.Split('/');
        if (scopeParts.Length != 5 || scopeParts[4] != "aws4_request")
        {
            return new(SignatureFailureKind.Incomplete, $"Credential should be scoped to a valid region. Credential={credential}");
        }

        var keys = known.FirstOrDefault(k => k.AccessKeyId == scopeParts[0]);
        if (keys is null)
        {
            return new(SignatureFailureKind.UnknownAccessKey, "The security token included in the request is invalid.");
        }

        var amzDate = headers.TryGetValue("X-Amz-Date", out var d) && d.Count > 0 ? d[0] : null;
        if (amzDate is null || !DateTime.TryParseExact(amzDate, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return new(SignatureFailureKind.Incomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (scopeParts[1] != amzDate[..8])
        {
            return new(SignatureFailureKind.Incomplete,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeParts[1]}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if (scopeParts[2] != region)
        {
            return new(SignatureFailureKind.Incomplete, $"Credential should be scoped to a valid region, not '{scopeParts[2]}'. ");
        }

        if (scopeParts[3] != service)
        {
            return new(SignatureFailureKind.Incomplete, $"Credential should be scoped to correct service: '{service}'. ");
        }

        var signedList = signedHeaders.Split(';').ToList();
        if (!signedList.Contains("host", StringComparer.Ordinal))
        {
            return new(SignatureFailureKind.Incomplete, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var bodyHash = HexSha256(request.Body.Span);
        var payloadHash = headers.TryGetValue("X-Amz-Content-SHA256", out var p) && p.Count > 0 ? p[0] : bodyHash;
        if (payloadHash != bodyHash && payloadHash != "UNSIGNED-PAYLOAD")
        {
            return new(SignatureFailureKind.Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var canonical = CanonicalRequest(request, signedList, payloadHash);
        var stringToSign = StringToSign(amzDate, string.Join('/', scopeParts[1..]), canonical);
        var expected = Signature(keys.SecretAccessKey, scopeParts[1], region, service, stringToSign);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return new(SignatureFailureKind.Mismatch,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return null;
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string TrimAll(string value) => string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string CanonicalPath(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        // Non-S3 services: each segment of the already-encoded path is encoded once more.
        var segments = rawPath.Split('/').Select(s => UriEncode(s));
        return string.Join('/', segments);
    }

    private static string CanonicalQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        return string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var kv = pair.Split('=', 2);
                return (Key: UriEncode(Uri.UnescapeDataString(kv[0])), Value: UriEncode(Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : string.Empty)));
            })
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ThenBy(kv => kv.Value, StringComparer.Ordinal)
            .Select(kv => kv.Key + "=" + kv.Value));
    }

    private static string UriEncode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
