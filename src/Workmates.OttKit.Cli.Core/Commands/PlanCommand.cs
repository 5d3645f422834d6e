using System.CommandLine;
using System.Text.Json.Nodes;

namespace Workmates.OttKit.Cli.Commands;

/// <summary><c>ottkit plan --spec F [--stack NAME]... [--detect-drift]</c>: what a stack deploy would change, through change sets.</summary>
internal static class PlanCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var support = StackCommandSupport.Create(environment);
        var command = new Command(
            "plan",
            "Show what deploying the environment's stacks would change: per stack a CloudFormation change set is created, read and deleted\n"
            + "(resources added, modified or removed, replacements, changed properties). Nothing is executed.\n"
            + "Exit code: 0 no changes, 2 changes, 1 error (a blocked stack, a failed change set, AWS errors).\n\n"
            + "Examples:\n  ottkit plan --spec blacksheep.yaml --artifacts-bucket blacksheep-artifacts\n"
            + "  ottkit plan --spec blacksheep.yaml --stack blacksheep-web --detect-drift -o json");
        support.AddTo(command, withDrift: true);
        command.SetAction((parse, ct) => RunAsync(OttKitCommandLine.ContextOf(parse), parse, support, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parse, StackCommandSupport support, CancellationToken cancellationToken)
    {
        using var prepared = support.Prepare(context, parse, out var exitCode);
        if (prepared is null)
        {
            return exitCode;
        }

        var plan = await prepared.Deployer.PlanAsync(prepared.StackSet, prepared.Options, cancellationToken).ConfigureAwait(false);
        StackCommandSupport.WritePlanText(context, plan);
        if (plan.HasChanges && !plan.HasErrors)
        {
            context.Line($"To execute: {StackCommandSupport.ExecuteHint(parse)}");
        }

        context.Result(new JsonObject
        {
            ["ok"] = !plan.HasErrors,
            ["environment"] = plan.Environment,
            ["hasChanges"] = plan.HasChanges,
            ["stacks"] = new JsonArray([.. plan.Stacks.Select(s => (JsonNode)StackCommandSupport.PlanJson(s))]),
        });
        await CliContext.AppendStepSummaryAsync(StackCommandSupport.PlanMarkdown($"ottkit plan: {plan.Environment}", plan), cancellationToken).ConfigureAwait(false);
        return plan.HasErrors ? ExitCodes.Failure : plan.HasChanges ? ExitCodes.Changes : ExitCodes.Success;
    }
}
