namespace Workmates.OttKit.Deployment;

/// <summary>
/// Keeps every deployed template as an artifact and returns the URL CloudFormation reads it from (TemplateURL).
/// Templates always go through the store: above 51,200 bytes CloudFormation refuses a TemplateBody, and keeping
/// every version makes each deploy reproducible.
/// </summary>
public interface ITemplateArtifactStore
{
    /// <summary>Stores a template under <paramref name="key"/>.</summary>
    /// <param name="key">The object key, <c>&lt;env&gt;/&lt;stack&gt;/&lt;utc-timestamp&gt;-&lt;sha256-prefix&gt;.yaml</c>.</param>
    /// <param name="body">The template text (UTF-8).</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The URL to pass as TemplateURL.</returns>
    Task<Uri> UploadAsync(string key, string body, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store can keep templates now. A store that finds its bucket through the bootstrap stack answers
    /// <see langword="false"/> until that stack exists; the deployer then creates the bootstrap stack itself from a
    /// TemplateBody (it holds the bucket) and refuses every other stack with the fix.
    /// </summary>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns><see langword="true"/> when <see cref="UploadAsync"/> can store a template.</returns>
    ValueTask<bool> IsAvailableAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
}
