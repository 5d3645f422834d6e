using System.Globalization;
using System.Text;

namespace Workmates.OttKit.Diagrams;

/// <summary>
/// Writes SVG elements with integer coordinates and escaped text, so the same drawing is always the same bytes.
/// Only inline shapes and generic font families: nothing is fetched when the file is opened.
/// </summary>
internal sealed class SvgWriter
{
    /// <summary>Average advance of a sans-serif character, in pixels per point of font size (for truncation).</summary>
    private const double CharWidthPerPoint = 0.58;

    private readonly StringBuilder _svg = new();

    public void Raw(string markup) => _svg.Append(markup).Append('\n');

    public void Rect(int x, int y, int width, int height, string fill, string stroke, int radius = 6, bool dashed = false, int strokeWidth = 1, string? tooltip = null)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" rx=\"{radius}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{strokeWidth}\"");
        if (dashed)
        {
            _svg.Append(" stroke-dasharray=\"6 4\"");
        }

        if (tooltip is null)
        {
            _svg.Append("/>\n");
        }
        else
        {
            _svg.Append("><title>").Append(Escape(tooltip)).Append("</title></rect>\n");
        }
    }

    /// <summary>Writes one line of text, cut with an ellipsis to fit <paramref name="maxWidth"/> pixels.</summary>
    public void Text(int x, int y, string text, int size = 12, bool bold = false, string fill = "#16191f", string anchor = "start", int maxWidth = int.MaxValue)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\" font-family=\"sans-serif\" font-size=\"{size}\" fill=\"{fill}\"");
        if (bold)
        {
            _svg.Append(" font-weight=\"bold\"");
        }

        if (anchor != "start")
        {
            _svg.Append(" text-anchor=\"").Append(anchor).Append('"');
        }

        _svg.Append('>').Append(Escape(Fit(text, size, maxWidth))).Append("</text>\n");
    }

    public void Line(int x1, int y1, int x2, int y2, string stroke, bool arrow = true, bool dashed = false)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{stroke}\" stroke-width=\"2\"");
        if (dashed)
        {
            _svg.Append(" stroke-dasharray=\"5 4\"");
        }

        if (arrow)
        {
            _svg.Append(" marker-end=\"url(#arrow)\"");
        }

        _svg.Append("/>\n");
    }

    public override string ToString() => _svg.ToString();

    /// <summary>Estimated width of <paramref name="text"/> at <paramref name="size"/> points.</summary>
    public static int TextWidth(string text, int size) => (int)Math.Ceiling(text.Length * size * CharWidthPerPoint);

    /// <summary>Cuts text that would overflow with an ellipsis.</summary>
    public static string Fit(string text, int size, int maxWidth)
    {
        if (maxWidth == int.MaxValue || TextWidth(text, size) <= maxWidth)
        {
            return text;
        }

        var chars = Math.Max(1, (int)(maxWidth / (size * CharWidthPerPoint)) - 1);
        return chars >= text.Length ? text : text[..chars].TrimEnd() + "…";
    }

    /// <summary>Escapes XML text and attribute values; drops characters XML 1.0 cannot carry.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&apos;"); break;
                case '\t' or '\n' or '\r': escaped.Append(' '); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        escaped.Append(c).Append(text[++i]);
                    }
                    else if (!char.IsSurrogate(c))
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }
}
