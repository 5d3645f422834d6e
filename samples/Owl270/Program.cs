using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Outputs;

// Usage: dotnet run --project samples/Owl270 -- synth --out DIR [--spec FILE]
// Writes the environment's output folder with the library's one call: one YAML template per stack, architecture.svg,
// the GitHub Actions workflows and manifest.json — the same folder 'ottkit synth' writes.
if (args.Length < 3 || args[0] != "synth" || args[1] != "--out")
{
    Console.Error.WriteLine("usage: Owl270 synth --out DIR [--spec FILE]");
    return 2;
}

var specPath = args.Length >= 5 && args[3] == "--spec" ? args[4] : Path.Combine(AppContext.BaseDirectory, "owl270.yaml");
try
{
    var output = EnvironmentOutput.Synthesize(EnvironmentSpec.Load(specPath));
    var result = await output.WriteToAsync(args[2]).ConfigureAwait(false);
    foreach (var path in result.Written)
    {
        Console.WriteLine($"wrote {path}");
    }

    foreach (var warning in output.Warnings)
    {
        Console.Error.WriteLine($"warning: {warning.Path}: {warning.Message} Fix: {warning.Fix}");
    }

    return 0;
}
catch (Exception ex) when (ex is SpecLoadException or OttKitValidationException or TemplateSchemaException or OutputWriteException)
{
    // A user mistake, a refused write or a blueprint defect: the message says which and what to do; no stack trace.
    Console.Error.WriteLine(ex.Message);
    return 1;
}
