using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup.Storage;

namespace Workmates.OttKit.Tests.Mongo.Backup.Storage;

public sealed class Sha256VerifyingStreamTests
{
    private static readonly byte[] s_data = BackupTestData.Archive(7);
    private static readonly string s_sha = Convert.ToHexStringLower(SHA256.HashData(s_data));

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Reading_intact_bytes_to_the_end_verifies()
    {
        await using var stream = new Sha256VerifyingStream(new MemoryStream(s_data), "k", s_sha, s_data.Length);

        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, TestContext.Current.CancellationToken);

        Assert.True(stream.Verified);
        Assert.Equal(s_data, copy.ToArray());
    }

    [Fact]
    public void Reading_changed_bytes_throws_at_the_end_with_both_hashes()
    {
        var corrupt = s_data.ToArray();
        corrupt[10] ^= 1;
        using var stream = new Sha256VerifyingStream(new MemoryStream(corrupt), "p/x.archive.gz", s_sha);

        var error = Assert.Throws<BackupChecksumMismatchException>(() => stream.CopyTo(Stream.Null));

        Assert.Equal("p/x.archive.gz", error.Key);
        Assert.Equal(s_sha, error.ExpectedSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(corrupt)), error.ActualSha256);
        Assert.Equal(corrupt.Length, error.BytesRead);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_reader_that_stops_early_still_verifies_the_rest()
    {
        var corrupt = s_data.ToArray();
        corrupt[^1] ^= 1;
        await using var stream = new Sha256VerifyingStream(new MemoryStream(corrupt), "k", s_sha);
        var head = new byte[100];
        await stream.ReadExactlyAsync(head, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<BackupChecksumMismatchException>(() => stream.ReadToEndAndVerifyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_truncated_object_fails_even_when_the_expected_length_is_the_only_difference()
    {
        using var stream = new Sha256VerifyingStream(new MemoryStream(s_data), "k", s_sha, s_data.Length + 1);

        Assert.Throws<BackupChecksumMismatchException>(() => stream.CopyTo(Stream.Null));
    }
}
