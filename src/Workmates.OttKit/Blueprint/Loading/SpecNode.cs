namespace Workmates.OttKit.Blueprint.Loading;

/// <summary>A format-neutral tree of a spec file that remembers where each node was (1-based line and column).</summary>
internal abstract record SpecNode(int Line, int Column)
{
    public abstract string Kind { get; }
}

internal sealed record SpecScalar(string? Text, bool Quoted, int Line, int Column) : SpecNode(Line, Column)
{
    /// <summary>YAML 1.2 core schema null: a plain <c>null</c>, <c>Null</c>, <c>NULL</c>, <c>~</c> or an empty plain scalar.</summary>
    public bool IsNull => Text is null || (!Quoted && Text is "" or "null" or "Null" or "NULL" or "~");

    public override string Kind => IsNull ? "null" : Quoted ? "a string" : "a scalar";
}

internal sealed record SpecSequence(IReadOnlyList<SpecNode> Items, int Line, int Column) : SpecNode(Line, Column)
{
    public override string Kind => "a list";
}

internal sealed record SpecMapEntry(string Key, int Line, int Column, SpecNode Value);

internal sealed record SpecMapping(IReadOnlyList<SpecMapEntry> Entries, int Line, int Column) : SpecNode(Line, Column)
{
    public override string Kind => "a mapping";
}

/// <summary>A syntax error found while reading the text, with its position.</summary>
internal sealed class SpecSyntaxException(string message, int line, int column) : OttKitException(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
