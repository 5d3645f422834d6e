using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Cli.Commands;

/// <summary><c>ottkit deploy stacks --spec F [--stack NAME]... [--yes]</c>: deploys the environment's stacks through change sets.</summary>
internal static class DeployStacksCommand
{
    /// <summary>Creates <c>stacks</c>.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var support = StackCommandSupport.Create(environment);
        var yes = new Option<bool>("--yes", "-y") { Description = "Execute the change sets. Without it the command only plans and prints how to execute." };
        var continueRollback = new Option<bool>("--continue-update-rollback")
        {
            Description = "Recover a stack in UPDATE_ROLLBACK_FAILED: continue the rollback, skipping the resources that failed to roll back (named in the output).",
        };
        var deleteFailed = new Option<bool>("--delete-failed-new-stack")
        {
            Description = "Delete a stack whose first create failed (ROLLBACK_COMPLETE) so that it can be created again.",
        };
        var roleArn = new Option<string?>("--role-arn")
        {
            Description = "CloudFormation service role to deploy with (the ci stack's <env>-cloudformation): the stacks' resources are created with its permissions, not yours.",
        };
        var command = new Command(
            "stacks",
            "Deploy the environment's stacks in dependency order (independent stacks in parallel), each in its region, through change sets:\n"
            + "upload the template to the artifacts bucket, create the change set, show the plan, execute it (--yes), stream the stack events\n"
            + "and report the root cause of a failure. Service stacks keep the image their ECS service runs now.\n"
            + "Exit code: 0 deployed (or nothing to do), 1 a stack failed or is blocked; without --yes as for 'ottkit plan' (0, 2, 1).\n\n"
            + "Examples:\n  ottkit deploy stacks --spec blacksheep.yaml --artifacts-bucket blacksheep-artifacts\n"
            + "  ottkit deploy stacks --spec blacksheep.yaml --stack blacksheep-web --yes\n"
            + "  ottkit deploy stacks --spec blacksheep.yaml --stack blacksheep-web --continue-update-rollback --yes");
        support.AddTo(command, withDrift: true);
        command.Add(yes);
        command.Add(continueRollback);
        command.Add(deleteFailed);
        command.Add(roleArn);
        command.SetAction((parse, ct) => RunAsync(
            OttKitCommandLine.ContextOf(parse),
            parse,
            support,
            parse.GetValue(yes),
            parse.GetValue(continueRollback),
            parse.GetValue(deleteFailed),
            parse.GetValue(roleArn),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context,
        ParseResult parse,
        StackCommandSupport support,
        bool execute,
        bool continueRollback,
        bool deleteFailed,
        string? roleArn,
        CancellationToken cancellationToken)
    {
        using var prepared = support.Prepare(context, parse, out var exitCode);
        if (prepared is null)
        {
            return exitCode;
        }

        var options = prepared.Options;
        options.Execute = execute;
        options.ContinueUpdateRollback = continueRollback;
        options.DeleteFailedNewStack = deleteFailed;
        options.ServiceRoleArn = roleArn;
        options.Progress = new StackCommandSupport.Lines(context);
        var result = await prepared.Deployer.DeployAsync(prepared.StackSet, options, cancellationToken).ConfigureAwait(false);
        var plan = result.Plan;
        if (!execute)
        {
            StackCommandSupport.WritePlanText(context, plan);
            foreach (var blocked in result.Stacks.Where(s => s.Plan is null && s.Message is not null))
            {
                context.Line($"{blocked.StackName}: {blocked.Message}");
            }

            context.Line(plan.HasChanges
                ? $"Nothing was executed. To execute: {StackCommandSupport.ExecuteHint(parse)}"
                : "Nothing was executed.");
        }
        else
        {
            foreach (var stack in result.Stacks)
            {
                context.Line($"{stack.StackName} ({stack.Region}): {Outcome(stack.Outcome)}{(stack.FinalStatus is null ? string.Empty : $" [{stack.FinalStatus}]")}");
                if (stack.RootCause is { } cause)
                {
                    context.Line($"  root cause: {cause.LogicalId} ({cause.ResourceType}) {cause.Status}: {cause.Reason}");
                }

                foreach (var recovery in stack.Recoveries)
                {
                    context.Line($"  recovery: {recovery}");
                }

                if ((!stack.IsSuccess || stack.Outcome == StackDeploymentOutcome.WaitsForImage) && stack.Message is not null)
                {
                    context.Line($"  {stack.Message}");
                }
            }
        }

        context.Result(new JsonObject
        {
            ["ok"] = result.IsSuccess && !plan.HasErrors,
            ["environment"] = result.Environment,
            ["executed"] = execute,
            ["hasChanges"] = plan.HasChanges,
            ["stacks"] = new JsonArray([.. result.Stacks.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.StackName,
                ["region"] = s.Region,
                ["outcome"] = s.Outcome.ToString(),
                ["status"] = s.FinalStatus,
                ["message"] = s.Message,
                ["rootCause"] = s.RootCause is { } c
                    ? new JsonObject { ["logicalId"] = c.LogicalId, ["type"] = c.ResourceType, ["status"] = c.Status, ["reason"] = c.Reason }
                    : null,
                ["recoveries"] = new JsonArray([.. s.Recoveries.Select(r => (JsonNode)JsonValue.Create(r))]),
                ["plan"] = s.Plan is null ? null : StackCommandSupport.PlanJson(s.Plan),
            })]),
        });
        await CliContext.AppendStepSummaryAsync(Markdown(result, execute), cancellationToken).ConfigureAwait(false);
        if (!execute)
        {
            return !result.IsSuccess || plan.HasErrors ? ExitCodes.Failure : plan.HasChanges ? ExitCodes.Changes : ExitCodes.Success;
        }

        return result.IsSuccess ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Outcome(StackDeploymentOutcome outcome) => outcome switch
    {
        StackDeploymentOutcome.NoChanges => "no changes",
        StackDeploymentOutcome.RolledBack => "FAILED and rolled back",
        StackDeploymentOutcome.Failed => "FAILED",
        StackDeploymentOutcome.Blocked => "BLOCKED",
        StackDeploymentOutcome.Skipped => "skipped",
        StackDeploymentOutcome.TimedOut => "TIMED OUT",
        StackDeploymentOutcome.WaitsForImage => "deferred (waits for its first image)",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private static string Markdown(StackSetDeploymentResult result, bool execute)
    {
        if (!execute)
        {
            return StackCommandSupport.PlanMarkdown($"ottkit deploy stacks (plan only): {result.Environment}", result.Plan);
        }

        var markdown = new StringBuilder($"### ottkit deploy stacks: {result.Environment}\n\n| stack | outcome | status | root cause |\n| --- | --- | --- | --- |\n");
        foreach (var s in result.Stacks)
        {
            var cause = s.RootCause is { } c ? $"`{c.LogicalId}` {c.ResourceType}: {c.Reason}" : string.Empty;
            markdown.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {s.StackName} | {Outcome(s.Outcome)} | {s.FinalStatus} | {cause} |\n");
        }

        return markdown.ToString();
    }
}
