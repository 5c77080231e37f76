using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Cohere;
using RagFunctions.Hosting;
using RagFunctions.LanguageModels;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Translation;

/// <summary>A translated page, and how many of its sections the model translated this time.</summary>
internal sealed record TranslatedPage(TranslateResponse Response, int FromModel);

/// <summary>
/// Page → sections → protect code, links and terms → translate sections concurrently (bounded, across all requests) →
/// verify every placeholder came back once → Markdown and plain text. Each section is cached by its content, language,
/// model and glossary: in memory (HybridCache: concurrent identical sections are translated once) and persisted
/// (<see cref="ITranslationCache"/>), so a chapter that changed re-translates only its changed sections.
/// A provider failure fails the whole page (never a half-translated page): every failure is a
/// <see cref="TranslationFailureException"/>. A section that keeps failing verification stays in English and is flagged.
/// Over 300 lines: a page's sections share its bounded gate, both caches and the model, and fail or finish together.
/// </summary>
internal sealed class TranslationService
{
    /// <summary>
    /// Part of every cache key: change it when the prompt, or what is protected from the model, changes what a translation
    /// looks like (2: code blocks found by the Markdown parser, sections cut from the whole page).
    /// </summary>
    public const int PromptVersion = 2;

    private static readonly HybridCacheEntryOptions EntryOptions = new()
    {
        Expiration = TimeSpan.FromDays(30),
        LocalCacheExpiration = TimeSpan.FromHours(12),
    };

    private readonly BookCatalog catalog;
    private readonly IVectorStore store;
    private readonly ITranslationCache persisted;
    private readonly HybridCache memory;
    private readonly TranslationOptions options;
    private readonly ILogger<TranslationService> logger;
    private readonly IChatClient? chat;
    private readonly MarkdownProtector protector;
    private readonly SemaphoreSlim slots;

    public TranslationService(
        BookCatalog catalog,
        IVectorStore store,
        ITranslationCache persisted,
        HybridCache memory,
        LanguageModelInfo models,
        IOptions<TranslationOptions> options,
        ILogger<TranslationService> logger,
        IChatClient? chat = null)
    {
        this.catalog = catalog;
        this.store = store;
        this.persisted = persisted;
        this.memory = memory;
        this.options = options.Value;
        this.logger = logger;
        this.chat = chat;
        Model = models.TranslateModel;
        protector = new MarkdownProtector(this.options.Terms);
        GlossaryVersion = Glossary.Version(this.options.Terms, PromptVersion);
        slots = new SemaphoreSlim(this.options.MaxParallel, this.options.MaxParallel);
    }

    /// <summary>The translation model; null when no language model is configured.</summary>
    public string? Model { get; }

    public string GlossaryVersion { get; }

    /// <exception cref="TranslationFailureException">The page is not indexed, there is no model, or the model failed.</exception>
    public async Task<TranslatedPage> TranslatePageAsync(string pageUrl, TargetLanguage language, CancellationToken cancellationToken)
    {
        var page = await catalog.FindPageAsync(pageUrl, cancellationToken) ?? throw new PageNotIndexedException();
        var chunks = await store.GetPageAsync(page.PageUrl, cancellationToken);
        return await TranslateSectionsAsync(TranslationSections.Split(PageMarkdown(chunks), options.SectionChars), language, page.PageUrl, cancellationToken);
    }

    /// <exception cref="TranslationFailureException">There is no model, or the model failed.</exception>
    public Task<TranslatedPage> TranslateContentAsync(string content, TargetLanguage language, CancellationToken cancellationToken)
        => TranslateSectionsAsync(TranslationSections.Split(content, options.SectionChars), language, null, cancellationToken);

    /// <summary>
    /// The page's Markdown as indexed: its chunks' Markdown in order, which concatenate to the page source. Sections are
    /// cut from the whole page, not per chunk: a chunk may end inside a long code block.
    /// </summary>
    internal static string PageMarkdown(IEnumerable<BookChunk> chunks) => PageMarkdown(chunks, out _);

