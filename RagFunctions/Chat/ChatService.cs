using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>The evidence for one question, found before anything is generated.</summary>
internal sealed record PreparedQuestion(
    ChatQuery Query,
    string Standalone,
    CatalogPage? Page,
    IReadOnlyList<SearchHit> Hits,
    BookChunk? Selection,
    bool HasEvidence,
    Stopwatch Watch)
{
    /// <summary>The question's language, and the answer's.</summary>
    public QuestionLanguage Language { get; init; } = QuestionLanguage.English;

    /// <summary>The evidence gate's verdict; <see cref="Evidence.Borderline"/> lets the language model decide.</summary>
    public Evidence Evidence { get; init; } = HasEvidence ? Evidence.Clear : Evidence.None;

    public double EvidenceScore { get; init; }

    /// <summary>Set for an Urdu question searched in the book's Urdu translation (no language model to rewrite it).</summary>
    public Translation.TranslatedSearchResult? Translated { get; init; }
}

/// <summary>
/// The chat pipeline: follow-up (and into-English) rewrite → spelling correction → hybrid retrieval → evidence gate →
/// a grounded answer from the language model with checked citations, or an extractive answer when there is no model
/// (or it fails), or an honest refusal, in the question's language. Urdu questions without a model are searched in
/// the book's stored Urdu translation (<see cref="Translation.TranslatedBookSearch"/>).
/// </summary>
internal sealed partial class ChatService(
    Retriever retriever,
    QuestionRewriter rewriter,
    BookCatalog catalog,
    IVectorStore store,
    HybridCache cache,
    ChatSettings settings,
    ILogger<ChatService> logger,
    IChatClient? chat = null,
    Feedback.AnswerRecorder? answers = null,
    Hosting.RagMetrics? metrics = null,
    Retrieval.Vocabulary.IndexVocabulary? vocabulary = null,
    Translation.TranslatedBookSearch? translatedBook = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ChatAnswer>> writing = new(StringComparer.Ordinal);

    public async Task<PreparedQuestion> PrepareAsync(ChatQuery query, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var language = QuestionLanguage.Detect(query.Question, query.Language);
        var standalone = await rewriter.StandaloneAsync(query.Question, query.History, language, cancellationToken);
        var page = await catalog.FindPageAsync(query.PageUrl, cancellationToken);
        if (language.Script == QuestionScript.Urdu && !QuestionLanguage.IsMostlyLatin(standalone) && query.SelectedText is null && translatedBook is not null)
        {
            // No model put it into English: the book's Urdu translation, if there is one, is searched instead
            // (a question about selected text is answered from the selection, as in English).
            var translated = await translatedBook.SearchAsync(standalone, Math.Max(query.TopK, settings.Passages), cancellationToken);
            var found = translated.Matches.Select(m => new SearchHit(m.English, m.Coverage)).ToArray();
            return new PreparedQuestion(query, standalone, page, found, null, found.Length > 0, watch) { Language = language, Translated = translated };
        }

        var words = vocabulary is null ? Retrieval.Vocabulary.SpellingCorrector.Empty : await vocabulary.GetAsync(cancellationToken);
        standalone = words.CorrectText(standalone);
        var searchText = query.SelectedText is null ? standalone : $"{standalone} {Clip(query.SelectedText, 600)}";
        var hits = await retriever.SearchAsync(searchText, Math.Max(query.TopK, settings.Passages), page, cancellationToken);

        BookChunk? selection = null;
        if (query.SelectedText is { } selected)
        {
            selection = await FindSelectionAsync(selected, page, cancellationToken);
        }

        // A selection is evidence in itself; otherwise the book must hold some.
        var score = EvidenceGate.Score(standalone, hits, words);
        var evidence = query.SelectedText is not null ? Evidence.Clear : EvidenceGate.Judge(score, settings, withModel: chat is not null);
        return new PreparedQuestion(query, standalone, page, hits, selection, evidence != Evidence.None, watch)
        {
            Language = language,
            Evidence = evidence,
            EvidenceScore = score,
        };
    }

    /// <summary>The whole answer at once (<c>/chat</c>).</summary>
    public Task<ChatAnswer> AnswerAsync(PreparedQuestion prepared, CancellationToken cancellationToken)
        => AnswerAsync(prepared, onToken: null, cancellationToken);

    /// <summary>
    /// The answer as stream events (<c>/stream-chat</c>): tokens as the model writes them, then the final response.
    /// Each item is the JSON of one event.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(
        PreparedQuestion prepared, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tokens = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var answering = Task.Run(async () =>
        {
            try
            {
                return await AnswerAsync(prepared, token => tokens.Writer.TryWrite(token), cancellationToken);
            }
            finally
            {
                tokens.Writer.Complete();
            }
        }, cancellationToken);

        await foreach (var token in tokens.Reader.ReadAllAsync(cancellationToken))
        {
            yield return ChatJson.Token(token);
        }

        yield return ChatJson.Done(await answering);
    }

    /// <summary>
    /// Every answer is remembered (briefly) for readers' feedback and the gap report. Answers are made (and cached) with
    /// <c>[n]</c> markers; a request without them gets tokens and answer with the markers taken out.
    /// </summary>
    private async Task<ChatAnswer> AnswerAsync(PreparedQuestion prepared, Action<string>? onToken, CancellationToken cancellationToken)
    {
        var unmarked = prepared.Query.CitationMarkers || onToken is null ? null : new MarkerFilter(onToken);
        var answer = await ProduceAsync(prepared, unmarked is null ? onToken : unmarked.Write, cancellationToken);
        unmarked?.Flush();
        answer = prepared.Query.CitationMarkers ? answer : CitationMarkers.WithoutMarkers(answer);
        if (answers is not null)
        {
            await answers.RecordAsync(prepared, answer, cancellationToken);
        }

        return answer;
    }

    private async Task<ChatAnswer> ProduceAsync(PreparedQuestion prepared, Action<string>? onToken, CancellationToken cancellationToken)
    {
        if (prepared.Translated is { } translated)
        {
            return FromTranslation(prepared, translated, onToken);
        }

        if (!prepared.HasEvidence)
        {
            LogRefused(logger, prepared.EvidenceScore);
            var refusal = Refusal(prepared);
            onToken?.Invoke(refusal.Answer);
            return refusal;
        }

        var cacheable = prepared.Query.History.Count == 0 && prepared.Query.SelectedText is null;
        if (!cacheable)
        {
            return await GenerateAsync(prepared, onToken, cancellationToken);
        }

        // Read-only lookup, then generation in the request's own flow (its log scope and its cancellation),
        // rather than a cache factory that would run apart from the request.
        var key = await CacheKeyAsync(prepared, cancellationToken);

        var response = await cache.GetOrCreateAsync(
            key,
            static _ => ValueTask.FromResult<ChatAnswer?>(null),
            new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite },
            cancellationToken: cancellationToken);
        if (response is not null)
        {
            LogCacheHit(logger);
            metrics?.CacheHit();
            onToken?.Invoke(response.Answer);
        }
        else
        {
            response = await GenerateOnceAsync(key, prepared, onToken, cancellationToken);
        }

        return response with { AnswerId = NewAnswerId(), LatencyMs = prepared.Watch.ElapsedMilliseconds };
    }

    /// <summary>
    /// Readers asking the same question at the same moment (a suggested question, a shared link) share one model call:
    /// the first writes the answer, the others wait for it. If the first fails or leaves, the next one writes its own.
    /// </summary>
    private async Task<ChatAnswer> GenerateOnceAsync(string key, PreparedQuestion prepared, Action<string>? onToken, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<ChatAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = writing.GetOrAdd(key, mine.Task);
        if (writer != mine.Task)
        {
            LogJoined(logger);
            try
            {
                var shared = await writer.WaitAsync(cancellationToken);
                onToken?.Invoke(shared.Answer);
                return shared;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return await GenerateOnceAsync(key, prepared, onToken, cancellationToken);
            }
        }

        try
        {
            var response = await GenerateAsync(prepared, onToken, cancellationToken);

            // Degraded answers are not kept: the next reader should get the model again.
            if (!response.Degraded)
            {
                await cache.SetAsync(key, response, new HybridCacheEntryOptions { Expiration = settings.CacheFor, LocalCacheExpiration = settings.CacheFor }, cancellationToken: cancellationToken);
            }

            mine.TrySetResult(response);
            return response;
        }
        finally
        {
            // Those waiting write their own answer (cancelled, not failed: nothing is left unobserved).
            mine.TrySetCanceled(CancellationToken.None);
            writing.TryRemove(new KeyValuePair<string, Task<ChatAnswer>>(key, mine.Task));
        }
    }

    private async Task<ChatAnswer> GenerateAsync(PreparedQuestion prepared, Action<string>? onToken, CancellationToken cancellationToken)
    {
        if (chat is null)
        {
            return Extractive(prepared, degraded: false, onToken);
        }

        var streamed = false;
        try
        {
            var response = await GenerativeAsync(prepared, token =>
            {
                streamed = true;
                onToken?.Invoke(token);
            }, cancellationToken);
            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogGenerationFailed(logger, ex.Message);

            // Tokens already sent are replaced on the client by the final answer. A borderline question was the
            // model's to judge: without it, the gate's "no" stands.
            return prepared.Evidence == Evidence.Borderline
                ? Refusal(prepared) with { Degraded = true }
                : Extractive(prepared, degraded: true, streamed ? null : onToken);
        }
    }

    private async Task<ChatAnswer> GenerativeAsync(PreparedQuestion prepared, Action<string> onToken, CancellationToken cancellationToken)
    {
        var passages = Passages(prepared);
        var (messages, options, documentIds) = GroundedGenerator.Build(prepared.Query, prepared.Standalone, passages, modelId: null, prepared.Language);
        var generation = Stopwatch.StartNew();
        var text = new System.Text.StringBuilder();
        var contents = new List<AIContent>();
        await foreach (var update in chat!.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            var delta = update.Text;
            if (delta.Length > 0)
            {
                text.Append(delta);
                onToken(delta);
            }

            contents.AddRange(update.Contents);
        }

        LogGenerated(logger, generation.ElapsedMilliseconds, text.Length);
        var usage = contents.OfType<UsageContent>().LastOrDefault()?.Details;
        metrics?.Generated(chat.GetService<ChatClientMetadata>()?.ProviderName ?? "llm", generation.Elapsed, usage?.InputTokenCount, usage?.OutputTokenCount);
        var raw = text.ToString().Trim();
        if (raw.Length == 0 || raw.StartsWith(GroundedGenerator.NotCovered.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
        {
            return Refusal(prepared);
        }

        // Every cited URL and anchor must exist in the index; citations of anything else are dropped.
        var candidates = SourcesFor(prepared, passages);
        var known = new bool[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            known[i] = candidates[i] is { } candidate && await catalog.IsKnownUrlAsync(candidate.Url, cancellationToken);
        }

        var marked = CitationMarkers.FromSpans(raw, CitationMarkers.Spans(contents), documentIds, i => known[i]);
        if (marked.Dropped > 0)
        {
            LogDroppedCitations(logger, marked.Dropped);
        }

        var sources = marked.Cited.Select(i => candidates[i]!).ToList();
        var grounded = sources.Count > 0;
        if (!grounded)
        {
            sources.AddRange(candidates.OfType<ChatSource>().Take(settings.RefusalSources));
        }

        return Response(prepared, PlainText.FromModel(marked.Text), sources, AnswerModes.Generative, grounded, degraded: false);
    }

    private ChatAnswer Extractive(PreparedQuestion prepared, bool degraded, Action<string>? onToken)
    {
        var passages = Passages(prepared);
        var sentences = new List<AnswerSentence>();
        var sources = new List<ChatSource>();
        if (prepared.Query.SelectedText is { } selected)
        {
            var selectionChunk = prepared.Selection ?? SelectionChunk(selected, prepared.Page?.PageUrl);
            var fromSelection = ExtractiveAnswerer.Select(prepared.Standalone + " " + selected, [selectionChunk]);
            sentences.AddRange(fromSelection.Count > 0 ? fromSelection : [new AnswerSentence(Clip(selected, 300), 0)]);
            sources.Add(Source(selectionChunk, 1));
            passages = passages.Where(p => p.Id != selectionChunk.Id).ToArray();
        }

        var offset = sources.Count;
        var fromBook = ExtractiveAnswerer.Select(prepared.Standalone, passages);
        sentences.AddRange((offset == 0 ? fromBook : fromBook.Take(1)).Select(s => s with { Source = s.Source + offset }));
        sources.AddRange(passages.Select((p, i) => Source(p, prepared.Hits.FirstOrDefault(h => h.Chunk.Id == p.Id)?.DenseScore ?? 0)));

        return Cited(prepared, sentences, sources, degraded, onToken);
    }

    /// <summary>An extractive answer from the sentences, citing only the sources they come from (renumbered in order).</summary>
    private ChatAnswer Cited(PreparedQuestion prepared, IReadOnlyList<AnswerSentence> sentences, IReadOnlyList<ChatSource> sources, bool degraded, Action<string>? onToken)
    {
        if (sentences.Count == 0)
        {
            return Refusal(prepared);
        }

        var used = sentences.Select(s => s.Source).Distinct().ToList();
        var renumbered = sentences.Select(s => s with { Source = used.IndexOf(s.Source) }).ToArray();
        var answer = ExtractiveAnswerer.Compose(renumbered);
        var cited = used.Select(i => sources[i]).ToList();
        foreach (var word in Tokens(answer))
        {
            onToken?.Invoke(word);
        }

        return Response(prepared, answer, cited, AnswerModes.Extractive, grounded: true, degraded);
    }

    /// <summary>
    /// An Urdu question answered offline from the book's Urdu translation: the best sentences of the translated
    /// sections, citing the English sections they translate; or, with no translation at all, how to make Urdu work.
    /// </summary>
    private ChatAnswer FromTranslation(PreparedQuestion prepared, Translation.TranslatedSearchResult translated, Action<string>? onToken)
    {
        if (!translated.BookTranslated)
        {
            onToken?.Invoke(QuestionLanguage.UrduNeedsModel);
            return Response(prepared, QuestionLanguage.UrduNeedsModel, [], AnswerModes.Refusal, grounded: false, degraded: false);
        }

        var matches = translated.Matches.Take(Math.Max(prepared.Query.TopK, 1)).ToArray();
        var sentences = ExtractiveAnswerer.Select(string.Join(' ', QuestionLanguage.UrduTerms(prepared.Standalone)), matches.Select(m => m.Urdu).ToArray());
        var answer = Cited(prepared, sentences, matches.Select(m => Source(m.English, m.Coverage)).ToArray(), degraded: false, onToken);
        if (answer.Mode == AnswerModes.Refusal)
        {
            onToken?.Invoke(answer.Answer);
        }

        return answer;
    }

    private ChatAnswer Refusal(PreparedQuestion prepared)
        => Response(
            prepared,
            prepared.Language.Refusal,
            prepared.Hits.Take(settings.RefusalSources).Select(h => Source(h.Chunk, h.DenseScore ?? h.Score)).ToArray(),
            AnswerModes.Refusal,
            grounded: false,
            degraded: false);

    private ChatAnswer Response(
        PreparedQuestion prepared, string answer, IReadOnlyList<ChatSource> sources, string mode, bool grounded, bool degraded)
        => new(
            answer,
            sources,
            NewAnswerId(),
            mode,
            grounded,
            degraded,
            CitationSpans(answer),
            Suggestions(prepared, sources),
            prepared.Watch.ElapsedMilliseconds)
        {
            StandaloneQuestion = prepared.Standalone == prepared.Query.Question ? null : prepared.Standalone,
        };

    private BookChunk[] Passages(PreparedQuestion prepared)
        => prepared.Hits.Select(h => h.Chunk).DistinctBy(c => c.Url).Take(Math.Max(prepared.Query.TopK, 1)).ToArray();

    /// <summary>The sources in document order: the selection first when there is one, then the passages.</summary>
    private List<ChatSource?> SourcesFor(PreparedQuestion prepared, IReadOnlyList<BookChunk> passages)
    {
        var sources = new List<ChatSource?>();
        if (prepared.Query.SelectedText is { } selected)
        {
            sources.Add(prepared.Selection is { } chunk ? Source(chunk, 1) : null);
        }

        sources.AddRange(passages.Select(p => (ChatSource?)Source(p, prepared.Hits.FirstOrDefault(h => h.Chunk.Id == p.Id)?.DenseScore ?? 0)));
        return sources;
    }

    private static ChatSource Source(BookChunk chunk, double score)
        => new(
            chunk.Url,
            chunk.PageTitle,
            chunk.Heading,
            string.Join(" › ", chunk.TitlePath.Count > 0 ? [chunk.TitlePath[0], chunk.Heading] : [chunk.PageTitle, chunk.Heading]),
            Snippet(chunk),
            Math.Round(score, 4));

    private static string Snippet(BookChunk chunk)
    {
        var path = string.Join(" › ", chunk.TitlePath);
        var body = chunk.Text.StartsWith(path, StringComparison.Ordinal) ? chunk.Text[path.Length..] : chunk.Text;
        return Clip(ChatRequestValidator.Normalise(body), 240);
    }

    /// <summary>The chunk of the reader's page that holds the selected text, when the index has it.</summary>
    private async Task<BookChunk?> FindSelectionAsync(string selected, CatalogPage? page, CancellationToken cancellationToken)
    {
        var hits = await store.SearchAsync(new SearchRequest(ReadOnlyMemory<float>.Empty, Clip(selected, 500), 3, SearchMode.Keyword, page?.PageUrl), cancellationToken);
        var terms = TextAnalyzer.Terms(selected).ToHashSet(StringComparer.Ordinal);
        return terms.Count == 0 ? null : hits.Select(h => h.Chunk).FirstOrDefault(c => EvidenceGate.Coverage(terms, c.Text) >= 0.8);
    }

    /// <param name="pageUrl">The index's URL of the reader's page, never the page_url as sent: it becomes a link.</param>
    private static BookChunk SelectionChunk(string selected, string? pageUrl)
        => new("selection", pageUrl ?? "", pageUrl ?? "", "Selected text", "Selected text", "", ["Selected text"], 0, selected, selected, "");

    /// <summary>Each <c>[n]</c> marker with the sentence it ends, as answer spans → source indexes.</summary>
    private static IReadOnlyList<ChatCitation> CitationSpans(string answer)
    {
        var citations = new List<ChatCitation>();
        var start = 0;
        foreach (System.Text.RegularExpressions.Match run in MarkerRun().Matches(answer))
        {
            var numbers = System.Text.RegularExpressions.Regex.Matches(run.Value, @"\d+").Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture) - 1).ToArray();
            var end = run.Index;
            var text = answer[start..end].Trim();
            if (text.Length > 0)
            {
                var offset = answer.IndexOf(text, start, StringComparison.Ordinal);
                citations.Add(new ChatCitation(offset, offset + text.Length, text, numbers));
            }

            start = run.Index + run.Length;
        }

        return citations;
    }

    private static IReadOnlyList<string> Suggestions(PreparedQuestion prepared, IReadOnlyList<ChatSource> sources)
        => prepared.Hits
            .Select(h => h.Chunk)
            .Where(c => sources.All(s => s.Url != c.Url) && c.Anchor.Length > 0)
            .DistinctBy(c => c.Heading)
            .Take(3)
            .Select(c => $"What does the book say about {c.Heading}?")
            .ToArray();

    private async Task<string> CacheKeyAsync(PreparedQuestion prepared, CancellationToken cancellationToken)
    {
        var version = await catalog.IndexVersionAsync(cancellationToken);
        var question = prepared.Standalone.ToLowerInvariant();
        return $"chat:v1:{version}:{prepared.Query.TopK}:{prepared.Language.CacheKey}:{prepared.Page?.PageUrl}:{question}";
    }

    private static IEnumerable<string> Tokens(string answer)
    {
        var start = 0;
        for (var i = 1; i <= answer.Length; i++)
        {
            if (i == answer.Length || answer[i] == ' ')
            {
                yield return answer[start..i];
                start = i;
            }
        }
    }

    private static string NewAnswerId() => Guid.NewGuid().ToString("N");

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length].TrimEnd() + "…";

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:\s?\[\d+\])+")]
    private static partial System.Text.RegularExpressions.Regex MarkerRun();

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Refused: the book holds no evidence (evidence score {Score:F3})")]
    private static partial void LogRefused(ILogger logger, double score);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Answered from the cache")]
    private static partial void LogCacheHit(ILogger logger);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "The same question is being answered for another reader; waiting for that answer")]
    private static partial void LogJoined(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Reason}; answering extractively (degraded)")]
    private static partial void LogGenerationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Generated {Characters} characters in {ElapsedMs} ms")]
    private static partial void LogGenerated(ILogger logger, long elapsedMs, int characters);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Dropped {Count} citation(s) that named no document of the index")]
    private static partial void LogDroppedCitations(ILogger logger, int count);
}
