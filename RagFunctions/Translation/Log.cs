using Microsoft.Extensions.Logging;

namespace RagFunctions.Translation;

/// <summary>Translation owns event ids 5000–5099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Translated {PageUrl} into {Language}: {Sections} sections, {Translated} from the model, {Untranslated} left in English, in {ElapsedMs} ms")]
    public static partial void PageTranslated(ILogger logger, string pageUrl, string language, int sections, int translated, int untranslated, long elapsedMs);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Section translation into {Language} failed placeholder verification (attempt {Attempt} of {Attempts})")]
    public static partial void VerificationFailed(ILogger logger, string language, int attempt, int attempts);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "A section stays in English: every attempt to translate it into {Language} lost or repeated a placeholder")]
    public static partial void SectionLeftInEnglish(ILogger logger, string language);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Translation provider failed with status {Status}: {Reason}")]
    public static partial void ProviderFailed(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "The {Provider} translation cache could not be read or written; translating without it")]
    public static partial void CacheFailed(ILogger logger, Exception exception, string provider);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Pre-translated {Pages} pages into {Language}: {Translated} sections from the model, {FromCache} cached, {Untranslated} left in English, {FailedPages} pages failed")]
    public static partial void Pretranslated(ILogger logger, int pages, string language, int translated, int fromCache, int untranslated, int failedPages);
}
