using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>
/// The Qdrant store's settings: <c>QDRANT_URL</c> (gRPC endpoint), <c>QDRANT_API_KEY</c> (optional, never logged)
/// and <c>COLLECTION_NAME</c> (default <c>book</c>).
/// </summary>
internal sealed class QdrantStoreOptions
{
    public const string DefaultCollectionName = "book";

    /// <summary>Qdrant serves gRPC here; it is what a <c>QDRANT_URL</c> without a port means.</summary>
    public const int GrpcPort = 6334;

    /// <summary>Qdrant's REST port: gRPC sent there fails with an HTTP/2 protocol error, so it is refused at start.</summary>
    public const int RestPort = 6333;

    public static readonly TimeSpan DefaultGrpcTimeout = TimeSpan.FromSeconds(10);

    [ConfigurationKeyName(EnvironmentVariables.QdrantUrl)]
    public string? Url { get; set; }

    [ConfigurationKeyName(EnvironmentVariables.QdrantApiKey)]
    public string? ApiKey { get; set; }

    [ConfigurationKeyName(EnvironmentVariables.CollectionName)]
    public string? CollectionName { get; set; }

    /// <summary>Deadline of every gRPC call (Qdrant.Client's default is none, which hangs on a silent network).</summary>
    public TimeSpan GrpcTimeout { get; set; } = DefaultGrpcTimeout;

    /// <summary>The Qdrant store is used when <c>QDRANT_URL</c> is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    public string Collection => string.IsNullOrWhiteSpace(CollectionName) ? DefaultCollectionName : CollectionName.Trim();

    public string? Key => string.IsNullOrWhiteSpace(ApiKey) ? null : ApiKey.Trim();

    public QdrantEndpoint Endpoint => QdrantEndpoint.TryParse(Url, out var endpoint, out var error)
        ? endpoint
        : throw new InvalidOperationException(error);

    /// <summary>"10" or "0.5": the timeout as people write it, for messages.</summary>
    public string TimeoutSeconds => GrpcTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Where the gRPC client connects: always an explicit port, so a bare host never silently means 80/443.</summary>
internal sealed record QdrantEndpoint(string Host, int Port, bool Https)
{
    /// <summary>
    /// The URL handed to <c>QdrantClient</c>, with the port written out. <see cref="Uri"/> itself would read
    /// <c>https://host</c> as port 443; here a URL without a port means Qdrant's gRPC port 6334, and a proxy on
    /// 443/80 is written with that port (<c>https://qdrant.example.com:443</c>).
    /// </summary>
    public Uri Address => new UriBuilder(Https ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, Host, Port).Uri;

    /// <summary><c>host:port</c> for messages and logs (never a key: keys do not travel in the URL).</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[')
        ? $"[{Host}]:{Port}"
        : $"{Host}:{Port}";

    public static bool TryParse(string? url, [NotNullWhen(true)] out QdrantEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            error = $"{EnvironmentVariables.QdrantUrl} is not set; the Qdrant store needs the gRPC URL of the server, e.g. http://localhost:{QdrantStoreOptions.GrpcPort}.";
            return false;
        }

        var text = url.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            error = $"{EnvironmentVariables.QdrantUrl} must be an absolute http(s) URL, e.g. http://localhost:{QdrantStoreOptions.GrpcPort} or https://xyz.cloud.qdrant.io:{QdrantStoreOptions.GrpcPort}.";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            error = $"{EnvironmentVariables.QdrantUrl} must not carry credentials; put the key in {EnvironmentVariables.QdrantApiKey}.";
            return false;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            error = $"{EnvironmentVariables.QdrantUrl} must be scheme, host and port only (gRPC has no path), e.g. http://localhost:{QdrantStoreOptions.GrpcPort}.";
            return false;
        }

        var port = HasExplicitPort(text) ? uri.Port : QdrantStoreOptions.GrpcPort;
        if (port == QdrantStoreOptions.RestPort)
        {
            error = $"{EnvironmentVariables.QdrantUrl} uses port {QdrantStoreOptions.RestPort}, Qdrant's REST port; this app speaks gRPC, which Qdrant serves on port {QdrantStoreOptions.GrpcPort} "
                + $"(e.g. {uri.Scheme}://{uri.Host}:{QdrantStoreOptions.GrpcPort}). Behind a proxy, write its port (443 or 80).";
            return false;
        }

        error = null;
        endpoint = new QdrantEndpoint(uri.IdnHost, port, uri.Scheme == Uri.UriSchemeHttps);
        return true;
    }

    /// <summary><see cref="Uri.Port"/> cannot tell <c>https://h</c> from <c>https://h:443</c>; the text can.</summary>
    private static bool HasExplicitPort(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var authority = end < 0 ? url[start..] : url[start..end];
        authority = authority[(authority.LastIndexOf('@') + 1)..];
        return authority.IndexOf(':', authority.LastIndexOf(']') + 1) >= 0;
    }
}

internal sealed class QdrantStoreOptionsValidator : IValidateOptions<QdrantStoreOptions>
{
    /// <summary>Characters Qdrant refuses in a collection name.</summary>
    private static readonly char[] ForbiddenInCollectionName = ['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

    public ValidateOptionsResult Validate(string? name, QdrantStoreOptions options)
    {
        var failures = new List<string>();
        if (!QdrantEndpoint.TryParse(options.Url, out _, out var error))
        {
            failures.Add(error);
        }

        if (!IsCollectionName(options.Collection))
        {
            failures.Add($"{EnvironmentVariables.CollectionName} must be 1 to 255 characters without spaces, control characters or any of < > : \" / \\ | ? * (Qdrant's rule); '{options.Collection}' is not.");
        }

        if (options.GrpcTimeout <= TimeSpan.Zero || options.GrpcTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"The Qdrant gRPC timeout must be more than 0 and at most 5 minutes; it is {options.GrpcTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static bool IsCollectionName(string name)
        => name.Length is > 0 and <= 255
           && name.IndexOfAny(ForbiddenInCollectionName) < 0
           && !name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
}
