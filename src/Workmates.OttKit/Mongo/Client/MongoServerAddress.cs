using System.Globalization;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>How a server address in a connection string is written.</summary>
public enum MongoHostKind
{
    /// <summary>A DNS host name.</summary>
    HostName,

    /// <summary>A dotted IPv4 address.</summary>
    IPv4,

    /// <summary>A bracketed IPv6 literal such as <c>[::1]</c>.</summary>
    IPLiteral,

    /// <summary>A Unix domain socket path (percent-encoded in the URI, ending in <c>.sock</c>).</summary>
    UnixSocket,
}

/// <summary>One server address: host (lower-cased unless it is a socket path) and port.</summary>
/// <param name="Host">Host name, IP address (IPv6 without brackets) or socket path.</param>
/// <param name="Port">TCP port; 27017 when not given; 0 for a Unix socket.</param>
/// <param name="Kind">How the host is written.</param>
public sealed record MongoServerAddress(string Host, int Port, MongoHostKind Kind)
{
    /// <summary>The port MongoDB listens on by default.</summary>
    public const int DefaultPort = 27017;

    /// <summary>Parses <c>host</c>, <c>host:port</c> or <c>[v6]:port</c> as written in a hello reply.</summary>
    /// <param name="address">The address text.</param>
    /// <returns>The normalized address.</returns>
    public static MongoServerAddress Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ConnectionStringParser.ParseHost(address, decode: false);
    }

    /// <summary>The <c>host:port</c> form used as a key in topology descriptions.</summary>
    public override string ToString() => Kind switch
    {
        MongoHostKind.UnixSocket => Host,
        MongoHostKind.IPLiteral => $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}",
    };
}
