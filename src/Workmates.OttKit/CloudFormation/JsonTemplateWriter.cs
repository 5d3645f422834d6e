using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Workmates.OttKit.CloudFormation;

/// <summary>Writes a document tree as JSON: two-space indentation, LF line endings, readable escaping.</summary>
internal static class JsonTemplateWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
        MaxDepth = 1000,
    };

    public static string Write(CfnNode root)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            WriteNode(writer, root);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteNode(Utf8JsonWriter writer, CfnNode node)
    {
        switch (node)
        {
            case CfnObject o:
                writer.WriteStartObject();
                foreach (var (key, value) in o)
                {
                    writer.WritePropertyName(key);
                    WriteNode(writer, value);
                }

                writer.WriteEndObject();
                break;
            case CfnList l:
                writer.WriteStartArray();
                foreach (var item in l)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case Intrinsic i:
                writer.WriteStartObject();
                writer.WritePropertyName(i.Name);
                WriteNode(writer, i.Argument);
                writer.WriteEndObject();
                break;
            case CfnScalar s:
                WriteScalar(writer, s);
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, CfnScalar s)
    {
        switch (s.Kind)
        {
            case CfnScalarKind.String:
                writer.WriteStringValue(s.StringValue);
                break;
            case CfnScalarKind.Boolean:
                writer.WriteBooleanValue(s.BooleanValue!.Value);
                break;
            case CfnScalarKind.Integer:
                writer.WriteNumberValue(s.IntegerValue!.Value);
                break;
            case CfnScalarKind.Number:
                var number = s.NumberValue!.Value;
                if (!double.IsFinite(number))
                {
                    throw new ArgumentException($"JSON cannot represent the number {s.Text}; use a string.", nameof(s));
                }

                // Keep the fraction so 1.0 reads back as a number, not an integer.
                writer.WriteRawValue(s.Text!, skipInputValidation: true);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
