using System.Text;

namespace Workmates.OttKit.Blueprint;

/// <summary>How a DNS-safe name becomes a CloudFormation logical-ID fragment. It lives with the spec so validation
/// (which refuses two services that would clash) needs nothing from the constructs.</summary>
internal static class LogicalIds
{
    /// <summary><c>live-chat</c> → <c>LiveChat</c>: a logical-ID fragment derived from a DNS-safe name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The fragment.</returns>
    public static string Pascal(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }
}
