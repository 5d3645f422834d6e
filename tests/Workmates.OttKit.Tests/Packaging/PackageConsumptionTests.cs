using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Packaging;

/// <summary>
/// Packs the library into the local folder feed (<c>artifacts/packages</c>, named in nuget.config) and builds a client
/// project against the package, the way a customer project consumes it.
/// </summary>
public sealed class PackageConsumptionTests
{
    private static readonly string Configuration =
        typeof(PackageConsumptionTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Packed_library_restores_and_builds_in_a_client_project()
    {
        var ct = TestContext.Current.CancellationToken;
        var feed = Path.Combine(RepositoryPaths.Root, "artifacts", "packages");
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var work = Directory.CreateTempSubdirectory("ottkit-consumer-");
        try
        {
            var pack = await RunAsync(
                "dotnet",
                ["pack", Path.Combine(RepositoryPaths.Root, "src", "Workmates.OttKit"), "-c", Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}"],
                RepositoryPaths.Root,
                ct);
            Assert.True(pack.ExitCode == 0, pack.Output);

            var nupkg = Path.Combine(feed, $"Workmates.OttKit.{version}.nupkg");
            AssertPackageMetadata(nupkg);
            Assert.True(File.Exists(Path.Combine(feed, $"Workmates.OttKit.{version}.snupkg")), "symbols package missing");

            // The client sees the repository's nuget.config (default source plus the local feed) by living under it.
            var client = Path.Combine(RepositoryPaths.Root, "artifacts", "consumer-" + version);
            Directory.CreateDirectory(client);
            try
            {
                await File.WriteAllTextAsync(Path.Combine(client, "Consumer.csproj"), $$"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <OutputType>Exe</OutputType>
                        <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                      </PropertyGroup>
                      <ItemGroup>
                        <PackageReference Include="Workmates.OttKit" Version="{{version}}" />
                      </ItemGroup>
                    </Project>
                    """, ct);
                await File.WriteAllTextAsync(Path.Combine(client, "Program.cs"), """
                    var template = new Workmates.OttKit.CloudFormation.Template();
                    System.Console.WriteLine(template.GetType().Assembly.GetName().Name);
                    """, ct);

                var run = await RunAsync("dotnet", ["run", "--project", client, "-c", "Release"], client, ct);
                Assert.True(run.ExitCode == 0, run.Output);
                Assert.Contains("Workmates.OttKit", run.Output, StringComparison.Ordinal);
            }
            finally
            {
                Directory.Delete(client, recursive: true);
            }
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(feed, $"*{version}*"))
            {
                File.Delete(file);
            }

            work.Delete(recursive: true);
        }
    }

    private static void AssertPackageMetadata(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Get(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal("Workmates.OttKit", Get("id"));
        Assert.Equal("MIT", Get("license"));
        Assert.Equal("README.md", Get("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Get("description")));
        Assert.Contains("cloudformation", Get("tags") ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Workmates.OttKit.xml");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string workingDirectory, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Keep the child build independent of the test host's MSBuild environment.
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBuildSDKsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
