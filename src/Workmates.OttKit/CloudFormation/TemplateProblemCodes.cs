namespace Workmates.OttKit.CloudFormation;

/// <summary>Stable codes of <see cref="TemplateProblem"/>s.</summary>
public static class TemplateProblemCodes
{
    /// <summary>A <c>Ref</c> or <c>Fn::Sub</c> variable names no parameter, resource or pseudo parameter.</summary>
    public const string UndefinedReference = "UndefinedReference";

    /// <summary><c>Fn::GetAtt</c> (or <c>${X.Attr}</c> in <c>Fn::Sub</c>) names no resource.</summary>
    public const string UndefinedGetAttResource = "UndefinedGetAttResource";

    /// <summary>A resource <c>Condition</c>, <c>Fn::If</c> or <c>Condition</c> function names no condition.</summary>
    public const string UndefinedCondition = "UndefinedCondition";

    /// <summary><c>Fn::FindInMap</c> names no mapping.</summary>
    public const string UndefinedMapping = "UndefinedMapping";

    /// <summary><c>DependsOn</c> names no resource.</summary>
    public const string UndefinedDependency = "UndefinedDependency";

    /// <summary>Resources depend on each other in a circle (through <c>DependsOn</c>, <c>Ref</c>, <c>GetAtt</c> or <c>Sub</c>).</summary>
    public const string DependencyCycle = "DependencyCycle";

    /// <summary>A condition refers to a resource; conditions may only use parameters, mappings and pseudo parameters.</summary>
    public const string ConditionReferencesResource = "ConditionReferencesResource";

    /// <summary>A logical ID is not alphanumeric or is longer than 255 characters.</summary>
    public const string InvalidLogicalId = "InvalidLogicalId";

    /// <summary>A logical ID is used by both a parameter and a resource.</summary>
    public const string DuplicateLogicalId = "DuplicateLogicalId";

    /// <summary>A resource type is not of the form <c>Service::Category::Type</c> or <c>Custom::Name</c>.</summary>
    public const string InvalidResourceType = "InvalidResourceType";

    /// <summary>A parameter's type or constraints are inconsistent.</summary>
    public const string InvalidParameter = "InvalidParameter";

    /// <summary>An intrinsic function has an argument of the wrong shape.</summary>
    public const string InvalidIntrinsic = "InvalidIntrinsic";

    /// <summary>The template has no resources.</summary>
    public const string NoResources = "NoResources";

    /// <summary>More than 500 resources.</summary>
    public const string TooManyResources = "TooManyResources";

    /// <summary>More than 200 parameters.</summary>
    public const string TooManyParameters = "TooManyParameters";

    /// <summary>More than 200 outputs.</summary>
    public const string TooManyOutputs = "TooManyOutputs";

    /// <summary>More than 200 mappings, or more than 200 attributes in one mapping.</summary>
    public const string TooManyMappings = "TooManyMappings";

    /// <summary>A description is longer than 1,024 bytes.</summary>
    public const string DescriptionTooLong = "DescriptionTooLong";

    /// <summary>The body is over 51,200 bytes, so it must be uploaded to S3 and passed as a TemplateURL.</summary>
    public const string TemplateRequiresS3 = "TemplateRequiresS3";

    /// <summary>The body is over 1,000,000 bytes, the limit even through S3.</summary>
    public const string TemplateTooLarge = "TemplateTooLarge";

    /// <summary>Two outputs export the same name.</summary>
    public const string DuplicateExportName = "DuplicateExportName";

    /// <summary>An export name has characters other than letters, digits, colons and hyphens, or depends on a resource.</summary>
    public const string InvalidExportName = "InvalidExportName";
}
