using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// The grammar of the MongoDB Connection String spec: scheme, userinfo, hosts, auth database and options. Option
/// values are validated by <see cref="UriOptionTable"/>.
/// </summary>
internal static class ConnectionStringParser
{
    internal const string Scheme = "mongodb://";
    internal const string SrvScheme = "mongodb+srv://";

    internal sealed record RawParts(
        bool IsSrv,
        string? Username,
        string? Password,
        IReadOnlyList<MongoServerAddress> Hosts,
        string? Database,
        IReadOnlyList<KeyValuePair<string, string>> Options);

    public static RawParts Split(string uri)
    {
        bool isSrv;
        string rest;
        if (uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            isSrv = false;
            rest = uri[Scheme.Length..];
        }
        else if (uri.StartsWith(SrvScheme, StringComparison.Ordinal))
        {
            isSrv = true;
            rest = uri[SrvScheme.Length..];
        }
        else
        {
            throw new MongoConfigurationException("scheme", "A MongoDB connection string must start with 'mongodb://' (or 'mongodb+srv://').");
        }

        var query = string.Empty;
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }

        string? username = null;
        string? password = null;
        var at = rest.LastIndexOf('@');
        if (at < 0 && query.Contains('@', StringComparison.Ordinal))
        {
            // An unencoded '?' in the password moves the userinfo into the query ("admin:2024?Summer=x@db1" would
            // otherwise parse as host admin, port 2024): refuse it, and never echo that text.
            throw new MongoConfigurationException("userinfo", "The connection string has an '@' after its '?': a user name or password holding '?' must percent-encode it (%3F), and an '@' in an option value must be written %40.");
        }

        if (at >= 0)
        {
            (username, password) = ParseUserInfo(rest[..at]);
            rest = rest[(at + 1)..];
        }

        string? database = null;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash >= 0 ? rest[..slash] : rest;
        if (slash >= 0)
        {
            var path = rest[(slash + 1)..];
            if (path.Length > 0)
            {
                database = Decode(path, "database");
            }
        }

        if (hostPart.Length == 0)
        {
            throw new MongoConfigurationException("hosts", "The connection string lists no host. Write at least one, e.g. 'mongodb://db1.example.com:27017'.");
        }

        List<MongoServerAddress> hosts;
        try
        {
            hosts = hostPart.Split(',').Select(h => ParseHost(h, decode: true)).ToList();
        }
        catch (MongoConfigurationException) when (at < 0 && query.Contains('@', StringComparison.Ordinal))
        {
            // An unencoded '?' in the password moves the userinfo into the query; never echo that text.
            throw new MongoConfigurationException("hosts", "The host list is invalid. If the user name or password contains '?', '/', ':' or '@', percent-encode it (e.g. '?' as %3F).");
        }

        if (isSrv)
        {
            if (hosts.Count != 1)
            {
                throw new MongoConfigurationException("hosts", "A 'mongodb+srv://' connection string must name exactly one host (the SRV domain).");
            }

            if (hostPart.Contains(':', StringComparison.Ordinal) && hosts[0].Kind != MongoHostKind.IPLiteral)
            {
                throw new MongoConfigurationException("hosts", "A 'mongodb+srv://' host must not have a port; the ports come from the SRV records.");
            }

            if (hosts[0].Kind == MongoHostKind.UnixSocket)
            {
                throw new MongoConfigurationException("hosts", "A 'mongodb+srv://' host must be a DNS name, not a Unix socket.");
            }
        }

