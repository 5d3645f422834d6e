namespace Workmates.OttKit.Testing;

/// <summary>
/// A rehearsal expectation that did not hold. Test frameworks report any exception as a failure, so the package
/// needs none of them; the message lists what was wrong, one line each.
/// </summary>
public sealed class RehearsalAssertionException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What was expected and every way it was not met.</param>
    public RehearsalAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public RehearsalAssertionException()
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RehearsalAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Assertions on a <see cref="RehearsalReport"/> for any test framework: each throws <see cref="RehearsalAssertionException"/> listing what failed.</summary>
public static class RehearsalAssertions
{
    /// <summary>Throws when any AWS call was denied; the message lists each denial as AWS words it.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The report, to chain.</returns>
    public static RehearsalReport ShouldHaveNoDenials(this RehearsalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Denials.Count > 0)
        {
            throw new RehearsalAssertionException(
                $"The rehearsal of {report.Environment} had {report.Denials.Count} denied AWS call(s):\n" + string.Join('\n', report.Denials.Select(d => "  " + d.Message)));
        }

        return report;
    }

    /// <summary>Throws when there is any reachability, architecture or stack finding; the message lists them.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The report, to chain.</returns>
    public static RehearsalReport ShouldHaveNoFindings(this RehearsalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Findings.Count > 0)
        {
            throw new RehearsalAssertionException(
                $"The rehearsal of {report.Environment} found {report.Findings.Count} problem(s):\n" + string.Join('\n', report.Findings.Select(f => $"  {f.Kind}: {f.Subject}: {f.Message}")));
        }

        return report;
    }

    /// <summary>Throws unless every step passed (or was skipped), no call was denied and nothing was found; the message is the report's text.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The report, to chain.</returns>
    public static RehearsalReport ShouldSucceed(this RehearsalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Succeeded)
        {
            throw new RehearsalAssertionException($"The rehearsal of {report.Environment} failed:\n{report.ToText()}");
        }

        return report;
    }
}
