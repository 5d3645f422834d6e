namespace Workmates.OttKit.CloudFormation;

/// <summary>Stable codes of <see cref="TemplateProblem"/>s.</summary>
public static class TemplateProblemCodes
{
    /// <summary>A <c>Ref</c> or <c>Fn::Sub</c> variable names no parameter, resource or pseudo parameter.</summary>
    public const string UndefinedReference = "UndefinedReference";
}

internal static class TemplateChecker
{
    public static TemplateCheckResult Check(Template template, TemplateFormat bodyFormat)
    {
        _ = template;
        _ = bodyFormat;
        return new TemplateCheckResult([]);
    }
}
