using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

internal static class TestSpecs
{
    public const string Certificate = "arn:aws:acm:ap-south-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

    /// <summary>
    /// A small valid spec: two services, one live event (its 30 tasks fit 10 m6i.large hosts with ENI trunking,
    /// 20 without); each test breaks one thing.
    /// </summary>
    public static EnvironmentSpec Valid() => EnvironmentSpec.Create("demo", "ap-south-1")
        .WithCertificate(Certificate)
        .WithCluster(c => c with { EniTrunking = true })
        .AddService("web", s => s with { Routing = new RoutingSpec { PathPatterns = ["/*"], Priority = 1000 } })
        .AddService("api")
        .AddLiveEvent("launch", At(2020, 11, 2, 4), At(2020, 11, 2, 8), e => e with
        {
            Services = [new LiveEventServiceSpec { Service = "api", MinTasks = 4, MaxTasks = 20 }],
        })
        .Build();

    public static DateTimeOffset At(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    public static EnvironmentSpec WithService(this EnvironmentSpec spec, int index, Func<ServiceSpec, ServiceSpec> change)
    {
        var services = spec.Services.ToArray();
        services[index] = change(services[index]);
        return spec with { Services = services };
    }

    /// <summary>Asserts the spec has a problem at exactly <paramref name="path"/> and returns it.</summary>
    public static ValidationProblem SingleProblemAt(this EnvironmentSpec spec, string path)
    {
        var problems = spec.Validate();
        var matching = problems.Where(p => p.Path == path).ToArray();
        Assert.True(matching.Length == 1, $"expected one problem at '{path}', got:\n{string.Join("\n", problems)}");
        Assert.False(string.IsNullOrWhiteSpace(matching[0].Fix));
        return matching[0];
    }
}
