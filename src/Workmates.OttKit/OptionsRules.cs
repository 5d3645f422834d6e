using Microsoft.Extensions.Options;
using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit;

/// <summary>
/// The one way OttKit validates an options type: an <see cref="IValidateOptions{TOptions}"/> that lists every problem at
/// once, each as the option's path (<c>Type.Member</c>, or <c>Type[name].Member</c> for a named instance), what is wrong
/// and the fix. The DI extensions register it with <c>AddOptionsWithValidateOnStart</c>, so a mistake stops the host at
/// start (<see cref="OptionsValidationException"/>); a component handed options directly calls
/// <see cref="ThrowIfInvalid"/>, which throws <see cref="OttKitValidationException"/> with the same problems and text.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal abstract class OptionsRules<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = Problems(name, options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(OptionsRules.Describe));
    }

    /// <summary>Throws when <paramref name="options"/> break a rule, naming every problem.</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="OttKitValidationException">One or more options are out of range.</exception>
    public void ThrowIfInvalid(TOptions options)
    {
        var problems = Problems(null, options);
        if (problems.Count > 0)
        {
            throw OttKitValidationException.ForOptions(typeof(TOptions).Name, problems);
        }
    }

    /// <summary>Every problem of <paramref name="options"/>.</summary>
    /// <param name="name">The named instance, if any.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>The problems, in member order.</returns>
    public IReadOnlyList<ValidationProblem> Problems(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(string.IsNullOrEmpty(name) ? typeof(TOptions).Name : $"{typeof(TOptions).Name}[{name}]");
        Check(options, problems);
        return problems.List;
    }

    /// <summary>Adds a problem for every rule <paramref name="options"/> break.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="problems">Where the problems go.</param>
    protected abstract void Check(TOptions options, OptionsProblems problems);
}

/// <summary>Text shared by every <see cref="OptionsRules{TOptions}"/>.</summary>
internal static class OptionsRules
{
    /// <summary>One problem as one line: <c>Type.Member what; fix</c>.</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>The line.</returns>
    public static string Describe(ValidationProblem problem) => $"{problem.Path} {problem.Message}; {problem.Fix}";
}

/// <summary>The problems found in one options instance; each is recorded under the instance's path.</summary>
/// <param name="prefix">The instance's path: <c>Type</c> or <c>Type[name]</c>.</param>
internal sealed class OptionsProblems(string prefix)
{
    /// <summary>The problems so far.</summary>
    public List<ValidationProblem> List { get; } = [];

    /// <summary>Records a problem.</summary>
    /// <param name="member">The option, as its C# member name (<c>Timeout</c>).</param>
    /// <param name="message">What is wrong with the value, starting with a verb (<c>is 00:00:00</c>).</param>
    /// <param name="fix">What to set instead.</param>
    public void Add(string member, string message, string fix) => List.Add(new ValidationProblem($"{prefix}.{member}", message, fix));
}
