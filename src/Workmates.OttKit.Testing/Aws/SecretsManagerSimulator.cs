using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>One secret the simulator holds: its name, ARN (with AWS's six-character suffix), value and KMS key.</summary>
/// <param name="Name">The secret's name.</param>
/// <param name="Arn">Its ARN, <c>arn:aws:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:&lt;name&gt;-XXXXXX</c>.</param>
/// <param name="SecretString">The current value.</param>
/// <param name="KmsKeyArn">The customer-managed key encrypting it; null for the AWS managed key.</param>
/// <param name="VersionId">The id of the current (AWSCURRENT) version.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record SimulatedSecret(string Name, string Arn, string SecretString, string? KmsKeyArn, string VersionId, DateTimeOffset CreatedAt);

/// <summary>
/// A loopback AWS Secrets Manager endpoint (awsJson 1.1, <c>X-Amz-Target: secretsmanager.&lt;Op&gt;</c>) serving
/// <c>GetSecretValue</c> and <c>DescribeSecret</c> for secrets a test creates. With IAM enforced
/// (<see cref="AwsSimulatorOptions.Iam"/>) the caller needs the action on the secret's ARN, and, for a secret under a
/// customer-managed key, <c>kms:Decrypt</c> on that key as KMS decides it: the key policy (added with
/// <see cref="AddKey"/>) must allow, directly or by delegating to IAM, with the request's <c>kms:ViaService</c>
/// <c>secretsmanager.&lt;region&gt;.amazonaws.com</c>, <c>kms:CallerAccount</c> and the
/// <c>kms:EncryptionContext:SecretARN</c>. Secrets Manager answers a refused decryption with
/// <c>AccessDeniedException</c> "Access to KMS is not allowed". Test infrastructure, not Secrets Manager.
/// </summary>
public sealed class SecretsManagerSimulator : AwsJsonSimulator
{
    private const string TargetPrefix = "secretsmanager.";
    private readonly ConcurrentDictionary<string, SimulatedSecret> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonNode> _keyPolicies = new(StringComparer.Ordinal);

    private SecretsManagerSimulator(AwsSimulatorOptions options)
        : base(options, "secretsmanager", TargetPrefix)
    {
    }

    /// <summary>Starts a Secrets Manager simulator on a free loopback port.</summary>
    /// <param name="options">Region, account, credentials, clock and IAM.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running simulator.</returns>
    public static async Task<SecretsManagerSimulator> StartAsync(AwsSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        var simulator = new SecretsManagerSimulator(options);
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>The secrets held.</summary>
    public IReadOnlyCollection<SimulatedSecret> Secrets => [.. _secrets.Values];

    /// <summary>Registers a KMS key's policy (resolved JSON); decryption through this service is authorized against it.</summary>
    /// <param name="keyArn">The key's ARN.</param>
    /// <param name="keyPolicy">Its key policy.</param>
    public void AddKey(string keyArn, JsonNode keyPolicy)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyArn);
        ArgumentNullException.ThrowIfNull(keyPolicy);
        _keyPolicies[keyArn] = keyPolicy.DeepClone();
    }

    /// <summary>Creates a secret as <c>CreateSecret</c> would (the ARN's suffix is derived from the name, so runs are repeatable).</summary>
    /// <param name="name">The name.</param>
    /// <param name="secretString">The value.</param>
    /// <param name="kmsKeyArn">The customer-managed key; null for the AWS managed key.</param>
    /// <returns>The secret.</returns>
    public SimulatedSecret CreateSecret(string name, string secretString, string? kmsKeyArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(secretString);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var suffix = new string([.. hash.Take(6).Select(b => Alphabet[b % Alphabet.Length])]);
        var version = new Guid(hash.AsSpan(8, 16)).ToString();
        var secret = new SimulatedSecret(name, Arn("secretsmanager", $"secret:{name}-{suffix}"), secretString, kmsKeyArn, version, Clock.GetUtcNow());
        if (!_secrets.TryAdd(name, secret))
        {
            throw new AwsSimulatorException("ResourceExistsException", $"The operation failed because the secret {name} already exists.");
        }

        return secret;
    }

    private protected override string ThrottlingCode => "ThrottlingException";

    private protected override string InternalErrorCode => "InternalServiceError";

    private protected override (string Code, int Status) AccessDeniedError => ("AccessDeniedException", 400);

    private protected override IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body)
    {
        var input = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? [];
        var id = input["SecretId"]?.GetValue<string>();
        // A secret that does not exist is authorized on the ARN the caller named (or a name's wildcard ARN), as AWS does.
        var resource = id is null ? "*" : Find(id)?.Arn ?? (id.StartsWith("arn:", StringComparison.Ordinal) ? id : Arn("secretsmanager", $"secret:{id}"));
        return [new($"secretsmanager:{operation}", resource)];
    }

    private protected override Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, JsonObject input)
    {
        var output = operation switch
        {
            "GetSecretValue" => GetSecretValue(input, request),
            "DescribeSecret" => DescribeSecret(input),
            _ => throw new AwsSimulatorException("UnknownOperationException", string.Empty),
        };
        return Task.FromResult(Ok(output));
    }

    private JsonObject GetSecretValue(JsonObject input, HttpRequest request)
    {
        var secret = Required(input);
        if (input["VersionStage"]?.GetValue<string>() is { } stage && stage != "AWSCURRENT")
        {
            throw new AwsSimulatorException("ResourceNotFoundException", $"Secrets Manager can't find the specified secret value for staging label: {stage}");
        }

        if (input["VersionId"]?.GetValue<string>() is { } version && version != secret.VersionId)
        {
            throw new AwsSimulatorException("ResourceNotFoundException", $"Secrets Manager can't find the specified secret value for VersionId: {version}");
        }

        Decrypt(secret, request);
        return new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["VersionId"] = secret.VersionId,
            ["SecretString"] = secret.SecretString,
            ["VersionStages"] = new JsonArray("AWSCURRENT"),
            ["CreatedDate"] = secret.CreatedAt.ToUnixTimeMilliseconds() / 1000.0,
        };
    }

    private JsonObject DescribeSecret(JsonObject input)
    {
        var secret = Required(input);
        var described = new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["CreatedDate"] = secret.CreatedAt.ToUnixTimeMilliseconds() / 1000.0,
            ["VersionIdsToStages"] = new JsonObject { [secret.VersionId] = new JsonArray("AWSCURRENT") },
        };
        if (secret.KmsKeyArn is not null)
        {
            described["KmsKeyId"] = secret.KmsKeyArn;
        }

        return described;
    }

    // Secrets Manager decrypts the value with the caller's credentials, through itself (kms:ViaService).
    private void Decrypt(SimulatedSecret secret, HttpRequest request)
    {
        if (Options.Iam is not { } iam || secret.KmsKeyArn is null)
        {
            return;
        }

        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:ViaService"] = $"secretsmanager.{Region}.amazonaws.com",
            ["kms:CallerAccount"] = Options.AccountId,
            ["kms:EncryptionContext:SecretARN"] = secret.Arn,
            ["kms:EncryptionContext:SecretVersionId"] = secret.VersionId,
        };
        var decrypt = new Iam.IamRequest("kms:Decrypt", secret.KmsKeyArn, context);
        var accessKey = AccessKeyOf(request.Headers.Authorization.ToString());
        var call = _keyPolicies.TryGetValue(secret.KmsKeyArn, out var keyPolicy)
            ? iam.Authorize(accessKey, decrypt, keyPolicy, resourcePolicyRequired: true)
            : iam.Authorize(accessKey, decrypt, null, resourcePolicyRequired: true);
        if (call.Decision != Iam.IamDecision.Allowed)
        {
            throw new AwsSimulatorException("AccessDeniedException", "Access to KMS is not allowed");
        }
    }

    private SimulatedSecret Required(JsonObject input)
    {
        var id = input["SecretId"]?.GetValue<string>();
        if (string.IsNullOrEmpty(id))
        {
            throw new AwsSimulatorException("ValidationException", "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
        }

        return Find(id) ?? throw new AwsSimulatorException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    // By name, by full ARN, or by the ARN without its six-character suffix (a partial ARN), as Secrets Manager resolves SecretId.
    private SimulatedSecret? Find(string id) =>
        _secrets.TryGetValue(id, out var byName)
            ? byName
            : _secrets.Values.FirstOrDefault(s => s.Arn == id || (id.StartsWith("arn:", StringComparison.Ordinal) && s.Arn.Length == id.Length + 7 && s.Arn.StartsWith(id + "-", StringComparison.Ordinal)));

    private static string? AccessKeyOf(string authorization)
    {
        var marker = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var rest = authorization[(marker + "Credential=".Length)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : rest[..slash];
    }

    /// <summary>The value CloudFormation stores for a <c>GenerateSecretString</c> with a template and a key: the template's JSON with the generated password added (letters and digits, deterministic per seed).</summary>
    /// <param name="secretStringTemplate">The JSON template, e.g. <c>{"username":"backup"}</c>.</param>
    /// <param name="generateStringKey">The key of the generated value.</param>
    /// <param name="length">The password length.</param>
    /// <param name="seed">Makes the password repeatable.</param>
    /// <returns>The secret string.</returns>
    public static string Generated(string secretStringTemplate, string generateStringKey, int length, string seed)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var password = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            password.Append(Alphabet[(bytes[i % bytes.Length] + i) % Alphabet.Length]);
        }

        var value = JsonNode.Parse(secretStringTemplate)!.AsObject();
        value[generateStringKey] = password.ToString();
        return value.ToJsonString();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Secrets Manager simulator {BaseUrl} ({_secrets.Count} secrets)");
}