        return new RawParts(isSrv, username, password, hosts, database, ParseQuery(query));
    }

    private static (string Username, string? Password) ParseUserInfo(string userInfo)
    {
        // Reserved characters must be percent-encoded in userinfo; never echo it (it may hold the password).
        if (userInfo.Contains('@', StringComparison.Ordinal) || userInfo.Contains('/', StringComparison.Ordinal)
            || userInfo.Contains('?', StringComparison.Ordinal) || userInfo.Contains('#', StringComparison.Ordinal)
            || userInfo.Contains('[', StringComparison.Ordinal) || userInfo.Contains(']', StringComparison.Ordinal))
        {
            throw new MongoConfigurationException("userinfo", "The user name or password contains an unescaped '@', '/', '?', '#', '[' or ']'. Percent-encode them (e.g. '@' as %40).");
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var rawUser = colon >= 0 ? userInfo[..colon] : userInfo;
        string? rawPassword = colon >= 0 ? userInfo[(colon + 1)..] : null;
        if (rawPassword is not null && rawPassword.Contains(':', StringComparison.Ordinal))
        {
            throw new MongoConfigurationException("userinfo", "The password contains an unescaped ':'. Percent-encode it as %3A.");
        }

        if (rawUser.Length == 0)
        {
            throw new MongoConfigurationException("userinfo", "The user name is empty. Remove the '@' or write 'user:password@'.");
        }

        return (Decode(rawUser, "username"), rawPassword is null ? null : Decode(rawPassword, "password"));
    }

    public static MongoServerAddress ParseHost(string text, bool decode)
    {
        if (text.Length == 0)
        {
            throw new MongoConfigurationException("hosts", "The host list has an empty entry. Remove the extra ','.");
        }

        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new MongoConfigurationException("hosts", $"The IPv6 literal '{text}' has no closing ']'.");
            }

            var literal = text[1..close];
            if (!IPAddress.TryParse(literal, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new MongoConfigurationException("hosts", $"'{literal}' is not a valid IPv6 address.");
            }

            var after = text[(close + 1)..];
            int port = MongoServerAddress.DefaultPort;
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    throw new MongoConfigurationException("hosts", $"Unexpected text after the IPv6 literal in '{text}'. Write '[address]:port'.");
                }

                port = ParsePort(after[1..], text);
            }

            return new MongoServerAddress(literal.ToLowerInvariant(), port, MongoHostKind.IPLiteral);
        }

        var host = decode ? Decode(text, "hosts") : text;
        if (host.Contains('/', StringComparison.Ordinal))
        {
            return new MongoServerAddress(host, 0, MongoHostKind.UnixSocket);
        }

        var portNumber = MongoServerAddress.DefaultPort;
        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            portNumber = ParsePort(host[(colon + 1)..], host);
            host = host[..colon];
        }

        if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal))
        {
            throw new MongoConfigurationException("hosts", $"'{text}' is not a valid host. Write 'host', 'host:port' or '[IPv6]:port'.");
        }

        var kind = IsIPv4(host) ? MongoHostKind.IPv4 : MongoHostKind.HostName;
        return new MongoServerAddress(host.ToLowerInvariant(), portNumber, kind);
    }

    private static bool IsIPv4(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static int ParsePort(string text, string host)
    {
        if (text.Length == 0 || text.Length > 5 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new MongoConfigurationException("hosts", $"The port in '{host}' must be a number from 1 to 65535.");
        }

        return port;
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var options = new List<KeyValuePair<string, string>>();
        if (query.Length == 0)
        {
            return options;
        }

        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                var name = equals < 0 ? pair : "(empty)";
                throw new MongoConfigurationException(name, $"The option '{name}' has no value. Write 'name=value' and separate options with '&'.");
            }

            var key = Decode(pair[..equals], "options");
            options.Add(new(key, pair[(equals + 1)..]));
        }

        return options;
    }

    /// <summary>Percent-decodes as UTF-8; a '%' not followed by two hex digits is an error.</summary>
    public static string Decode(string text, string part)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    throw new MongoConfigurationException(part, $"The {part} contains a '%' that is not followed by two hex digits. Percent-encode '%' itself as %25.");
                }

                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                var next = text.IndexOf('%', i);
                var end = next < 0 ? text.Length : next;
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end - 1;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
