using System.Runtime.CompilerServices;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// <c>paginators-1.json</c> semantics: copy the output token into the input token of the next request until it is
/// missing or empty.
/// </summary>
internal static class Pagination
{
    public static async IAsyncEnumerable<TResponse> PagesAsync<TResponse>(
        string? firstToken,
        Func<string?, CancellationToken, Task<TResponse>> fetch,
        Func<TResponse, string?> nextToken,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = firstToken;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetch(token, cancellationToken).ConfigureAwait(false);
            yield return page;
            token = nextToken(page);
        }
        while (!string.IsNullOrEmpty(token));
    }
}

/// <summary>Shallow copies of model shapes, so paginators never mutate the caller's request.</summary>
internal static class ShapeCopy
{
    public static T Clone<T>(T shape)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(shape);
        var copy = new T();
        foreach (var (property, _) in AwsQueryProtocol.ModelledProperties(typeof(T)))
        {
            property.SetValue(copy, property.GetValue(shape));
        }

        return copy;
    }
}
