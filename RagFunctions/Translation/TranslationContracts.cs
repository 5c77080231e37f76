namespace RagFunctions.Translation;

/// <summary>
/// The body of <c>POST /translate</c>: either <c>page_url</c> (any host, slash, query, fragment or locale prefix) or
/// <c>content</c> with its <c>format</c> (<c>markdown</c>, the default, or <c>text</c>: both are translated as
/// Markdown; <c>html</c> is refused, since translating it as Markdown would mangle its markup).
/// </summary>
internal sealed class TranslateRequest
{
    public string? PageUrl { get; set; }

    public string? Content { get; set; }

    public string? Format { get; set; }

    public string? TargetLanguage { get; set; }
}

/// <summary>
/// A translated page. <c>translation</c> is plain text (client A shows it pre-wrapped); <c>translated_markdown</c> keeps
/// the page's Markdown with code, links and terms untouched.
/// </summary>
/// <param name="Cached">True when every section came from the cache.</param>
/// <param name="Sections">How many sections the page was split into.</param>
/// <param name="UntranslatedSections">Sections (from 0) left in English because the translation failed verification.</param>
internal sealed record TranslateResponse(
    bool Success,
    string Translation,
    string TranslatedMarkdown,
    string TargetLanguage,
    bool Rtl,
    string? PageUrl,
    bool Cached,
    int Sections,
    string Model,
    IReadOnlyList<int>? UntranslatedSections);

/// <summary>The body of <c>POST /manage/translate</c> (optional): which language to pre-translate the book into.</summary>
internal sealed class PretranslateRequest
{
    public string? TargetLanguage { get; set; }
}

/// <summary>What a pre-translation of the whole book did.</summary>
internal sealed record PretranslateReport(
    string TargetLanguage,
    string Model,
    int Pages,
    int Sections,
    int Translated,
    int FromCache,
    int Untranslated,
    int FailedPages,
    double Seconds);
