using System.Globalization;

namespace Workmates.OttKit.CloudFormation;

/// <summary>What kind of literal a <see cref="CfnScalar"/> holds.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The kinds are the JSON/YAML scalar types by name.")]
public enum CfnScalarKind
{
    /// <summary>The null literal.</summary>
    Null,

    /// <summary>A string.</summary>
    String,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>A 64-bit integer.</summary>
    Integer,

    /// <summary>A double-precision floating-point number.</summary>
    Number,
}

/// <summary>An immutable literal in the property tree: string, boolean, integer, number or null.</summary>
public sealed class CfnScalar : CfnNode
{
    private readonly string? _string;
    private readonly long _integer;
    private readonly double _number;

    private CfnScalar(CfnScalarKind kind, string? text, long integer, double number)
    {
        Kind = kind;
        _string = text;
        _integer = integer;
        _number = number;
    }

    /// <summary>The null literal.</summary>
    public static CfnScalar Null { get; } = new(CfnScalarKind.Null, null, 0, 0);

    /// <summary>The kind of literal held.</summary>
    public CfnScalarKind Kind { get; }

    /// <summary>The string, when <see cref="Kind"/> is <see cref="CfnScalarKind.String"/>; otherwise null.</summary>
    public string? StringValue => Kind == CfnScalarKind.String ? _string : null;

    /// <summary>The boolean, when <see cref="Kind"/> is <see cref="CfnScalarKind.Boolean"/>; otherwise null.</summary>
    public bool? BooleanValue => Kind == CfnScalarKind.Boolean ? _integer != 0 : null;

    /// <summary>The integer, when <see cref="Kind"/> is <see cref="CfnScalarKind.Integer"/>; otherwise null.</summary>
    public long? IntegerValue => Kind == CfnScalarKind.Integer ? _integer : null;

    /// <summary>The number, when <see cref="Kind"/> is <see cref="CfnScalarKind.Number"/>; otherwise null.</summary>
    public double? NumberValue => Kind == CfnScalarKind.Number ? _number : null;

    /// <summary>Creates a string scalar.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The scalar.</returns>
    public static CfnScalar Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(CfnScalarKind.String, value, 0, 0);
    }

    /// <summary>Creates a boolean scalar.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The scalar.</returns>
    public static CfnScalar Of(bool value) => new(CfnScalarKind.Boolean, null, value ? 1 : 0, 0);

    /// <summary>Creates an integer scalar.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>The scalar.</returns>
    public static CfnScalar Of(long value) => new(CfnScalarKind.Integer, null, value, 0);

    /// <summary>Creates a number scalar.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The scalar.</returns>
    public static CfnScalar Of(double value) => new(CfnScalarKind.Number, null, 0, value);

    /// <summary>
    /// The text CloudFormation sees for this literal: the string itself, <c>true</c>/<c>false</c>, the invariant
    /// number, or null for the null literal. Numbers always keep a fraction or exponent so they read back as numbers.
    /// </summary>
    public string? Text => Kind switch
    {
        CfnScalarKind.String => _string,
        CfnScalarKind.Boolean => _integer != 0 ? "true" : "false",
        CfnScalarKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        CfnScalarKind.Number => FormatNumber(_number),
        _ => null,
    };

    /// <inheritdoc />
    public override bool Equals(CfnNode? other) => other is CfnScalar s && s.Kind == Kind && Kind switch
    {
        CfnScalarKind.String => string.Equals(s._string, _string, StringComparison.Ordinal),
        CfnScalarKind.Number => s._number.Equals(_number),
        _ => s._integer == _integer,
    };

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        CfnScalarKind.String => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_string!)),
        CfnScalarKind.Number => HashCode.Combine(Kind, _number),
        _ => HashCode.Combine(Kind, _integer),
    };

    /// <inheritdoc />
    public override CfnNode DeepClone() => this;

    internal static string FormatNumber(double value)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
