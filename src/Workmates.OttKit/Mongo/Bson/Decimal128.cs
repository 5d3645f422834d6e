using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// An IEEE 754-2008 decimal128 value in binary integer decimal (BID) encoding, as BSON stores it. Parsing and formatting
/// follow the BSON Decimal128 specification: exact rounding and clamping only; inexact results are parse errors.
/// </summary>
public readonly struct Decimal128 : IEquatable<Decimal128>, ISpanFormattable
{
    private const int ExponentBias = 6176;
    private const int MaxExponent = 6111;
    private const int MinExponent = -6176;
    private const int MaxDigits = 34;
    private const ulong SignBit = 0x8000_0000_0000_0000UL;
    private const ulong InfinityBits = 0x7800_0000_0000_0000UL;
    private const ulong NaNBits = 0x7C00_0000_0000_0000UL;

    private static readonly UInt128 MaxCoefficient = UInt128.Parse("9999999999999999999999999999999999", CultureInfo.InvariantCulture);

    /// <summary>Creates a value from its two 64-bit halves (as stored little-endian on the wire: low first).</summary>
    /// <param name="high">The high 64 bits (sign, combination field, high coefficient bits).</param>
    /// <param name="low">The low 64 bits of the coefficient.</param>
    public Decimal128(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    /// <summary>The high 64 bits.</summary>
    public ulong High { get; }

    /// <summary>The low 64 bits.</summary>
    public ulong Low { get; }

    /// <summary>Positive quiet NaN.</summary>
    public static Decimal128 NaN => new(NaNBits, 0);

    /// <summary>Positive infinity.</summary>
    public static Decimal128 PositiveInfinity => new(InfinityBits, 0);

    /// <summary>Negative infinity.</summary>
    public static Decimal128 NegativeInfinity => new(InfinityBits | SignBit, 0);

    /// <summary>Whether the value is a NaN (quiet or signalling).</summary>
    public bool IsNaN => (High & 0x7C00_0000_0000_0000UL) == NaNBits;

    /// <summary>Whether the value is an infinity.</summary>
    public bool IsInfinity => (High & 0x7C00_0000_0000_0000UL) == InfinityBits;

    /// <summary>Whether the sign bit is set.</summary>
    public bool IsNegative => (High & SignBit) != 0;

    /// <summary>Parses decimal text ("1.5E+3", "-0.001", "Infinity", "NaN"; case-insensitive specials).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The text is not a decimal or cannot be represented exactly.</exception>
    public static Decimal128 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a Decimal128: expected [+-]digits[.digits][E[+-]digits], Infinity or NaN, exactly representable in 34 digits.");
    }

    /// <summary>Parses decimal text; inexact rounding, overflow and syntax errors return false.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The value when valid.</param>
    /// <returns>Whether the text is a representable decimal.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Decimal128 value)
    {
        value = default;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            negative = text[i] == '-';
            i++;
        }

        var rest = text[i..];
        if (rest.Equals("inf", StringComparison.OrdinalIgnoreCase) || rest.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? NegativeInfinity : PositiveInfinity;
            return true;
        }

        if (rest.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = NaN;
            return true;
        }

        // Significand: digits with at most one point and at least one digit.
        var firstSignificant = -1;
        var digitsAfterPoint = 0;
        var sawPoint = false;
        var sawDigit = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                sawDigit = true;
                if (sawPoint)
                {
                    digitsAfterPoint++;
                }

                if (firstSignificant < 0 && c != '0')
                {
                    firstSignificant = i;
                }
            }
            else if (c == '.' && !sawPoint)
            {
                sawPoint = true;
            }
            else
            {
                break;
            }
        }

        if (!sawDigit)
        {
            return false;
        }

        var significandEnd = i;
        long exponent = 0;
        if (i < text.Length)
        {
            if (text[i] != 'e' && text[i] != 'E')
            {
                return false;
            }

            i++;
            var exponentNegative = false;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                exponentNegative = text[i] == '-';
                i++;
            }

            if (i == text.Length)
            {
                return false;
            }

            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (c is < '0' or > '9')
                {
                    return false;
                }

                // Saturate: anything this large clamps or overflows the same way.
                if (exponent < 100_000_000)
                {
                    exponent = (exponent * 10) + (c - '0');
                }
            }

            if (exponentNegative)
            {
                exponent = -exponent;
            }
        }

        exponent -= digitsAfterPoint;

        // Collect the significant digits (leading zeros dropped).
        var digits = new StringBuilder();
        if (firstSignificant >= 0)
        {
            for (var k = firstSignificant; k < significandEnd; k++)
            {
                if (text[k] != '.')
                {
                    digits.Append(text[k]);
                }
            }
        }

        var isZero = digits.Length == 0;
        if (isZero)
        {
            exponent = Math.Clamp(exponent, MinExponent, MaxExponent);
            value = Encode(negative, UInt128.Zero, (int)exponent);
            return true;
        }

        // Exact rounding: trailing zeros beyond 34 digits move into the exponent.
        while (digits.Length > MaxDigits && digits[^1] == '0')
        {
            digits.Length--;
            exponent++;
        }

        if (digits.Length > MaxDigits)
        {
            return false;
        }

        // Clamping: a too-large exponent is absorbed by padding the coefficient with zeros.
        while (exponent > MaxExponent && digits.Length < MaxDigits)
        {
            digits.Append('0');
            exponent--;
        }

        if (exponent > MaxExponent)
        {
            return false;
        }

        // A too-small exponent is absorbed by dropping trailing zeros; dropping anything else is inexact.
        while (exponent < MinExponent)
        {
            if (digits.Length == 0 || digits[^1] != '0')
            {
                return false;
            }

            digits.Length--;
            exponent++;
        }

        var coefficient = digits.Length == 0 ? UInt128.Zero : UInt128.Parse(digits.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
        value = Encode(negative, coefficient, (int)exponent);
        return true;
    }

    /// <summary>Formats the value as the BSON specification's scientific string ("1.00E-8", "0E+3", "Infinity", "NaN").</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (IsNaN)
        {
            return "NaN";
        }

        if (IsInfinity)
        {
            return IsNegative ? "-Infinity" : "Infinity";
        }

        int biasedExponent;
        UInt128 coefficient;
        if ((High & 0x6000_0000_0000_0000UL) == 0x6000_0000_0000_0000UL)
        {
            // "11" combination prefix: the implied coefficient exceeds 34 digits, which the spec reads as zero.
            biasedExponent = (int)((High >> 47) & 0x3FFF);
            coefficient = UInt128.Zero;
        }
        else
        {
            biasedExponent = (int)((High >> 49) & 0x3FFF);
            coefficient = new UInt128(High & 0x0001_FFFF_FFFF_FFFFUL, Low);
            if (coefficient > MaxCoefficient)
            {
                coefficient = UInt128.Zero;
            }
        }

        var exponent = biasedExponent - ExponentBias;
        var digits = coefficient.ToString(CultureInfo.InvariantCulture);
        var adjusted = exponent + (digits.Length - 1);
        var sb = new StringBuilder(48);
        if (IsNegative)
        {
            sb.Append('-');
        }

        if (exponent <= 0 && adjusted >= -6)
        {
            if (exponent == 0)
            {
                sb.Append(digits);
            }
            else
            {
                var pointPosition = digits.Length + exponent;
                if (pointPosition > 0)
                {
                    sb.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
                }
                else
                {
                    sb.Append("0.").Append('0', -pointPosition).Append(digits);
                }
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('E').Append(adjusted >= 0 ? '+' : '-').Append(Math.Abs(adjusted).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = ToString();
        if (text.AsSpan().TryCopyTo(destination))
        {
            charsWritten = text.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <inheritdoc />
    public bool Equals(Decimal128 other) => High == other.High && Low == other.Low;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Decimal128 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(High, Low);

    /// <summary>Bitwise equality (two encodings of the same number are different values, as in BSON).</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether the bits are equal.</returns>
    public static bool operator ==(Decimal128 left, Decimal128 right) => left.Equals(right);

    /// <summary>Bitwise inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether the bits differ.</returns>
    public static bool operator !=(Decimal128 left, Decimal128 right) => !left.Equals(right);

    private static Decimal128 Encode(bool negative, UInt128 coefficient, int exponent)
    {
        var biased = (ulong)(exponent + ExponentBias);
        var high = (ulong)(coefficient >> 64) | (biased << 49);
        if (negative)
        {
            high |= SignBit;
        }

        return new Decimal128(high, (ulong)coefficient);
    }
}
