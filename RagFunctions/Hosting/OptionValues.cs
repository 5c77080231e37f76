namespace RagFunctions.Hosting;

/// <summary>How options classes read values from environment variables.</summary>
internal static class OptionValues
{
    /// <summary>A variable left blank counts as unset: null, else the value trimmed.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static bool IsHttpUrl(string value)
        => Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host);
}
