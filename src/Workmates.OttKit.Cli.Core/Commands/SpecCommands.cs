using System.CommandLine;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>What the commands that only read a spec (validate, synth, diagram) share.</summary>
internal static class SpecCommands
{
    /// <summary>
    /// These commands write templates for the spec's own region and call no AWS API, so a <c>--region</c> would be
    /// silently ignored: refuse it with the fix. Returns the exit code after reporting, or null when there is no
    /// <c>--region</c>.
    /// </summary>
    public static int? RefuseRegion(CliContext context, ParseResult parse, string command)
    {
        var region = parse.GetValue(OttKitCommandLine.RegionOption);
        return region is null
            ? null
            : context.UserError(
                $"'{command}' takes the region from the spec's 'region' and calls no AWS API, so --region {region} would change nothing. Set 'region' in the spec (a new environment: 'ottkit new NAME --region {region}'), or drop --region.",
                "region-not-applicable");
    }
}
