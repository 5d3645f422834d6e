using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>
/// Salted passwords already derived for one credential, keyed by (mechanism, salt, iterations). PBKDF2 is deliberately
/// slow, so reconnecting with the same credential should not pay for it again. The key includes the prepared password
/// hash so a changed password never hits a stale entry.
/// </summary>
internal sealed class ScramKeyCache
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

    public byte[] GetOrAdd(string mechanism, string preparedPassword, byte[] salt, int iterations, Func<byte[]> derive)
    {
        var passwordTag = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(preparedPassword)));
        var key = $"{mechanism}|{passwordTag}|{Convert.ToBase64String(salt)}|{iterations}";
        return _entries.GetOrAdd(key, _ => derive());
    }

    public int Count => _entries.Count;
}
