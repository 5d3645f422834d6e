using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The patching stack: an Amazon Linux 2023 patch baseline (security patches of critical and important severity
/// approved after <c>patching.approveAfterDays</c>) for the ECS hosts' and MongoDB members' patch groups (tag
/// <c>Patch Group</c>), a weekly maintenance window running <c>AWS-RunPatchBaseline</c> Install on the ECS hosts a
/// quarter at a time, and a daily Scan association over every host of the environment for compliance reporting. It
/// imports nothing: targets are found by tag.
/// </summary>
/// <remarks>
/// The MongoDB members are not a target of the window: a Run Command task cannot step the primary down or wait for a
/// member to be SECONDARY and caught up. They are patched at the same schedule by the database-backup stack's patch task
/// (<c>&lt;env&gt;-mongodb-patch</c>, the backup image's <c>patch</c> mode), which runs what <c>ottkit patch install
/// --target database</c> runs: one member at a time, secondaries first, the primary after <c>replSetStepDown</c>.
/// </remarks>
internal static class PatchingBuilder
{
    public const string RunPatchBaseline = "AWS-RunPatchBaseline";

    public static PatchSchedule Build(PlatformNaming naming, StackScope scope, PatchingProps patching)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: SSM Patch Manager (baseline, weekly maintenance window, daily compliance scan)";

        var groups = new CfnList { naming.EcsPatchGroup };
        if (patching.Database)
        {
            groups.Add(naming.MongoPatchGroup);
        }

        var baseline = t.AddResource("PatchBaseline", "AWS::SSM::PatchBaseline", new CfnObject
        {
            ["Name"] = $"{naming.Env}-al2023",
            ["Description"] = $"{naming.Env}: Amazon Linux 2023 security patches (critical, important) after {patching.ApproveAfterDays} days",
            ["OperatingSystem"] = "AMAZON_LINUX_2023",
            ["ApprovalRules"] = new CfnObject
            {
                ["PatchRules"] = new CfnList
                {
                    new CfnObject
                    {
                        ["PatchFilterGroup"] = new CfnObject
                        {
                            ["PatchFilters"] = new CfnList
                            {
                                new CfnObject { ["Key"] = "CLASSIFICATION", ["Values"] = new CfnList { "Security" } },
                                new CfnObject { ["Key"] = "SEVERITY", ["Values"] = new CfnList { "Critical", "Important" } },
                            },
                        },
                        ["ApproveAfterDays"] = patching.ApproveAfterDays,
                        ["ComplianceLevel"] = "CRITICAL",
                        ["EnableNonSecurity"] = false,
                    },
                },
            },
            ["PatchGroups"] = groups,
            ["Tags"] = naming.Tags("patch-baseline"),
        });

        var window = t.AddResource("MaintenanceWindow", "AWS::SSM::MaintenanceWindow", new CfnObject
        {
            ["Name"] = $"{naming.Env}-weekly-patching",
            ["Description"] = !patching.Database
                ? $"{naming.Env}: weekly patch installation on the ECS hosts"
                : $"{naming.Env}: weekly patch installation on the ECS hosts (the MongoDB members: the {naming.Env}-mongodb-patch task)",
            ["Schedule"] = patching.MaintenanceWindow,
            ["ScheduleTimezone"] = patching.TimeZone,
            ["Duration"] = patching.WindowHours,
            ["Cutoff"] = 1,
            ["AllowUnassociatedTargets"] = false,
            ["Tags"] = naming.Tags("maintenance-window"),
        });

        // The members are patched by the scheduled patch task (DatabaseBackupBuilder), in step-down order.
        AddPatchTask(t, window, "EcsHosts", naming.EcsPatchGroup, "ECS hosts", priority: 1, maxConcurrency: "25%", maxErrors: "1");

        t.AddResource("PatchScanAssociation", "AWS::SSM::Association", new CfnObject
        {
            ["AssociationName"] = $"{naming.Env}-daily-patch-scan",
            ["Name"] = RunPatchBaseline,
            ["Parameters"] = new CfnObject { ["Operation"] = new CfnList { "Scan" } },
            ["ScheduleExpression"] = "cron(0 1 * * ? *)",
            ["Targets"] = new CfnList { new CfnObject { ["Key"] = "tag:ottkit:environment", ["Values"] = new CfnList { naming.Env } } },
            ["ComplianceSeverity"] = "CRITICAL",
            ["MaxConcurrency"] = "50%",
            ["MaxErrors"] = "25%",
            ["ApplyOnlyAtCronInterval"] = false,
        });

        return new PatchSchedule(
            scope,
            scope.Export("PatchBaselineId", baseline.Ref(), "Amazon Linux 2023 patch baseline"),
            scope.Export("MaintenanceWindowId", window.Ref(), "Weekly patching maintenance window"));
    }

    private static void AddPatchTask(Template t, Resource window, string id, string patchGroup, string what, int priority, string maxConcurrency, string maxErrors)
    {
        var target = t.AddResource($"{id}PatchTarget", "AWS::SSM::MaintenanceWindowTarget", new CfnObject
        {
            ["WindowId"] = window.Ref(),
            ["Name"] = $"{id}",
            ["Description"] = $"{what} (tag {PlatformNaming.PatchGroupTag}={patchGroup})",
            ["ResourceType"] = "INSTANCE",
            ["Targets"] = new CfnList { new CfnObject { ["Key"] = $"tag:{PlatformNaming.PatchGroupTag}", ["Values"] = new CfnList { patchGroup } } },
        });
        t.AddResource($"{id}PatchTask", "AWS::SSM::MaintenanceWindowTask", new CfnObject
        {
            ["WindowId"] = window.Ref(),
            ["Name"] = $"Patch{id}",
            ["Description"] = $"Install approved patches on the {what}",
            ["TaskArn"] = RunPatchBaseline,
            ["TaskType"] = "RUN_COMMAND",
            ["Priority"] = priority,
            ["MaxConcurrency"] = maxConcurrency,
            ["MaxErrors"] = maxErrors,
            ["Targets"] = new CfnList { new CfnObject { ["Key"] = "WindowTargetIds", ["Values"] = new CfnList { target.Ref() } } },
            ["TaskInvocationParameters"] = new CfnObject
            {
                ["MaintenanceWindowRunCommandParameters"] = new CfnObject
                {
                    ["Parameters"] = new CfnObject
                    {
                        ["Operation"] = new CfnList { "Install" },
                        ["RebootOption"] = new CfnList { "RebootIfNeeded" },
                    },
                    ["TimeoutSeconds"] = 3600,
                },
            },
        });
    }
}

/// <summary>The patching construct's props (<c>patching.*</c> and whether there are MongoDB members; see
/// <see cref="ConstructProps.Patching"/>).</summary>
/// <param name="ApproveAfterDays">Days after release a security patch is approved.</param>
/// <param name="MaintenanceWindow">The weekly window's cron expression.</param>
/// <param name="WindowHours">The window's duration, in hours.</param>
/// <param name="TimeZone">The IANA time zone of the window.</param>
/// <param name="Database">Whether the MongoDB members' patch group exists (patched by the database-backup stack's task).</param>
internal sealed record PatchingProps(int ApproveAfterDays, string MaintenanceWindow, int WindowHours, string TimeZone, bool Database);
