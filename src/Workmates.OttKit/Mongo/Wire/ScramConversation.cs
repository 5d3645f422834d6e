using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>
/// One SCRAM-SHA-1 or SCRAM-SHA-256 conversation (RFC 5802 / RFC 7677, MongoDB flavour) as a pure state machine:
/// <see cref="ClientFirstMessage"/> → <see cref="ProcessServerFirst"/> → <see cref="VerifyServerFinal"/>. No I/O; the
/// wire client carries the payloads in <c>saslStart</c>/<c>saslContinue</c> (or speculatively in <c>hello</c>).
/// </summary>
internal sealed class ScramConversation
{
    internal const string Sha1 = "SCRAM-SHA-1";
    internal const string Sha256 = "SCRAM-SHA-256";
    private const int MinimumIterations = 4096;
    private const string Gs2Header = "n,,";

    private readonly string _username;
    private readonly string _keyDerivationPassword;
    private readonly string _clientNonce;
    private readonly ScramKeyCache? _cache;
    private readonly string _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private State _state = State.Initial;

    /// <param name="mechanism"><see cref="Sha1"/> or <see cref="Sha256"/>.</param>
    /// <param name="username">The user name as given (escaped here, never SASLprepped).</param>
    /// <param name="keyDerivationPassword">The password already prepared for the mechanism (MD5 digest for SHA-1, SASLprep for SHA-256).</param>
    /// <param name="clientNonce">A fresh random nonce (printable, no ',').</param>
    /// <param name="cache">Salted-password cache of the credential, or <see langword="null"/>.</param>
    internal ScramConversation(string mechanism, string username, string keyDerivationPassword, string clientNonce, ScramKeyCache? cache)
    {
        if (mechanism is not (Sha1 or Sha256))
        {
            throw new ArgumentException($"'{mechanism}' is not a SCRAM mechanism.", nameof(mechanism));
        }

        Mechanism = mechanism;
        _username = username;
        _keyDerivationPassword = keyDerivationPassword;
        _clientNonce = clientNonce;
        _cache = cache;
        _clientFirstBare = $"n={EscapeUsername(username)},r={clientNonce}";
    }

    private enum State
    {
        Initial,
        AwaitingServerFinal,
        Complete,
    }

    public string Mechanism { get; }

    /// <summary>The first client message, GS2 header included (<c>n,,n=user,r=nonce</c>).</summary>
    public string ClientFirstMessage => Gs2Header + _clientFirstBare;

    /// <summary>Whether the server's signature has been verified.</summary>
    public bool IsComplete => _state == State.Complete;

    /// <summary>Starts a conversation for a credential, preparing the password as the mechanism requires.</summary>
    public static ScramConversation Start(MongoCredential credential, string mechanism, string? clientNonce = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.Username is null || credential.Password is null)
        {
            throw new MongoAuthenticationException(mechanism, credential.Username, $"{mechanism} needs a user name and a password.");
        }

