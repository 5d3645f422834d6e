using Workmates.OttKit.Cli;

return await OttKitCommandLine.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
