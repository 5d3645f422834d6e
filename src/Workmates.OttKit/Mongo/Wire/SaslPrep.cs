using System.Globalization;
using System.Text;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>
/// SASLprep (RFC 4013), the stringprep (RFC 3454) profile SCRAM-SHA-256 applies to passwords: map (B.1 to nothing,
/// C.1.2 to space), normalise with NFKC, reject the prohibited tables (C.1.2–C.9) and check bidi rules (section 6).
/// Unassigned code points (table A.1) are judged by the runtime's Unicode tables, not Unicode 3.2's.
/// </summary>
internal static class SaslPrep
{
    /// <summary>Prepares <paramref name="input"/>; throws <see cref="ArgumentException"/> (message without the input) when it is prohibited.</summary>
    public static string Prepare(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var mapped = new StringBuilder(input.Length);
        foreach (var rune in EnumerateRunes(input))
        {
            if (IsMappedToNothing(rune))
            {
                continue;
            }

            if (IsNonAsciiSpace(rune))
            {
                mapped.Append(' ');
            }
            else
            {
                mapped.Append(rune.ToString());
            }
        }

        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        var runes = EnumerateRunes(normalized).ToList();
        foreach (var rune in runes)
        {
            if (IsProhibited(rune))
            {
                throw new ArgumentException($"The string contains a prohibited character (U+{rune.Value:X4}).", nameof(input));
            }

            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherNotAssigned)
            {
                throw new ArgumentException($"The string contains an unassigned code point (U+{rune.Value:X4}).", nameof(input));
            }
        }

        CheckBidi(runes);
        return normalized;
    }

    private static IEnumerable<Rune> EnumerateRunes(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // A lone surrogate is table C.5.
                throw new ArgumentException("The string contains an unpaired surrogate (prohibited).", nameof(text));
            }

            yield return rune;
            i += consumed;
        }
    }

    /// <summary>Table B.1.</summary>
    private static bool IsMappedToNothing(Rune rune) => rune.Value is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D)
        or (>= 0x200B and <= 0x200D) or 0x2060 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    /// <summary>Table C.1.2.</summary>
    private static bool IsNonAsciiSpace(Rune rune) => rune.Value is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B)
        or 0x202F or 0x205F or 0x3000;

    /// <summary>Tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9.</summary>
    private static bool IsProhibited(Rune rune)
    {
        var c = rune.Value;
        return IsNonAsciiSpace(rune)
            || c is <= 0x1F or 0x7F
            || c is (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
                or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC)
                or (>= 0x1D173 and <= 0x1D17A)
            || c is (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD)
            || c is (>= 0xFDD0 and <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE
            || c is >= 0xD800 and <= 0xDFFF
            || c is >= 0xFFF9 and <= 0xFFFD
            || c is >= 0x2FF0 and <= 0x2FFB
            || c is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E)
            || c is 0xE0001 or (>= 0xE0020 and <= 0xE007F);
    }

    /// <summary>RFC 3454 section 6: a string with right-to-left characters has no left-to-right ones and starts and ends right-to-left.</summary>
    private static void CheckBidi(List<Rune> runes)
    {
        if (!runes.Any(IsRandAL))
        {
            return;
        }

        if (runes.Any(IsL) || !IsRandAL(runes[0]) || !IsRandAL(runes[^1]))
        {
            throw new ArgumentException("The string mixes right-to-left text with left-to-right text or does not start and end with a right-to-left character (RFC 3454 section 6).");
        }
    }

    /// <summary>
    /// Bidi classes R and AL (table D.1), approximated as the letters of the right-to-left blocks: the runtime does not
    /// expose bidi classes, and marks and digits inside those blocks are not R/AL.
    /// </summary>
    private static bool IsRandAL(Rune rune)
    {
        var c = rune.Value;
        var inRtlBlock = c is 0x05BE or 0x05C0 or 0x05C3 or (>= 0x05D0 and <= 0x05FF) or (>= 0x0600 and <= 0x08FF)
            or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFC) or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);
        if (!inRtlBlock)
        {
            return c is 0x200F;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned);
    }

    /// <summary>Bidi class L (table D.2), approximated as letters and spacing marks outside the right-to-left blocks.</summary>
    private static bool IsL(Rune rune)
    {
        if (IsRandAL(rune))
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.LetterNumber;
    }
}
