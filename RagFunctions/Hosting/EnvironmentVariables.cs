namespace RagFunctions.Hosting;

/// <summary>
/// Every environment variable the app reads, in one place. Options classes bind to these names
/// with <c>[ConfigurationKeyName]</c>; the startup line and the README table are checked against this list.
/// </summary>
internal static class EnvironmentVariables
{
    public const string Port = "PORT";
    public const string DataDir = "RAG_DATA_DIR";
    public const string BookBaseUrl = "BOOK_BASE_URL";
    public const string BookDocsDir = "BOOK_DOCS_DIR";
    public const string BookDocsRoute = "BOOK_DOCS_ROUTE";
    public const string SitemapUrl = "SITEMAP_URL";
    public const string EmbeddingsProvider = "EMBEDDINGS_PROVIDER";
    public const string CohereApiKey = "COHERE_API_KEY";
    public const string CohereBaseUrl = "COHERE_BASE_URL";
    public const string CohereChatModel = "COHERE_CHAT_MODEL";
    public const string CohereTranslateModel = "COHERE_TRANSLATE_MODEL";
    public const string CohereEmbedModel = "COHERE_EMBED_MODEL";
    public const string LlmBaseUrl = "LLM_BASE_URL";
    public const string LlmModel = "LLM_MODEL";
    public const string LlmApiKey = "LLM_API_KEY";
    public const string LlmDailyCallLimit = "LLM_DAILY_CALL_LIMIT";
    public const string QdrantUrl = "QDRANT_URL";
    public const string QdrantApiKey = "QDRANT_API_KEY";
    public const string CollectionName = "COLLECTION_NAME";
    public const string CorsAllowedOrigins = "CORS_ALLOWED_ORIGINS";
    public const string AdminApiKey = "ADMIN_API_KEY";
    public const string RateLimitPerMinute = "RATE_LIMIT_PER_MINUTE";
    public const string TrustedProxies = "TRUSTED_PROXIES";
    public const string EvidenceThreshold = "EVIDENCE_THRESHOLD";
    public const string TranslationGlossary = "TRANSLATION_GLOSSARY";
    public const string TranslationMaxParallel = "TRANSLATION_MAX_PARALLEL";
    public const string LogFormat = "LOG_FORMAT";
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Values that must never be written anywhere: logs, responses, dumps.</summary>
    public static readonly IReadOnlyList<string> Secrets =
        [CohereApiKey, LlmApiKey, QdrantApiKey, AdminApiKey, ApplicationInsightsConnectionString];

    /// <summary>What the startup line reports, in this order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Port, DataDir, BookBaseUrl, BookDocsDir, BookDocsRoute, SitemapUrl, EmbeddingsProvider,
        CohereApiKey, CohereBaseUrl, CohereChatModel, CohereTranslateModel, CohereEmbedModel,
        LlmBaseUrl, LlmModel, LlmApiKey, LlmDailyCallLimit, QdrantUrl, QdrantApiKey, CollectionName,
        CorsAllowedOrigins, AdminApiKey, RateLimitPerMinute, TrustedProxies, EvidenceThreshold, TranslationGlossary, TranslationMaxParallel,
        LogFormat, ApplicationInsightsConnectionString,
    ];

    public static bool IsSecret(string name) => Secrets.Contains(name, StringComparer.Ordinal);
}
