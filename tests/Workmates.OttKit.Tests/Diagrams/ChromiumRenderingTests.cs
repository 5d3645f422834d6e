using System.Diagnostics;
using Workmates.OttKit.Diagrams;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Diagrams;

/// <summary>
/// Opens the diagram in headless Chromium (Debian package <c>chromium</c>) and checks the screenshot shows a drawing:
/// many colours and a good share of non-background pixels. Without Chromium the test fails under <c>CI=true</c> and is
/// skipped elsewhere.
/// </summary>
public sealed class ChromiumRenderingTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-diagram-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Blacksheep_diagram_renders_to_a_picture_that_is_not_blank()
    {
        var image = await ScreenshotAsync(ArchitectureDiagram.Render(SampleSpecs.Blacksheep().Synthesize()), "blacksheep");

        var (distinct, drawn) = Measure(image);
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot {image.Width}x{image.Height}: {distinct} distinct colours, {drawn:P1} non-background pixels");
        Assert.True(distinct >= 16, $"only {distinct} distinct colours: the SVG did not render");
        Assert.True(drawn >= 0.10, $"only {drawn:P1} of the pixels differ from the background: the SVG did not render");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_diagram_with_database_edge_vpn_and_monitoring_renders_to_a_picture_that_is_not_blank()
    {
        var image = await ScreenshotAsync(ArchitectureDiagram.Render(DiagramStackSets.Complete()), "complete");

        var (distinct, drawn) = Measure(image);
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot {image.Width}x{image.Height}: {distinct} distinct colours, {drawn:P1} non-background pixels");
        Assert.True(distinct >= 16, $"only {distinct} distinct colours: the SVG did not render");
        Assert.True(drawn >= 0.10, $"only {drawn:P1} of the pixels differ from the background: the SVG did not render");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_blank_svg_is_told_apart_from_a_drawing()
    {
        // The same measure on an SVG that draws only its background: proves the check above can fail.
        var image = await ScreenshotAsync("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"900\"><rect width=\"1200\" height=\"900\" fill=\"#fafafa\"/></svg>", "blank");

        var (distinct, drawn) = Measure(image);

        Assert.False(distinct >= 16 && drawn >= 0.10, $"{distinct} colours, {drawn:P1} drawn");
    }

    private static (int Distinct, double Drawn) Measure(PngImage image)
    {
        var colours = new HashSet<int>();
        var counts = new Dictionary<int, int>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var rgb = image.Rgb(x, y);
                colours.Add(rgb);
                counts[rgb] = counts.GetValueOrDefault(rgb) + 1;
            }
        }

        // Background: the most common colour (the SVG's own fill) and white (the page around it).
        var background = counts.MaxBy(c => c.Value).Key;
        var backgroundPixels = counts[background] + (background == 0xFFFFFF ? 0 : counts.GetValueOrDefault(0xFFFFFF));
        var total = (double)image.Width * image.Height;
        return (colours.Count, (total - backgroundPixels) / total);
    }

    /// <summary>Renders <paramref name="svg"/>; with <c>OTTKIT_KEEP_SCREENSHOTS=DIR</c> the SVG and PNG are kept there to look at.</summary>
    private async Task<PngImage> ScreenshotAsync(string svg, string name)
    {
        var chromium = FindChromium();
        var svgPath = Path.Combine(_work.FullName, "diagram.svg");
        var pngPath = Path.Combine(_work.FullName, "diagram.png");
        await File.WriteAllTextAsync(svgPath, svg, TestContext.Current.CancellationToken);
        File.Delete(pngPath);
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
        [
            "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage",
            $"--user-data-dir={Path.Combine(_work.FullName, "profile")}", $"--screenshot={pngPath}", "--window-size=1600,1000",
            new Uri(svgPath).AbsoluteUri,
        ])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {chromium}");
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(File.Exists(pngPath), $"chromium wrote no screenshot (exit {process.ExitCode}): {await stderr}");
        if (Environment.GetEnvironmentVariable("OTTKIT_KEEP_SCREENSHOTS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(svgPath, Path.Combine(keep, name + ".svg"), overwrite: true);
            File.Copy(pngPath, Path.Combine(keep, name + ".png"), overwrite: true);
        }

        return PngImage.Decode(await File.ReadAllBytesAsync(pngPath, TestContext.Current.CancellationToken));
    }

    private static string FindChromium()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in (string[])["chromium", "chromium-browser", "google-chrome"])
        {
            foreach (var folder in path)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        const string message = "headless Chromium is not installed (Debian: sudo apt-get install -y chromium); the diagram rendering test needs it.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return string.Empty;
    }
}