        return new ScramConversation(
            mechanism,
            credential.Username,
            PreparePassword(mechanism, credential.Username, credential.Password),
            clientNonce ?? NewNonce(),
            credential.KeyCache);
    }

    /// <summary>SCRAM-SHA-1: hex(MD5(user:mongo:password)), no SASLprep. SCRAM-SHA-256: SASLprep(password).</summary>
    internal static string PreparePassword(string mechanism, string username, string password)
    {
        if (mechanism == Sha1)
        {
#pragma warning disable CA5351 // MD5 is what the MongoDB SCRAM-SHA-1 password digest is defined with; not used for security on its own.
            var digest = MD5.HashData(Encoding.UTF8.GetBytes($"{username}:mongo:{password}"));
#pragma warning restore CA5351
            return Convert.ToHexStringLower(digest);
        }

        try
        {
            return SaslPrep.Prepare(password);
        }
        catch (ArgumentException ex)
        {
            throw new MongoAuthenticationException(mechanism, username, "The password cannot be used with SCRAM-SHA-256: SASLprep rejects it (" + ex.Message.Split(" (Parameter", 2)[0] + ").");
        }
    }

    /// <summary>24 random bytes, base64: printable and free of ','.</summary>
    internal static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>RFC 5802: '=' becomes '=3D' and ',' becomes '=2C'.</summary>
    internal static string EscapeUsername(string username) =>
        username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    /// <summary>
    /// One SASL step for <c>saslStart</c>/<c>saslContinue</c> replies (or the <c>speculativeAuthenticate</c> reply):
    /// the server-first payload yields the client-final payload; the server-final payload is verified and yields
    /// <see langword="null"/>. If the server then says <c>done: false</c>, the caller sends one empty <c>saslContinue</c>.
    /// </summary>
    public byte[]? Continue(ReadOnlySpan<byte> serverPayload)
    {
        string message;
        try
        {
            message = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(serverPayload);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("The server payload is not valid UTF-8.");
        }

        switch (_state)
        {
            case State.Initial:
                return Encoding.UTF8.GetBytes(ProcessServerFirst(message));
            case State.AwaitingServerFinal:
                VerifyServerFinal(message);
                return null;
            default:
                throw Fail("The server sent a payload after the conversation completed.");
        }
    }

    /// <summary>Checks the server-first message and returns the client-final message with the proof.</summary>
    public string ProcessServerFirst(string serverFirstMessage)
    {
        ArgumentNullException.ThrowIfNull(serverFirstMessage);
        if (_state != State.Initial)
        {
            throw Fail("The server-first message arrived out of order.");
        }

        var attributes = ParseAttributes(serverFirstMessage);
        if (attributes.ContainsKey('m'))
        {
            throw Fail("The server requires a SCRAM extension this client does not support.");
        }

        if (!attributes.TryGetValue('r', out var nonce) || nonce.Length <= _clientNonce.Length
            || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw Fail("The server nonce is missing or does not extend the client nonce.");
        }

        if (!attributes.TryGetValue('s', out var saltText) || saltText.Length == 0)
        {
            throw Fail("The server sent no salt.");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException)
        {
            throw Fail("The server salt is not valid base64.");
        }

        if (!attributes.TryGetValue('i', out var iterationText)
            || !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            throw Fail("The server sent no valid iteration count.");
        }

        if (iterations < MinimumIterations)
        {
            throw Fail($"The server asked for {iterations.ToString(CultureInfo.InvariantCulture)} iterations; at least {MinimumIterations.ToString(CultureInfo.InvariantCulture)} are required.");
        }

        var keys = ScramKeys.Derive(Mechanism, _keyDerivationPassword, salt, iterations, _cache);
        var clientFinalWithoutProof = $"c={Convert.ToBase64String(Encoding.ASCII.GetBytes(Gs2Header))},r={nonce}";
        var authMessage = $"{_clientFirstBare},{serverFirstMessage},{clientFinalWithoutProof}";
        var proof = keys.ClientProof(authMessage);
        _expectedServerSignature = keys.ServerSignature(authMessage);
        _state = State.AwaitingServerFinal;
        return $"{clientFinalWithoutProof},p={Convert.ToBase64String(proof)}";
    }

    /// <summary>Verifies the server-final message (<c>v=signature</c>) in constant time; throws on <c>e=</c> or a mismatch.</summary>
    public void VerifyServerFinal(string serverFinalMessage)
    {
        ArgumentNullException.ThrowIfNull(serverFinalMessage);
        if (_state != State.AwaitingServerFinal || _expectedServerSignature is null)
        {
            throw Fail("The server-final message arrived out of order.");
        }

        var attributes = ParseAttributes(serverFinalMessage);
        if (attributes.TryGetValue('e', out var error))
        {
            throw Fail($"The server rejected the authentication: {error}.");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(attributes.GetValueOrDefault('v') ?? string.Empty);
        }
        catch (FormatException)
        {
            throw Fail("The server signature is not valid base64.");
        }

        if (signature.Length == 0 || !CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw Fail("The server signature does not match: the server does not know this user's key.");
        }

        _state = State.Complete;
    }

    private static Dictionary<char, string> ParseAttributes(string message)
    {
        var attributes = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                attributes.TryAdd(part[0], part[2..]);
            }
        }

        return attributes;
    }

    private MongoAuthenticationException Fail(string message) => new(Mechanism, _username, $"{Mechanism} authentication of '{_username}' failed: {message}");
}

/// <summary>SaltedPassword, ClientKey, StoredKey and ServerKey for one (password, salt, iterations).</summary>
internal sealed class ScramKeys
{
    private ScramKeys(string mechanism, byte[] saltedPassword)
    {
        Mechanism = mechanism;
        SaltedPassword = saltedPassword;
        ClientKey = Hmac(mechanism, saltedPassword, "Client Key"u8);
        StoredKey = Hash(mechanism, ClientKey);
        ServerKey = Hmac(mechanism, saltedPassword, "Server Key"u8);
    }

    public string Mechanism { get; }

    public byte[] SaltedPassword { get; }

    public byte[] ClientKey { get; }

    public byte[] StoredKey { get; }

    public byte[] ServerKey { get; }

    public static ScramKeys Derive(string mechanism, string preparedPassword, byte[] salt, int iterations, ScramKeyCache? cache)
    {
        byte[] DeriveSalted()
        {
            var algorithm = mechanism == ScramConversation.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
            var length = mechanism == ScramConversation.Sha1 ? 20 : 32;
            return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(preparedPassword), salt, iterations, algorithm, length);
        }

        var salted = cache is null ? DeriveSalted() : cache.GetOrAdd(mechanism, preparedPassword, salt, iterations, DeriveSalted);
        return new ScramKeys(mechanism, salted);
    }

    public byte[] ClientSignature(string authMessage) => Hmac(Mechanism, StoredKey, Encoding.UTF8.GetBytes(authMessage));

    public byte[] ClientProof(string authMessage)
    {
        var signature = ClientSignature(authMessage);
        var proof = new byte[ClientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(ClientKey[i] ^ signature[i]);
        }

        return proof;
    }

    public byte[] ServerSignature(string authMessage) => Hmac(Mechanism, ServerKey, Encoding.UTF8.GetBytes(authMessage));

#pragma warning disable CA5350 // HMAC-SHA1/SHA-1 are mandated by SCRAM-SHA-1 (RFC 5802), which MongoDB still offers.
    private static byte[] Hmac(string mechanism, byte[] key, ReadOnlySpan<byte> data) =>
        mechanism == ScramConversation.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    private static byte[] Hash(string mechanism, byte[] data) =>
        mechanism == ScramConversation.Sha1 ? SHA1.HashData(data) : SHA256.HashData(data);
#pragma warning restore CA5350
}
