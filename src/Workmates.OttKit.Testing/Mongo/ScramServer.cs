using System.Security.Cryptography;
using System.Text;

// SCRAM-SHA-1 is defined over MD5 (the password digest), HMAC-SHA-1 and SHA-1; the simulator must speak it.
#pragma warning disable CA5350, CA5351

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>A user the simulator authenticates, with stored SCRAM keys for SHA-1 and SHA-256 (as mongod keeps them).</summary>
public sealed class SimulatedUser
{
    private const int Iterations = 4096;

    /// <summary>Creates a user; the password is turned into salted keys at once.</summary>
    public SimulatedUser(string name, string password, string database = "admin", bool clusterMonitor = true)
    {
        Name = name;
        Database = database;
        ClusterMonitor = clusterMonitor;
        Sha1 = ScramKeys.Derive("SCRAM-SHA-1", Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{name}:mongo:{password}"))), Iterations);
        // SASLprep is the identity for the ASCII passwords tests use; the client side implements it fully.
        Sha256 = ScramKeys.Derive("SCRAM-SHA-256", password, Iterations);
    }

    /// <summary>The user name.</summary>
    public string Name { get; }

    /// <summary>The authentication database.</summary>
    public string Database { get; }

    /// <summary>Whether the user holds the clusterMonitor role (replSetGetStatus, serverStatus, replSetGetConfig).</summary>
    public bool ClusterMonitor { get; }

    internal ScramKeys Sha1 { get; }

    internal ScramKeys Sha256 { get; }
}

/// <summary>Stored SCRAM credentials: salt, iteration count, StoredKey and ServerKey (RFC 5802).</summary>
internal sealed record ScramKeys(string Mechanism, byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey)
{
    public static ScramKeys Derive(string mechanism, string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(mechanism == "SCRAM-SHA-1" ? 16 : 28);
        var algorithm = mechanism == "SCRAM-SHA-1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var size = mechanism == "SCRAM-SHA-1" ? 20 : 32;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, algorithm, size);
        var clientKey = Hmac(mechanism, salted, "Client Key"u8.ToArray());
        return new ScramKeys(mechanism, salt, iterations, Hash(mechanism, clientKey), Hmac(mechanism, salted, "Server Key"u8.ToArray()));
    }

    public static byte[] Hmac(string mechanism, byte[] key, byte[] data) =>
        mechanism == "SCRAM-SHA-1" ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    public static byte[] Hash(string mechanism, byte[] data) =>
        mechanism == "SCRAM-SHA-1" ? SHA1.HashData(data) : SHA256.HashData(data);
}

/// <summary>The server side of one SCRAM conversation.</summary>
internal sealed class ScramServerConversation
{
    private readonly SimulatedUser? _user;
    private readonly ScramKeys? _keys;
    private readonly string _clientFirstBare;
    private readonly string _serverFirst;
    private readonly string _nonce;

    public ScramServerConversation(string mechanism, string clientFirst, Func<string, SimulatedUser?> findUser)
    {
        Mechanism = mechanism;
        // gs2 header "n,," then the bare message "n=user,r=nonce"
        _clientFirstBare = clientFirst[(clientFirst.IndexOf(",,", StringComparison.Ordinal) + 2)..];
        var attributes = Parse(_clientFirstBare);
        UserName = attributes.GetValueOrDefault('n', string.Empty).Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        _user = findUser(UserName);
        _keys = _user is null ? null : mechanism == "SCRAM-SHA-1" ? _user.Sha1 : _user.Sha256;
        var salt = _keys?.Salt ?? RandomNumberGenerator.GetBytes(16);
        _nonce = attributes.GetValueOrDefault('r', string.Empty) + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={_keys?.Iterations ?? 4096}";
    }

    public string Mechanism { get; }

    public string UserName { get; }

    public string ServerFirst => _serverFirst;

    /// <summary>Verifies the client proof; returns the server-final message, or null when authentication fails.</summary>
    public (string ServerFinal, SimulatedUser User)? Finish(string clientFinal)
    {
        if (_keys is null || _user is null)
        {
            return null;
        }

        var proofStart = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofStart < 0)
        {
            return null;
        }

        var withoutProof = clientFinal[..proofStart];
        if (Parse(withoutProof).GetValueOrDefault('r') != _nonce)
        {
            return null;
        }

        var proof = Convert.FromBase64String(clientFinal[(proofStart + 3)..]);
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var clientSignature = ScramKeys.Hmac(Mechanism, _keys.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            return null;
        }

        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(ScramKeys.Hash(Mechanism, clientKey), _keys.StoredKey))
        {
            return null;
        }

        return ($"v={Convert.ToBase64String(ScramKeys.Hmac(Mechanism, _keys.ServerKey, authMessage))}", _user);
    }

    private static Dictionary<char, string> Parse(string message) =>
        message.Split(',').Where(p => p.Length >= 2 && p[1] == '=').GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[2..]);
}
