namespace Workmates.OttKit.Deployment;

/// <summary>Turns what a caller passes as the image (a full URI or a bare tag) into the image URI to register.</summary>
internal static class ImageReference
{
    /// <summary>
    /// A value with neither '/' nor ':' is a tag: it replaces the tag (or digest) of <paramref name="currentImage"/>'s
    /// repository; anything else is an image URI and is used as it is.
    /// </summary>
    public static string Resolve(string? currentImage, string uriOrTag)
    {
        if (uriOrTag.Contains('/', StringComparison.Ordinal) || uriOrTag.Contains(':', StringComparison.Ordinal) || string.IsNullOrEmpty(currentImage))
        {
            return uriOrTag;
        }

        return $"{Repository(currentImage)}:{uriOrTag}";
    }

    /// <summary>The repository part of an image reference (without <c>:tag</c> or <c>@digest</c>; a registry port is kept).</summary>
    public static string Repository(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            image = image[..at];
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? image[..colon] : image;
    }
}
