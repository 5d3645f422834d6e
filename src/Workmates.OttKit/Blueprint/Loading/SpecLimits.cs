using System.Globalization;

namespace Workmates.OttKit.Blueprint.Loading;

/// <summary>
/// Bounds on a spec file, checked where the text enters (documented in docs/blueprint.md): a spec is a few kilobytes,
/// so these only stop hostile or broken input (a huge file, an alias bomb, thousands of nested brackets) with a clear
/// error instead of a hang, an out-of-memory or a stack overflow.
/// </summary>
internal static class SpecLimits
{
    /// <summary>Largest spec file, in characters (and bytes for <see cref="CheckFileSize"/>): 1 MiB.</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>Deepest nesting of lists and mappings (JSON's default depth limit is the same).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes once every YAML alias is expanded (each alias counts the nodes it stands for).</summary>
    public const long MaxExpandedNodes = 100_000;

    /// <summary>Refuses text longer than <see cref="MaxLength"/>.</summary>
    public static void CheckLength(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new SpecSyntaxException(string.Create(CultureInfo.InvariantCulture, $"the spec is {text.Length:N0} characters; the limit is {MaxLength:N0} (1 MiB): a spec file is a few kilobytes"), 1, 1);
        }
    }

    /// <summary>Refuses a file larger than <see cref="MaxLength"/> bytes before reading it; null when it fits.</summary>
    public static string? CheckFileSize(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length > MaxLength
            ? string.Create(CultureInfo.InvariantCulture, $"the file is {info.Length:N0} bytes; the limit is {MaxLength:N0} (1 MiB): a spec file is a few kilobytes")
            : null;
    }
}
