using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>AWS query protocol helpers shared by the ELBv2 and CloudWatch simulators: the form body and XML envelopes.</summary>
internal static class QueryForm
{
    public static Dictionary<string, string> Parse(byte[] body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            form[Uri.UnescapeDataString(kv[0].Replace('+', ' '))] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : string.Empty;
        }

        return form;
    }

    /// <summary>The members of a flattened list parameter (<c>Prefix.member.1</c>, <c>Prefix.member.2</c>, …) in order.</summary>
    public static List<string> Members(Dictionary<string, string> form, string prefix) =>
        form.Where(kv => kv.Key.StartsWith(prefix + ".member.", StringComparison.Ordinal) && !kv.Key[(prefix.Length + 8)..].Contains('.', StringComparison.Ordinal))
            .OrderBy(kv => int.Parse(kv.Key[(prefix.Length + 8)..], CultureInfo.InvariantCulture))
            .Select(kv => kv.Value).ToList();

    public static SimulatorResponse Error(XNamespace ns, string code, string message, int statusCode, bool senderFault)
    {
        var document = new XElement(ns + "ErrorResponse",
            new XElement(ns + "Error", new XElement(ns + "Type", senderFault ? "Sender" : "Receiver"), new XElement(ns + "Code", code), new XElement(ns + "Message", message)),
            new XElement(ns + "RequestId", Guid.NewGuid().ToString()));
        return new SimulatorResponse(statusCode, "text/xml", document.ToString(SaveOptions.DisableFormatting), code);
    }

    public static SimulatorResponse Result(XNamespace ns, string operation, XElement result)
    {
        var response = new XElement(ns + operation + "Response", result,
            new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", Guid.NewGuid().ToString())));
        return new SimulatorResponse(200, "text/xml", response.ToString(SaveOptions.DisableFormatting));
    }

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static (string Code, int Status) SignatureError(SignatureFailureKind kind) => kind switch
    {
        SignatureFailureKind.Missing => ("MissingAuthenticationToken", 403),
        SignatureFailureKind.UnknownAccessKey => ("InvalidClientTokenId", 403),
        SignatureFailureKind.Incomplete => ("IncompleteSignature", 400),
        _ => ("SignatureDoesNotMatch", 403),
    };
}
