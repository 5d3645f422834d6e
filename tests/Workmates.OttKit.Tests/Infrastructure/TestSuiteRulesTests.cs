using System.Reflection;

namespace Workmates.OttKit.Tests.Infrastructure;

/// <summary>Rules the suite holds itself to, checked over its own test methods.</summary>
public sealed class TestSuiteRulesTests
{
    private static readonly int[] AllowedTimeouts = [TestTimeouts.Default, TestTimeouts.External];

    [Fact]
    public void EveryAwaitingTestHasATimeout()
    {
        var tests = TestMethods().ToList();
        var awaiting = tests.Where(t => IsAwaitable(t.Method.ReturnType)).ToList();
        var missing = awaiting
            .Where(t => !AllowedTimeouts.Contains(t.Attribute.Timeout))
            .Select(t => $"{t.Method.DeclaringType!.FullName}.{t.Method.Name} (Timeout = {t.Attribute.Timeout})")
            .ToList();

        // The rule must have something to hold over: the suite has hundreds of awaiting tests.
        Assert.True(awaiting.Count > 100, $"only {awaiting.Count} awaiting tests found: is the reflection still finding them?");
        Assert.True(missing.Count == 0, "Awaiting tests need [Fact(Timeout = TestTimeouts.Default)] (or External):\n" + string.Join('\n', missing));
    }

    [Fact]
    public void NoTestIsSkippedForFlakiness()
    {
        var skipped = TestMethods()
            .Where(t => !string.IsNullOrEmpty(t.Attribute.Skip))
            .Select(t => $"{t.Method.DeclaringType!.FullName}.{t.Method.Name}: {t.Attribute.Skip}")
            .ToList();

        Assert.True(skipped.Count == 0, "Tests carry a static Skip (fix the test or skip at run time for a missing tool):\n" + string.Join('\n', skipped));
    }

    private static IEnumerable<(MethodInfo Method, FactAttribute Attribute)> TestMethods() =>
        from type in typeof(TestSuiteRulesTests).Assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<FactAttribute>(inherit: true)
        where attribute is not null
        select (method, attribute);

    private static bool IsAwaitable(Type returnType) =>
        returnType == typeof(Task) || returnType == typeof(ValueTask) ||
        (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))) ||
        returnType.GetMethod(nameof(Task.GetAwaiter)) is not null;
}
