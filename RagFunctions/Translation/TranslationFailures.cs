using RagFunctions.Hosting;

namespace RagFunctions.Translation;

/// <summary>
/// Why a page could not be translated, as the failure model says it (<see cref="ServiceFailureException"/>: status, a
/// sentence for any reader, <c>Retry-After</c>). Only translation's own failures derive from it, so the pre-translation
/// can count a failed page and go on while a failing store still fails the whole run.
/// </summary>
internal abstract class TranslationFailureException(
    int statusCode, string title, string detail, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
    : ServiceFailureException(statusCode, title, detail, message, innerException, retryAfter);

/// <summary>The page asked for is not in the book's index (404).</summary>
internal sealed class PageNotIndexedException()
    : TranslationFailureException(404, "Page not found", Sentence, Sentence)
{
    public const string Sentence =
        "This page is not in the book's index, so it cannot be translated. Open a chapter of the book and try again; if the page is new, the book needs re-indexing.";
}

/// <summary>No language model is configured, and nothing offline translates (503).</summary>
internal sealed class NoTranslationProviderException()
    : TranslationFailureException(503, "No translation provider", Sentence, Sentence)
{
    public static readonly string Sentence =
        $"Translation needs a language model and none is configured on this server. Set {EnvironmentVariables.CohereApiKey} (Cohere), "
        + $"or {EnvironmentVariables.LlmBaseUrl} and {EnvironmentVariables.LlmModel} for an OpenAI-compatible server, then restart. "
        + "Nothing offline on this server can translate into Urdu.";
}

/// <summary>
/// The model (or today's call budget) failed a section, which fails the page: the provider's own status, sentence and
/// wait (a page is never half translated).
/// </summary>
internal sealed class TranslationProviderException(ServiceFailureException cause)
    : TranslationFailureException(cause.StatusCode, cause.Title, cause.Detail, cause.Message, cause, cause.RetryAfter);
