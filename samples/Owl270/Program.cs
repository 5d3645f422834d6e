using Workmates.OttKit.Blueprint;

// Owl270: an education platform in Mumbai. School hours in India (IST, Asia/Kolkata) raise the floor of the
// classroom services; the schedule is evaluated by Application Auto Scaling in that time zone.
// Usage: dotnet run --project samples/Owl270 -- synth --out DIR
if (args.Length < 3 || args[0] != "synth" || args[1] != "--out")
{
    Console.Error.WriteLine("usage: Owl270 synth --out DIR");
    return 2;
}

static LiveEventServiceSpec Bounds(string service, int min, int max) => new() { Service = service, MinTasks = min, MaxTasks = max };

var spec = EnvironmentSpec.Create("owl270", "ap-south-1")
    .Tag("customer", "owl270")
    .WithDomain("learn.owl270.in", "Z04821633OWL270EXAMPLE")
    .WithNetwork(n => n with { VpcCidr = "10.70.0.0/16", AvailabilityZones = 2 })
    .WithCluster(c => c with { InstanceTypes = ["m7g.large", "m6g.large"], MaxHosts = 16 })
    .AddService("web", s => s with { Routing = new RoutingSpec { PathPatterns = ["/*"], Priority = 1000 } })
    .AddService("auth", s => s with
    {
        Secrets = new Dictionary<string, string> { ["JWT_SIGNING_KEY"] = "secretsmanager:owl270/jwt-signing-key" },
    })
    .AddService("lessons", s => s with
    {
        Cpu = 512,
        Memory = 1024,
        Scaling = new ScalingSpec { MinTasks = 2, DesiredTasks = 2, MaxTasks = 16 },
        Secrets = new Dictionary<string, string> { ["MONGODB_URI"] = "secretsmanager:owl270/mongodb-uri" },
    })
    .AddService("quizzes", s => s with { Scaling = new ScalingSpec { MaxTasks = 12, CpuTargetPercent = 60 } })
    .AddService("progress", s => s with { Environment = new Dictionary<string, string> { ["NODE_ENV"] = "production" } })
    .AddScheduledScaling(new ScheduledScalingSpec
    {
        Name = "school-hours",
        StartCron = "cron(30 7 ? * MON-SAT *)",
        EndCron = "cron(0 18 ? * MON-SAT *)",
        TimeZone = "Asia/Kolkata",
        Services = [Bounds("web", 4, 16), Bounds("lessons", 6, 24), Bounds("quizzes", 4, 16), Bounds("progress", 3, 12)],
    })
    .Build();

try
{
    foreach (var path in spec.Synthesize().WriteTo(args[2]))
    {
        Console.WriteLine($"wrote {path}");
    }

    return 0;
}
catch (OttKitValidationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
