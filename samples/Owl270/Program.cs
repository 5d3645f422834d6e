using Workmates.OttKit.Blueprint;

// Usage: dotnet run --project samples/Owl270 -- synth --out DIR [--spec FILE]
// Writes one YAML template per stack and manifest.json into DIR, and nothing else.
if (args.Length < 3 || args[0] != "synth" || args[1] != "--out")
{
    Console.Error.WriteLine("usage: Owl270 synth --out DIR [--spec FILE]");
    return 2;
}

var specPath = args.Length >= 5 && args[3] == "--spec" ? args[4] : Path.Combine(AppContext.BaseDirectory, "owl270.yaml");
try
{
    var stackSet = EnvironmentSpec.Load(specPath).Synthesize();
    foreach (var path in await stackSet.WriteToAsync(args[2]).ConfigureAwait(false))
    {
        Console.WriteLine($"wrote {path}");
    }

    return 0;
}
catch (Exception ex) when (ex is SpecLoadException or OttKitValidationException)
{
    // A user mistake: the message lists every problem with its place and fix; no stack trace.
    Console.Error.WriteLine(ex.Message);
    return 1;
}
