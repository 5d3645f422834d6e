namespace Workmates.OttKit.CloudFormation;

/// <summary>CloudFormation's documented template quotas, as checked by <see cref="Template.Check"/>.</summary>
public static class TemplateLimits
{
    /// <summary>Resources per template.</summary>
    public const int MaxResources = 500;

    /// <summary>Parameters per template.</summary>
    public const int MaxParameters = 200;

    /// <summary>Outputs per template.</summary>
    public const int MaxOutputs = 200;

    /// <summary>Mappings per template.</summary>
    public const int MaxMappings = 200;

    /// <summary>Attributes (top-level keys) per mapping.</summary>
    public const int MaxMappingAttributes = 200;

    /// <summary>Characters in a logical ID (and in parameter, output, mapping and condition names).</summary>
    public const int MaxLogicalIdLength = 255;

    /// <summary>Bytes in the template or an output description.</summary>
    public const int MaxDescriptionBytes = 1024;

    /// <summary>Bytes in a template body passed inline (<c>TemplateBody</c>).</summary>
    public const int MaxInlineBodyBytes = 51_200;

    /// <summary>Bytes in a template body uploaded to S3 (<c>TemplateURL</c>).</summary>
    public const int MaxS3BodyBytes = 1_000_000;

    /// <summary>Characters in an export name.</summary>
    public const int MaxExportNameLength = 255;
}
