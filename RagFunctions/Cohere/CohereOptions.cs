using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Cohere;

/// <summary>
/// Cohere settings, bound from the environment variables named on each property. Cohere is used for chat and
/// translation when <c>COHERE_API_KEY</c> is set, and for embeddings only when <c>EMBEDDINGS_PROVIDER=cohere</c> (EmbeddingsOptions).
/// Blank values count as unset, so a variable left empty in a deployment falls back to its default.
/// </summary>
internal sealed class CohereOptions
{
    public const string DefaultBaseUrl = "https://api.cohere.com";
    public const string DefaultChatModel = "command-a-03-2025";
    public const string DefaultTranslateModel = "command-a-03-2025";
    public const string DefaultEmbedModel = "embed-multilingual-v3.0";

    [ConfigurationKeyName(EnvironmentVariables.CohereApiKey)]
    public string? ApiKey { get; set => field = OptionValues.Blank(value); }

    [ConfigurationKeyName(EnvironmentVariables.CohereBaseUrl)]
    public string BaseUrl { get; set => field = OptionValues.Blank(value) ?? DefaultBaseUrl; } = DefaultBaseUrl;

    [ConfigurationKeyName(EnvironmentVariables.CohereChatModel)]
    public string ChatModel { get; set => field = OptionValues.Blank(value) ?? DefaultChatModel; } = DefaultChatModel;

    [ConfigurationKeyName(EnvironmentVariables.CohereTranslateModel)]
    public string TranslateModel { get; set => field = OptionValues.Blank(value) ?? DefaultTranslateModel; } = DefaultTranslateModel;

    [ConfigurationKeyName(EnvironmentVariables.CohereEmbedModel)]
    public string EmbedModel { get; set => field = OptionValues.Blank(value) ?? DefaultEmbedModel; } = DefaultEmbedModel;

    public bool IsConfigured => ApiKey is not null;

    /// <summary>The base URL with a trailing slash, so relative paths such as <c>v2/chat</c> append to it.</summary>
    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);

    // Resilience tunables: code defaults, not configuration. Internal so tests can shorten them.

    /// <summary>Retries after the first attempt, for 429/500/503/504, per-attempt timeouts and transport errors.</summary>
    internal int MaxRetries { get; set; } = 2;

    /// <summary>Base of the jittered exponential backoff when Cohere sends no Retry-After.</summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this is not waited for: the call fails at once as rate limited.</summary>
    internal TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>One attempt, until the response headers arrive (for a stream: until the first byte).</summary>
    internal TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>All attempts and waits together, until the response headers arrive; sized for a generated answer.</summary>
    internal TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest silence between two events of a stream before it is abandoned.</summary>
    internal TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class CohereOptionsValidator : IValidateOptions<CohereOptions>
{
    public ValidateOptionsResult Validate(string? name, CohereOptions options)
        => OptionValues.IsHttpUrl(options.BaseUrl)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{EnvironmentVariables.CohereBaseUrl} must be an absolute http(s) URL.");
}
