using System.CommandLine;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// The <c>deploy</c> parent command. Its subcommands (<c>deploy service</c>, <c>deploy stacks</c>) live in their own
/// files and plug in through <see cref="Create"/> or <see cref="Add"/>.
/// </summary>
internal static class DeployCommand
{
    /// <summary>Creates <c>deploy</c> with the given subcommands.</summary>
    public static Command Create(params Command[] subcommands)
    {
        var deploy = new Command("deploy", "Deploy to AWS: a new image to one service, or the environment's stacks.");
        foreach (var subcommand in subcommands)
        {
            Add(deploy, subcommand);
        }

        return deploy;
    }

    /// <summary>Adds a subcommand to an existing <c>deploy</c> command.</summary>
    public static void Add(Command deploy, Command subcommand)
    {
        ArgumentNullException.ThrowIfNull(deploy);
        deploy.Subcommands.Add(subcommand);
    }
}
