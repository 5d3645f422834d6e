using System.Buffers.Binary;
using System.Text;

namespace Workmates.OttKit.Mongo.Wire.Srv;

/// <summary>DNS record types the seed-list lookup needs.</summary>
internal enum DnsRecordType : ushort
{
    Txt = 16,
    Srv = 33,
}

/// <summary>One SRV answer: where a member listens.</summary>
internal sealed record SrvRecord(string Target, int Port, int Priority, int Weight);

/// <summary>The parsed answer section of a DNS response.</summary>
/// <param name="Srv">SRV answers.</param>
/// <param name="Txt">TXT answers, each record's character-strings concatenated.</param>
/// <param name="Truncated">The TC bit: the answer did not fit in UDP and must be asked again over TCP.</param>
internal sealed record DnsAnswer(IReadOnlyList<SrvRecord> Srv, IReadOnlyList<string> Txt, bool Truncated);

/// <summary>
/// The DNS wire format (RFC 1035, RFC 2782) for one SRV or TXT question: build the query, parse the response. Pure;
/// the wire client sends the bytes over UDP (or TCP when truncated) to the system resolver.
/// </summary>
internal static class DnsMessage
{
    private const ushort RecursionDesired = 0x0100;
    private const ushort ClassInternet = 1;

    public static byte[] BuildQuery(ushort id, string name, DnsRecordType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        var message = new List<byte>(32 + name.Length);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], RecursionDesired);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        message.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                throw new MongoConfigurationException("hosts", $"'{name}' is not a valid DNS name (empty label or label longer than 63 characters).");
            }

            message.Add((byte)bytes.Length);
            message.AddRange(bytes);
        }

        message.Add(0);
        message.Add((byte)((ushort)type >> 8));
        message.Add((byte)type);
        message.Add(0);
        message.Add((byte)ClassInternet);
        return [.. message];
    }

    /// <summary>Parses a response to the query with <paramref name="id"/>; a name error (NXDOMAIN) is an empty answer.</summary>
    public static DnsAnswer ParseResponse(ReadOnlySpan<byte> response, ushort id)
    {
        if (response.Length < 12)
        {
            throw Invalid("shorter than a DNS header");
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(response) != id)
        {
            throw Invalid("the response id does not match the query");
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(response[2..]);
        if ((flags & 0x8000) == 0)
        {
            throw Invalid("the message is not a response");
        }

        var truncated = (flags & 0x0200) != 0;
        var responseCode = flags & 0x000F;
        if (responseCode == 3)
        {
            return new DnsAnswer([], [], truncated);
        }

        if (responseCode != 0)
        {
            throw new MongoConfigurationException("hosts", $"The DNS server answered with error code {responseCode} for the SRV/TXT lookup.");
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(response[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(response[6..]);
        var offset = 12;
        for (var i = 0; i < questions; i++)
        {
            ReadName(response, ref offset);
            offset += 4;
        }

        var srv = new List<SrvRecord>();
        var txt = new List<string>();
        for (var i = 0; i < answers; i++)
        {
            ReadName(response, ref offset);
            Require(response, offset, 10);
            var type = BinaryPrimitives.ReadUInt16BigEndian(response[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(response[(offset + 8)..]);
            offset += 10;
            Require(response, offset, length);
            var dataStart = offset;
            if (type == (ushort)DnsRecordType.Srv)
            {
                Require(response, offset, 6);
                var priority = BinaryPrimitives.ReadUInt16BigEndian(response[offset..]);
                var weight = BinaryPrimitives.ReadUInt16BigEndian(response[(offset + 2)..]);
                var port = BinaryPrimitives.ReadUInt16BigEndian(response[(offset + 4)..]);
                var targetOffset = offset + 6;
                srv.Add(new SrvRecord(ReadName(response, ref targetOffset), port, priority, weight));
            }
            else if (type == (ushort)DnsRecordType.Txt)
            {
                var text = new StringBuilder();
                var position = offset;
                while (position < dataStart + length)
                {
                    var size = response[position];
                    Require(response, position + 1, size);
                    text.Append(Encoding.ASCII.GetString(response.Slice(position + 1, size)));
                    position += 1 + size;
                }

                txt.Add(text.ToString());
            }

            offset = dataStart + length;
        }

        return new DnsAnswer(srv, txt, truncated);
    }

    /// <summary>Reads a possibly compressed name (RFC 1035 section 4.1.4); pointers may only go backwards.</summary>
    private static string ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var labels = new List<string>();
        var position = offset;
        var jumped = false;
        var jumps = 0;
        while (true)
        {
            Require(message, position, 1);
            var length = message[position];
            if (length == 0)
            {
                position++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                Require(message, position, 2);
                var pointer = BinaryPrimitives.ReadUInt16BigEndian(message[position..]) & 0x3FFF;
                if (pointer >= position || ++jumps > 64)
                {
                    throw Invalid("a name compression pointer loops");
                }

                if (!jumped)
                {
                    offset = position + 2;
                    jumped = true;
                }

                position = pointer;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw Invalid("unknown label type");
            }

            Require(message, position + 1, length);
            labels.Add(Encoding.ASCII.GetString(message.Slice(position + 1, length)));
            position += 1 + length;
        }

        if (!jumped)
        {
            offset = position;
        }

        return string.Join('.', labels);
    }

    private static void Require(ReadOnlySpan<byte> message, int offset, int count)
    {
        if (offset < 0 || offset + count > message.Length)
        {
            throw Invalid("the message ends early");
        }
    }

    private static MongoConfigurationException Invalid(string why) =>
        new("hosts", $"The DNS response for the SRV/TXT lookup is malformed: {why}.");
}
