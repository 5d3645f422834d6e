using System.Text;
using System.Text.Json;

namespace Workmates.OttKit.Blueprint.Loading;

/// <summary>Reads JSON (comments and trailing commas allowed) into a <see cref="SpecNode"/> tree with positions.</summary>
internal static class JsonSpecReader
{
    public static SpecNode? Read(string text)
    {
        SpecLimits.CheckLength(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = SpecLimits.MaxDepth });
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            var root = ReadValue(ref reader, lines, bytes);
            if (reader.Read())
            {
                var (l, c) = Position(lines, bytes, (int)reader.TokenStartIndex);
                throw new SpecSyntaxException("unexpected content after the root value", l, c);
            }

            return root;
        }
        catch (JsonException ex)
        {
            throw new SpecSyntaxException(Clean(ex.Message), (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);
        }
    }

    private static string Clean(string message)
    {
        // System.Text.Json appends "LineNumber: n | BytePositionInLine: m."; the position is reported separately.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    private static SpecNode ReadValue(ref Utf8JsonReader reader, List<int> lines, byte[] bytes)
    {
        var (line, column) = Position(lines, bytes, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<SpecMapEntry>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (kl, kc) = Position(lines, bytes, (int)reader.TokenStartIndex);
                    var key = ReadString(ref reader, kl, kc);
                    if (!seen.Add(key))
                    {
                        throw new SpecSyntaxException($"duplicate key '{key}'", kl, kc);
                    }

                    reader.Read();
                    entries.Add(new SpecMapEntry(key, kl, kc, ReadValue(ref reader, lines, bytes)));
                }

                return new SpecMapping(entries, line, column);
            case JsonTokenType.StartArray:
                var items = new List<SpecNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lines, bytes));
                }

                return new SpecSequence(items, line, column);
            case JsonTokenType.String:
                return new SpecScalar(ReadString(ref reader, line, column), Quoted: true, line, column);
            case JsonTokenType.Number:
                return new SpecScalar(Encoding.UTF8.GetString(reader.ValueSpan), Quoted: false, line, column);
            case JsonTokenType.True:
                return new SpecScalar("true", Quoted: false, line, column);
            case JsonTokenType.False:
                return new SpecScalar("false", Quoted: false, line, column);
            default:
                return new SpecScalar(null, Quoted: false, line, column);
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, int line, int column)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json cannot turn a lone surrogate escape ("\uD800") into a .NET string.
            throw new SpecSyntaxException("the string holds a lone surrogate escape such as \\uD800, which is not valid Unicode", line, column);
        }
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Position(List<int> lineStarts, byte[] bytes, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        // Columns count characters, not bytes, so non-ASCII text before the token does not shift them.
        var column = Encoding.UTF8.GetCharCount(bytes, lineStarts[index], offset - lineStarts[index]) + 1;
        return (index + 1, column);
    }
}
