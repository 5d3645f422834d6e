namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>Choices for <see cref="TemplateSchemaValidator"/>.</summary>
public sealed record TemplateSchemaValidatorOptions
{
    /// <summary>How scalar types are compared; <see cref="ScalarTypePolicy.Lenient"/> (as CloudFormation) by default.</summary>
    public ScalarTypePolicy ScalarTypes { get; init; } = ScalarTypePolicy.Lenient;

    /// <summary>Report properties the schema marks read-only (outputs read with <c>Fn::GetAtt</c>); on by default.</summary>
    public bool CheckReadOnlyProperties { get; init; } = true;
}