    /// <summary>The page's Markdown as <see cref="PageMarkdown(IEnumerable{BookChunk})"/>, and where each chunk starts in it, in page order.</summary>
    internal static string PageMarkdown(IEnumerable<BookChunk> chunks, out IReadOnlyList<(int Start, BookChunk Chunk)> starts)
    {
        var page = new System.Text.StringBuilder();
        var found = new List<(int, BookChunk)>();
        foreach (var chunk in chunks.OrderBy(c => c.Position))
        {
            // A chunk cut from a source file ends with a line break; one that does not (written by other means) ends a block.
            if (page.Length > 0 && page[^1] != '\n')
            {
                page.Append("\n\n");
            }

            found.Add((page.Length, chunk));
            page.Append(chunk.Markdown);
        }

        starts = found;
        return page.ToString();
    }

    /// <summary>
    /// Translates every indexed page (resumable: cached sections are not sent again). A page the provider refused for
    /// its rate limit is tried once more after <paramref name="rateLimitPause"/>.
    /// </summary>
    public async Task<PretranslateReport> PretranslateAsync(
        TargetLanguage language, TimeSpan rateLimitPause, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var pages = await catalog.GetPagesAsync(cancellationToken);
        int sections = 0, translated = 0, fromCache = 0, untranslated = 0, failed = 0, done = 0;
        foreach (var page in pages)
        {
            var (translatedPage, failure) = await TryTranslatePageAsync(page.PageUrl, language, cancellationToken);
            if (failure is { StatusCode: 429 } && !(failure.RetryAfter > rateLimitPause))
            {
                await Task.Delay(rateLimitPause, cancellationToken);
                (translatedPage, failure) = await TryTranslatePageAsync(page.PageUrl, language, cancellationToken);
            }

            if (translatedPage is { Response: var response })
            {
                var left = response.UntranslatedSections?.Count ?? 0;
                sections += response.Sections;
                translated += translatedPage.FromModel;
                untranslated += left;
                fromCache += response.Sections - translatedPage.FromModel - left;
            }
            else
            {
                failed++;
                // No model, or a wait longer than our pause (today's call budget spent, a long Retry-After):
                // the other pages would fail the same way.
                if ((failure is { StatusCode: 503 } && chat is null) || failure?.RetryAfter > rateLimitPause)
                {
                    break;
                }
            }

            progress?.Report((++done, pages.Count));
        }

        Log.Pretranslated(logger, pages.Count, language.Code, translated, fromCache, untranslated, failed);
        return new PretranslateReport(language.Code, Model ?? LanguageModelInfo.None, pages.Count, sections, translated, fromCache, untranslated, failed,
            Math.Round(stopwatch.Elapsed.TotalSeconds, 1));
    }

    /// <summary>A page of the pre-translation: translated, or why not (a failing store still fails the whole run).</summary>
    private async Task<(TranslatedPage? Page, TranslationFailureException? Failure)> TryTranslatePageAsync(
        string pageUrl, TargetLanguage language, CancellationToken cancellationToken)
    {
        try
        {
            return (await TranslatePageAsync(pageUrl, language, cancellationToken), null);
        }
        catch (TranslationFailureException failure)
        {
            return (null, failure);
        }
    }

    private async Task<TranslatedPage> TranslateSectionsAsync(
        TranslationSections page, TargetLanguage language, string? pageUrl, CancellationToken cancellationToken)
    {
        if (chat is null || Model is null)
        {
            throw new NoTranslationProviderException();
        }

        var stopwatch = Stopwatch.StartNew();
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = page.Sections.Select(section => new SectionWork(this, section, language, Model)).ToArray();
        var all = Task.WhenAll(work.Select(w => w.RunAsync(siblings)));
        try
        {
            await all;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            var error = all.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException)
                        ?? all.Exception?.InnerExceptions.FirstOrDefault();
            if (error is null || ProviderFailure(error) is not { } failure)
            {
                throw;
            }

            Log.ProviderFailed(logger, failure.StatusCode, error.Message);
            throw new TranslationProviderException(failure);
        }

