using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Workmates.OttKit.Tests.Fuzz;

/// <summary>What one input did to a parser.</summary>
internal enum FuzzVerdict
{
    /// <summary>Parsed (and every oracle agreed).</summary>
    Accepted,

    /// <summary>Refused with one of the target's documented exception types.</summary>
    Rejected,
}

/// <summary>The figures of one fuzz run (docs/testing.md lists them per target).</summary>
internal sealed record FuzzReport(string Target, int Seed, int Inputs, int Accepted, int Rejected, int Crashes, int Hangs, int WrongResults, TimeSpan Elapsed, TimeSpan Slowest, bool TimeCapReached, IReadOnlyList<string> Findings)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Target}: seed {Seed}, {Inputs} inputs ({Accepted} accepted, {Rejected} rejected), crashes {Crashes}, hangs {Hangs}, wrong results {WrongResults}, {Elapsed.TotalSeconds:0.0} s, slowest input {Slowest.TotalMilliseconds:0} ms{(TimeCapReached ? ", time cap reached" : string.Empty)}");
}

/// <summary>
/// A bounded mutation fuzzer: starting from seed inputs (conformance data), each iteration applies one to four random
/// mutations (bit flips, interesting bytes and int32s, deletions, insertions, duplicated ranges, splices with another
/// seed, dictionary tokens, truncation) and runs the target. A target returns <see cref="FuzzVerdict"/> for inputs it
/// handles as documented, and throws <see cref="WrongResultException"/> when an oracle disagrees; any other exception is
/// a crash and an input slower than <see cref="HangThreshold"/> a hang. The random seed is fixed, so a CI run is
/// reproducible; <c>OTTKIT_FUZZ_SCALE</c> multiplies the iterations and <c>OTTKIT_FUZZ_SEED</c> changes the seed for
/// longer release runs (docs/testing.md).
/// </summary>
internal sealed class MutationFuzzer
{
    /// <summary>An input this slow counts as a hang (generous: two cores shared by several suites).</summary>
    public static readonly TimeSpan HangThreshold = TimeSpan.FromSeconds(10);

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x20, 0x2E, 0x3F, 0x40, 0x5B, 0x7B, 0x22, 0x5C];

    private static readonly int[] InterestingInts = [0, 1, -1, 4, 5, 16, 17, 255, 256, 4096, 65536, 0x7FFF_FFFF, int.MinValue, 48_000_000, 16 * 1024 * 1024];

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly IReadOnlyList<byte[]> _dictionary;
    private readonly int _maxLength;

    public MutationFuzzer(int seed, IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]>? dictionary = null, int maxLength = 64 * 1024)
    {
        if (seeds.Count == 0)
        {
            throw new ArgumentException("A fuzz run needs at least one seed input.", nameof(seeds));
        }

        _random = new Random(seed);
        _seeds = seeds;
        _dictionary = dictionary ?? [];
        _maxLength = maxLength;
    }

    /// <summary>The fixed CI seed, or <c>OTTKIT_FUZZ_SEED</c>.</summary>
    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("OTTKIT_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20261206;

    /// <summary>The iteration multiplier, <c>OTTKIT_FUZZ_SCALE</c> (default 1).</summary>
    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("OTTKIT_FUZZ_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;

    /// <summary>Dictionary tokens from text.</summary>
    public static IReadOnlyList<byte[]> Tokens(params string[] tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];

    /// <summary>
    /// Runs the seeds, then <paramref name="iterations"/> × <see cref="Scale"/> mutated inputs (stopping early at
    /// <paramref name="timeCap"/> × <see cref="Scale"/>, which the report says).
    /// </summary>
    public static async Task<FuzzReport> RunAsync(
        string target,
        IReadOnlyList<byte[]> seeds,
        Func<byte[], Task<FuzzVerdict>> execute,
        int iterations,
        TimeSpan timeCap,
        IReadOnlyList<byte[]>? dictionary = null,
        int maxLength = 64 * 1024)
    {
        var seed = Seed;
        var fuzzer = new MutationFuzzer(seed, seeds, dictionary, maxLength);
        var total = iterations * Scale;
        var cap = timeCap * Scale;
        int accepted = 0, rejected = 0, crashes = 0, hangs = 0, wrong = 0, inputs = 0;
        var slowest = TimeSpan.Zero;
        var findings = new List<string>();
        var clock = Stopwatch.StartNew();
        var capped = false;
        for (var i = 0; i < seeds.Count + total; i++)
        {
            if (clock.Elapsed > cap)
            {
                capped = true;
                break;
            }

            var input = i < seeds.Count ? seeds[i] : fuzzer.Next();
            inputs++;
            var started = clock.Elapsed;
            try
            {
                if (await execute(input).ConfigureAwait(false) == FuzzVerdict.Accepted)
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                }
            }
            catch (WrongResultException e)
            {
                wrong++;
                Record(findings, "wrong result", input, e);
            }
            catch (Exception e)
            {
                crashes++;
                Record(findings, "crash", input, e);
            }

            var took = clock.Elapsed - started;
            slowest = took > slowest ? took : slowest;
            if (took > HangThreshold)
            {
                hangs++;
                findings.Add(string.Create(CultureInfo.InvariantCulture, $"hang ({took.TotalSeconds:0.0} s): {Show(input)}"));
            }
        }

        var report = new FuzzReport(target, seed, inputs, accepted, rejected, crashes, hangs, wrong, clock.Elapsed, slowest, capped, findings);
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        foreach (var finding in findings)
        {
            TestContext.Current.TestOutputHelper?.WriteLine("  " + finding);
        }

        if (Environment.GetEnvironmentVariable("OTTKIT_FUZZ_REPORT") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, report + Environment.NewLine, TestContext.Current.CancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    private static void Record(List<string> findings, string kind, byte[] input, Exception e)
    {
        if (Environment.GetEnvironmentVariable("OTTKIT_FUZZ_FINDINGS") is { Length: > 0 } folder)
        {
            // Inputs of findings, to turn into regression tests.
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"{kind.Replace(' ', '-')}-{e.GetType().Name}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(input))[..12]}.bin"), input);
        }

        // The first five of each kind, with where it was thrown.
        if (findings.Count(f => f.StartsWith(kind, StringComparison.Ordinal)) < 5)
        {
            var frame = e.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
            findings.Add($"{kind}: {e.GetType().Name}: {e.Message} [{frame}] | input {Show(input)}");
        }
    }

    /// <summary>An input for a finding: text when it is printable, else hex; long inputs shortened.</summary>
    public static string Show(byte[] input)
    {
        var text = input.Length <= 4096 && input.All(b => b is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\t' or (byte)'\r')
            ? "\"" + Encoding.ASCII.GetString(input) + "\""
            : Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 512)));
        return string.Create(CultureInfo.InvariantCulture, $"{input.Length} bytes {text}");
    }

    /// <summary>The next mutated input.</summary>
    public byte[] Next()
    {
        var data = new List<byte>(_seeds[_random.Next(_seeds.Count)]);
        var mutations = 1 + _random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            Mutate(data);
        }

        if (data.Count > _maxLength)
        {
            data.RemoveRange(_maxLength, data.Count - _maxLength);
        }

        return [.. data];
    }

    private void Mutate(List<byte> data)
    {
        var at = data.Count == 0 ? 0 : _random.Next(data.Count);
        switch (_random.Next(10))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 2 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16)));
                break;
            case 3:
                var inserted = new byte[1 + _random.Next(8)];
                _random.NextBytes(inserted);
                data.InsertRange(at, inserted);
                break;
            case 4 when data.Count > 0:
                var length = Math.Min(data.Count - at, 1 + _random.Next(64));
                var chunk = data.GetRange(at, length);
                var copies = _random.Next(4) == 0 ? 1 + _random.Next(32) : 1;
                for (var c = 0; c < copies; c++)
                {
                    data.InsertRange(_random.Next(data.Count + 1), chunk);
                }

                break;
            case 5:
                var other = _seeds[_random.Next(_seeds.Count)];
                var from = other.Length == 0 ? 0 : _random.Next(other.Length);
                data.RemoveRange(at, data.Count - at);
                data.AddRange(other.AsSpan(from).ToArray());
                break;
            case 6 when _dictionary.Count > 0:
                data.InsertRange(at, _dictionary[_random.Next(_dictionary.Count)]);
                break;
            case 7 when data.Count > 4:
                data.RemoveRange(at, data.Count - at);
                break;
            case 8 when data.Count >= 4:
                var offset = _random.Next(data.Count - 3);
                var value = InterestingInts[_random.Next(InterestingInts.Length)];
                if (_random.Next(2) == 0)
                {
                    value = data.Count + _random.Next(-4, 5);
                }

                BitConverter.GetBytes(value).CopyTo(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(data)[offset..]);
                break;
            default:
                if (data.Count > 0)
                {
                    data[at] = (byte)_random.Next(256);
                }

                break;
        }
    }
}

/// <summary>An oracle of a fuzz target disagreed: the parser accepted the input but the result is wrong.</summary>
internal sealed class WrongResultException(string message) : Exception(message);
