using System.Globalization;

namespace Workmates.OttKit.Blueprint;

/// <summary>An IPv4 CIDR block: arithmetic for validation (overlaps, size) and subnet layout.</summary>
internal readonly record struct Ipv4Cidr(uint Network, int Prefix)
{
    public ulong Size => 1UL << (32 - Prefix);

    public uint Last => (uint)(Network + Size - 1);

    public bool Overlaps(Ipv4Cidr other) => Network <= other.Last && other.Network <= Last;

    public bool Contains(Ipv4Cidr other) => Network <= other.Network && other.Last <= Last;

    /// <summary>The <paramref name="index"/>-th block of prefix <paramref name="newPrefix"/> inside this one.</summary>
    public Ipv4Cidr Subnet(int newPrefix, int index) => new((uint)(Network + ((ulong)index << (32 - newPrefix))), newPrefix);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Network >> 24}.{(Network >> 16) & 255}.{(Network >> 8) & 255}.{Network & 255}/{Prefix}");

    /// <summary>Parses <c>a.b.c.d/n</c>; <paramref name="error"/> says what is wrong otherwise (including host bits set).</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr, out string error)
    {
        cidr = default;
        error = string.Empty;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0)
        {
            error = $"'{text}' is not an IPv4 CIDR (a.b.c.d/n)";
            return false;
        }

        var octets = text[..slash].Split('.');
        if (octets.Length != 4 || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            error = $"'{text}' is not an IPv4 CIDR (a.b.c.d/n)";
            return false;
        }

        uint address = 0;
        foreach (var octet in octets)
        {
            if (octet.Length is 0 or > 3 || !byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                error = $"'{text}' is not an IPv4 CIDR (a.b.c.d/n)";
                return false;
            }

            address = (address << 8) | b;
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        if ((address & ~mask) != 0)
        {
            var network = new Ipv4Cidr(address & mask, prefix);
            error = $"'{text}' has host bits set (did you mean {network}?)";
            return false;
        }

        cidr = new Ipv4Cidr(address, prefix);
        return true;
    }

    /// <summary>RFC 1918 private ranges and the RFC 6598 shared range, the ranges a VPC should use.</summary>
    public static IReadOnlyList<Ipv4Cidr> PrivateRanges { get; } =
    [
        new(0x0A000000, 8),
        new(0xAC100000, 12),
        new(0xC0A80000, 16),
        new(0x64400000, 10),
    ];
}