        var markdown = page.Join(work.Select(w => w.Result!).ToList());
        var untranslated = work.Select((w, i) => (w, i)).Where(p => p.w.LeftInEnglish).Select(p => p.i).ToList();
        var fromModel = work.Count(w => w.CalledModel && !w.LeftInEnglish);
        Log.PageTranslated(logger, pageUrl ?? "(content)", language.Code, work.Length, fromModel, untranslated.Count, stopwatch.ElapsedMilliseconds);
        var response = new TranslateResponse(
            true,
            TranslationPlainText.FromMarkdown(markdown, language.Rtl),
            markdown,
            language.Code,
            language.Rtl,
            pageUrl,
            work.All(w => !w.CalledModel && !w.LeftInEnglish),
            work.Length,
            Model,
            untranslated.Count > 0 ? untranslated : null);
        return new TranslatedPage(response, fromModel);
    }

    /// <summary>A provider's or the budget's failure fails the page; an OpenAI-compatible server's errors are provider failures too.</summary>
    private static ServiceFailureException? ProviderFailure(Exception error) => error switch
    {
        ServiceFailureException known => known,
        ClientResultException or HttpRequestException or TimeoutException or OperationCanceledException =>
            new ProviderFailureException(busy: error is ClientResultException { Status: 429 }, error.Message, error),
        _ => null,
    };

    private async Task<string> ProduceAsync(SectionWork work, TranslationKey key, CancellationToken cancellationToken)
    {
        // Protected here, on a miss of the memory cache only: a page read again parses nothing but its sections.
        var guarded = protector.Protect(work.Section);
        if (!guarded.NeedsTranslation)
        {
            return work.Section;
        }

        if (await ReadPersistedAsync(key, cancellationToken) is { } stored)
        {
            return stored;
        }

        await slots.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; attempt <= options.Attempts; attempt++)
            {
                work.CalledModel = true;
                var response = await chat!.GetResponseAsync(
                    [new ChatMessage(ChatRole.System, TranslationPrompt.Instructions(work.Language, retry: attempt > 1)), new ChatMessage(ChatRole.User, guarded.Text)],
                    new ChatOptions { ModelId = work.Model, Temperature = 0.2f },
                    cancellationToken);
                if (MarkdownProtector.Restore(TranslationPrompt.Unwrap(response.Text), guarded.Originals) is { } restored)
                {
                    await WritePersistedAsync(key, restored, cancellationToken);
                    return restored;
                }

                Log.VerificationFailed(logger, work.Language.Code, attempt, options.Attempts);
            }
        }
        finally
        {
            slots.Release();
        }

        Log.SectionLeftInEnglish(logger, work.Language.Code);
        throw new UnverifiedTranslationException();
    }

    private async Task<string?> ReadPersistedAsync(TranslationKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await persisted.GetAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CacheFailed(logger, ex, persisted.Provider);
            return null;
        }
    }

    private async Task WritePersistedAsync(TranslationKey key, string translation, CancellationToken cancellationToken)
    {
        try
        {
            await persisted.SetAsync(key, translation, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CacheFailed(logger, ex, persisted.Provider);
        }
    }

    /// <summary>One section of one request.</summary>
    private sealed class SectionWork(TranslationService service, string section, TargetLanguage language, string model)
    {
        public TargetLanguage Language => language;

        public string Model => model;

        public string Section => section;

        public string? Result { get; private set; }

        /// <summary>This request sent the section to the model (false: memory or persisted cache, or another request did).</summary>
        public bool CalledModel { get; set; }

        public bool LeftInEnglish { get; private set; }

        public async Task RunAsync(CancellationTokenSource siblings)
        {
            var key = TranslationKey.For(section, language.Code, model, service.GlossaryVersion);
            try
            {
                Result = await service.memory.GetOrCreateAsync(
                    key.Value,
                    (Service: service, Work: this, Key: key),
                    static (state, ct) => new ValueTask<string>(state.Service.ProduceAsync(state.Work, state.Key, ct)),
                    EntryOptions,
                    cancellationToken: siblings.Token);
            }
            catch (UnverifiedTranslationException)
            {
                Result = section;
                LeftInEnglish = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One section failing fails the page: stop the others rather than spend the rate limit on them.
                await siblings.CancelAsync();
                throw;
            }
        }
    }
}

/// <summary>Every attempt lost or repeated a placeholder: the section stays in English (and is not cached).</summary>
internal sealed class UnverifiedTranslationException() : Exception("The translation lost or repeated a placeholder.");
