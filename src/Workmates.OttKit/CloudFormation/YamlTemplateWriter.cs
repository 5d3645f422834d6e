using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// Writes a document tree as block-style YAML with CloudFormation's short-form tags (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!GetAtt A.B</c>…). Uses YamlDotNet's emitter for the YAML grammar and decides quoting itself, so strings that
/// any YAML parser could misread are always quoted.
/// </summary>
internal static class YamlTemplateWriter
{
    private static readonly EmitterSettings Settings = new(
        bestIndent: 2,
        bestWidth: int.MaxValue,
        isCanonical: false,
        maxSimpleKeyLength: 1024,
        skipAnchorName: false,
        indentSequences: true,
        newLine: "\n");

    public static string Write(CfnNode root)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, Settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        WriteNode(emitter, root, tag: null, flow: false);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void WriteNode(IEmitter emitter, CfnNode node, string? tag, bool flow)
    {
        switch (node)
        {
            case CfnObject o:
                emitter.Emit(new MappingStart(AnchorName.Empty, Tag(tag), tag is null, flow ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in o)
                {
                    WriteString(emitter, key, tag: null, isKey: true);
                    WriteNode(emitter, value, tag: null, flow);
                }

                emitter.Emit(new MappingEnd());
                break;
            case CfnList l:
                var flowList = flow || (tag is not null && l.Count > 0 && l.All(IsFlowFriendly));
                emitter.Emit(new SequenceStart(AnchorName.Empty, Tag(tag), tag is null, flowList ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in l)
                {
                    WriteNode(emitter, item, tag: null, flowList);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case Intrinsic i:
                WriteIntrinsic(emitter, i, flow);
                break;
            case CfnScalar s when s.Kind == CfnScalarKind.String:
                WriteString(emitter, s.StringValue!, tag, isKey: false);
                break;
            case CfnScalar s:
                emitter.Emit(new Scalar(AnchorName.Empty, Tag(tag), s.Text ?? "null", ScalarStyle.Plain, isPlainImplicit: tag is null, isQuotedImplicit: false));
                break;
        }
    }

    private static void WriteIntrinsic(IEmitter emitter, Intrinsic intrinsic, bool flow)
    {
        var argument = intrinsic.Argument;
        if (intrinsic.Name == "Fn::GetAtt" && argument is CfnList { Count: 2 } pair
            && pair[0] is CfnScalar { Kind: CfnScalarKind.String } id && pair[1] is CfnScalar { Kind: CfnScalarKind.String } attribute)
        {
            emitter.Emit(new Scalar(AnchorName.Empty, Tag("GetAtt"), $"{id.StringValue}.{attribute.StringValue}", ScalarStyle.Plain, false, false));
            return;
        }

        // YAML allows one tag per node: "!Base64 !Sub x" is invalid, so a function whose argument is itself a
        // function (or a non-string literal, which a tag would turn into a string) uses the long form.
        if (argument is Intrinsic || (argument is CfnScalar s && s.Kind != CfnScalarKind.String))
        {
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, flow ? MappingStyle.Flow : MappingStyle.Block));
            WriteString(emitter, intrinsic.Name, tag: null, isKey: true);
            WriteNode(emitter, argument, tag: null, flow);
            emitter.Emit(new MappingEnd());
            return;
        }

        WriteNode(emitter, argument, intrinsic.ShortName, flow);
    }

    private static void WriteString(IEmitter emitter, string value, string? tag, bool isKey)
    {
        ScalarStyle style;
        if (value.Length == 0)
        {
            style = ScalarStyle.SingleQuoted;
        }
        else if (value.AsSpan().IndexOfAny("\n\r\u0085\u2028\u2029") >= 0)
        {
            // Literal blocks read best for scripts; anything a block could not hold exactly (CR, other line
            // separators, leading breaks, keys) is double-quoted, where every break is an escape.
            style = !isKey && value[0] != '\n' && IsLiteralSafe(value) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted;
        }
        else if (value.AsSpan().IndexOfAny("\t\uFEFF") >= 0)
        {
            // YamlDotNet would write these plain, where YAML strips or rejects tabs and BOMs; escape them.
            style = ScalarStyle.DoubleQuoted;
        }
        else if (YamlScalars.NeedsQuotes(value))
        {
            style = ScalarStyle.SingleQuoted;
        }
        else
        {
            // The emitter quotes plain text that YAML's grammar forbids (": ", " #", leading "*&!%@", …).
            style = ScalarStyle.Plain;
        }

        emitter.Emit(new Scalar(AnchorName.Empty, Tag(tag), value, style, isPlainImplicit: tag is null, isQuotedImplicit: tag is null));
    }

    // A literal block holds printable text and LF breaks exactly; control characters, tabs, CR and the
    // Unicode line separators need double-quoted escapes.
    private static bool IsLiteralSafe(string value)
    {
        foreach (var c in value)
        {
            if (c != '\n' && (c < ' ' || c is '\u007F' or '\uFEFF' or '\u2028' or '\u2029' || (c >= '\u0080' && c <= '\u009F')))
            {
                return false;
            }
        }

        return true;
    }

    private static TagName Tag(string? shortName) => shortName is null ? TagName.Empty : new TagName("!" + shortName);

    private static bool IsFlowFriendly(CfnNode node) => node switch
    {
        CfnScalar s => s.Kind != CfnScalarKind.String || !s.StringValue!.Contains('\n', StringComparison.Ordinal),
        CfnList l => l.All(IsFlowFriendly),
        Intrinsic i => i.Argument is not CfnObject && i.Argument is not Intrinsic && IsFlowFriendly(i.Argument),
        _ => false,
    };
}
