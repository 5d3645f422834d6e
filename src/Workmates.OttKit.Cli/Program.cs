using Workmates.OttKit.Cli;

return await ToolCommandLine.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
