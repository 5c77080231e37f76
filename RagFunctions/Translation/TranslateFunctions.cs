using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Translation;

/// <summary>
/// <c>POST /translate</c>: an indexed page (by its browser URL) or sent content, into Urdu or another supported language;
/// <c>POST /manage/translate</c> (behind <c>ADMIN_API_KEY</c>): pre-translates the whole book.
/// </summary>
internal sealed class TranslateFunctions(TranslationService translation, IOptions<TranslationOptions> options)
{
    /// <summary>How long the pre-translation waits when the provider answers 429 before it tries the page again.</summary>
    private static readonly TimeSpan RateLimitPause = TimeSpan.FromSeconds(30);

    [Function("translate")]
    [ApiDoc("Translate a book page into Urdu", Tag = ApiTags.Translation, Request = typeof(TranslateRequest), Response = typeof(TranslateResponse), ClientAErrors = true,
        RequestExample = """{"page_url":"http://localhost:3000/docs/intro","target_language":"urdu"}""",
        Errors = [StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable],
        Description = "An indexed page by its browser URL (`page_url`: any host, slash, query, fragment or locale prefix), or sent `content` (`format`: `markdown`, the default, or `text`; HTML is refused with a 400). `translation` is plain text to show right-to-left, its code lines, commands, paths and English runs wrapped in directional isolates (U+2066 … U+2069) so they read left to right in a `dir=rtl` box; `translated_markdown` keeps code, links and terms, without isolates. Errors are ProblemDetails that also carry `success: false` and `error`.")]
    public async Task<IResult> Translate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "translate")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (valid, problem) = await JsonBody.ReadAsync(request, TranslationJsonContext.Api.TranslateRequest, BodyLimits.Translate,
            body => TranslateRequestValidator.Validate(body, options.Value.MaxContentChars), cancellationToken);
        if (valid is null)
        {
            return problem!.ToResult();
        }

        var translated = valid.Content is { } content
            ? await translation.TranslateContentAsync(content, valid.Language, cancellationToken)
            : await translation.TranslatePageAsync(valid.PageUrl!, valid.Language, cancellationToken);
        return TypedResults.Ok(translated.Response);
    }

    [Function("admin-translate")]
    [ApiDoc("Pre-translate the whole book", Tag = ApiTags.Admin, Admin = true, Request = typeof(PretranslateRequest), Response = typeof(PretranslateReport), ClientAErrors = true,
        RequestExample = """{"target_language":"urdu"}""", Query = ["lang: the language (instead of the body's target_language); urdu when neither is given"],
        Errors = [StatusCodes.Status503ServiceUnavailable],
        Description = "Translates every indexed page into the cache, so readers get cached pages. The body is optional.")]
    public async Task<IResult> Pretranslate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/translate")] HttpRequest request, CancellationToken cancellationToken)
    {
        // A chunked body has no Content-Length but is a body all the same: its language must not be ignored.
        var name = request.Query["lang"].ToString();
        var hasBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (name.Length == 0 && hasBody)
        {
            var (body, problem) = await JsonBody.ReadAsync(request, TranslationJsonContext.Api.PretranslateRequest, BodyLimits.Admin, cancellationToken);
            if (body is null)
            {
                return problem!.ToResult();
            }

            name = body.TargetLanguage ?? "";
        }

        if (!TargetLanguage.TryParse(name.Length == 0 ? TargetLanguage.Urdu.Code : name, out var language))
        {
            return TranslateRequestValidator.Bad(TranslateRequestValidator.UnknownLanguage(name)).ToResult();
        }

        if (translation.Model is null)
        {
            throw new NoTranslationProviderException();
        }

        return TypedResults.Ok(await translation.PretranslateAsync(language, RateLimitPause, progress: null, cancellationToken));
    }
}

/// <summary>A checked <c>/translate</c> request: the page URL or the content, and the language.</summary>
internal sealed record ValidTranslateRequest(string? PageUrl, string? Content, TargetLanguage Language);

internal static class TranslateRequestValidator
{
    public static Validated<ValidTranslateRequest> Validate(TranslateRequest request, int maxContentChars)
    {
        var languageName = string.IsNullOrWhiteSpace(request.TargetLanguage) ? TargetLanguage.Urdu.Code : request.TargetLanguage;
        if (!TargetLanguage.TryParse(languageName, out var language))
        {
            return Bad(UnknownLanguage(request.TargetLanguage!));
        }

        if (request.Content is { } content)
        {
            if (string.IsNullOrWhiteSpace(content))
            {
                return Bad("The 'content' field is empty: send the page text to translate, or send 'page_url' instead.");
            }

            if (content.Length > maxContentChars)
            {
                return new RequestProblem(StatusCodes.Status413PayloadTooLarge, "Content too large",
                    $"The 'content' field is too long ({content.Length} characters; at most {maxContentChars}). Send one chapter at a time, or send its 'page_url'.");
            }

            // Sent content is translated as Markdown (plain text is Markdown too). HTML is refused rather than translated
            // as if it were Markdown, which would mangle its tags and attributes.
            var format = request.Format?.Trim().ToLowerInvariant();
            if (format is "html" or "htm")
            {
                return Bad("HTML is not translated: send the page's Markdown or plain text as 'content' (with 'format' 'markdown' or 'text'), or its 'page_url'.");
            }

            if (format is not (null or "markdown" or "md" or "mdx" or "text" or "plain"))
            {
                return Bad("The 'format' field must be 'markdown' or 'text'.");
            }

            return new ValidTranslateRequest(null, content, language);
        }

        var url = request.PageUrl?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return Bad("Send the page to translate as 'page_url' (the browser's URL of a book page), or its text as 'content'.");
        }

        var isUrl = url.StartsWith('/') || Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        return isUrl && url.Length <= 2048
            ? new ValidTranslateRequest(url, null, language)
            : Bad("The 'page_url' field must be the page's full http(s) URL, such as https://example.github.io/docs/intro.");
    }

    public static string UnknownLanguage(string name)
        => $"The language '{Shorten(name)}' is not supported. Use 'urdu' (or 'ur'), or one of: "
               + string.Join(", ", TargetLanguage.All.Skip(1).Select(l => $"{l.Name.ToLowerInvariant()} ({l.Code})")) + ".";

    public static RequestProblem Bad(string error) => RequestProblem.Invalid("The translation request is not valid", error);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
