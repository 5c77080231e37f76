using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.Vocabulary;

namespace RagFunctions.Chat;

/// <summary>
/// The chat pipeline: follow-up (and into-English) rewrite → spelling correction → hybrid retrieval → evidence gate →
/// a grounded answer from the language model with checked citations, or an extractive answer when there is no model
/// (or it fails), or an honest refusal, in the question's language. Urdu questions the model did not put into English
/// (there is none, or it answered in Urdu twice) are searched in the book's stored Urdu translation
/// (<see cref="TranslatedBookSearch"/>) or, without one, by their English loanwords (<see cref="UrduLoanwords"/>). The answer comes as one stream of
/// <see cref="ChatEvent"/>s: from <see cref="GroundedGenerator"/> or <see cref="ExtractiveComposer"/>, kept and
/// shared by <see cref="AnswerCache"/>.
/// </summary>
internal sealed partial class ChatService(
    Retriever retriever,
    QuestionRewriter rewriter,
    BookCatalog catalog,
    IVectorStore store,
    AnswerCache answers,
    AnswerSources sources,
    ExtractiveComposer extractive,
    GroundedGenerator generator,
    ChatPipelineOptions settings,
    ILogger<ChatService> logger,
    IAnswerLog answerLog,
    StartupIngestion startup,
    IndexVocabulary vocabulary,
    TranslatedBookSearch translatedBook,
    IChatClient? chat = null)
{
    public async Task<PreparedQuestion> PrepareAsync(ChatQuery query, CancellationToken cancellationToken)
    {
        if (startup.BuildingFirstIndex)
        {
            throw new IndexBuildingException();
        }

        var watch = Stopwatch.StartNew();
        var language = QuestionLanguage.Detect(query.Question, query.Language);
        var standalone = await rewriter.StandaloneAsync(query.Question, query.History, language, cancellationToken);
        var page = await catalog.FindPageAsync(query.PageUrl, cancellationToken);
        var words = await vocabulary.GetAsync(cancellationToken);
        IReadOnlyList<string>? loanwords = null;
        if (language.Script == QuestionScript.Urdu && !QuestionLanguage.IsMostlyLatin(standalone) && query.SelectedText is null)
        {
            // No English rewrite (no model, or its rewrite stayed in Urdu): the book's Urdu translation is searched
            // when there is one; otherwise the question's English loanwords (ٹاپک → topic) are (a question about
            // selected text is answered from the selection, as in English).
            var translated = await translatedBook.SearchAsync(standalone, Math.Max(query.TopK, settings.Passages), cancellationToken);
            if (translated.BookTranslated)
            {
                var found = translated.Matches.Select(m => new SearchHit(m.English, m.Coverage)).ToArray();
                return new PreparedQuestion(query, standalone, page, found, null, found.Length > 0, watch) { Language = language, Translated = translated };
            }

            loanwords = UrduLoanwords.Match(standalone, words);
            if (loanwords.Count == 0)
            {
                return new PreparedQuestion(query, standalone, page, [], null, false, watch) { Language = language, Loanwords = loanwords };
            }

            standalone = string.Join(' ', loanwords);
        }

        // Corrected once, here: the evidence gate and the answer read the corrected question, and the retriever searches it.
        standalone = words.CorrectText(standalone);
        // What is asked about, without how the reader wants it told: "with an example" would find the book's examples.
        var asked = QuestionIntent.WithoutManner(standalone);
        var searchText = query.SelectedText is null ? asked : $"{asked} {words.CorrectText(PlainText.Clip(query.SelectedText, 600))}";
        // Twice the passages an answer draws on, so that a quiz or an exercise section found among them can be passed over.
        var hits = await retriever.SearchCorrectedAsync(searchText, 2 * Math.Max(query.TopK, settings.Passages), page, cancellationToken);

        BookChunk? selection = null;
        if (query.SelectedText is { } selected)
        {
            selection = await FindSelectionAsync(selected, page, cancellationToken);
        }

        // A selection is evidence in itself; otherwise the book must hold some.
        var signals = EvidenceGate.Measure(asked, hits, words);
        var evidence = query.SelectedText is not null ? Evidence.Clear : EvidenceGate.Judge(signals.Score, settings, withModel: chat is not null);
        return new PreparedQuestion(query, standalone, page, hits, selection, evidence != Evidence.None, watch)
        {
            Language = language,
            Evidence = evidence,
            Signals = signals,
            Loanwords = loanwords,
        };
    }

    /// <summary>
    /// One question through the pipeline as a reader's goes, for the warm-up at start (<see cref="ChatWarmup"/>): prepared,
    /// answered from the book (or refused) with its sources and citations, its markers taken out as for
    /// <c>/stream-chat</c>, its events' JSON written, and taken through the answer cache without leaving it there. No
    /// language model is called, and nothing is kept, recorded in the answer log or logged as a question.
    /// </summary>
    /// <returns>The answer, as <c>/chat</c> would send it.</returns>
    public async Task<ChatAnswer> WarmAsync(ChatQuery query, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(query, cancellationToken);
        var events = prepared.HasEvidence ? await extractive.AnswerAsync(prepared, degraded: false, cancellationToken) : ChatEvent.AtOnce(sources.Refusal(prepared));
        var unmarked = new MarkerFilter();
        ChatAnswer? answer = null;
        foreach (var item in events)
        {
            answer = (item as ChatEvent.Done)?.Answer ?? answer;

            // The events' JSON as /stream-chat writes it, markers taken out; dropped.
            _ = ChatJson.Of(item switch
            {
                ChatEvent.Token token => new ChatEvent.Token(unmarked.Write(token.Text)),
                ChatEvent.Done done => new ChatEvent.Done(CitationMarkers.WithoutMarkers(done.Answer)),
                _ => item,
            });
        }

        answer ??= sources.Refusal(prepared);
        await answers.WarmAsync(prepared, answer, cancellationToken);
        return answer;
    }

    /// <summary>The whole answer at once (<c>/chat</c>): the answer's events read to the end.</summary>
    public async Task<ChatAnswer> AnswerAsync(PreparedQuestion prepared, CancellationToken cancellationToken)
    {
        ChatAnswer? answer = null;
        await foreach (var item in StreamAsync(prepared, cancellationToken))
        {
            answer = (item as ChatEvent.Done)?.Answer ?? answer;
        }

        return answer ?? throw new InvalidOperationException("The answer's events ended without the answer.");
    }

    /// <summary>
    /// The answer as events (<c>/stream-chat</c>): tokens as the model writes them, then the answer. Every answer is
    /// noted in the <see cref="IAnswerLog"/>. Answers are made (and kept) with <c>[n]</c> markers; a request without
    /// them gets tokens and answer with the markers taken out.
    /// </summary>
    public async IAsyncEnumerable<ChatEvent> StreamAsync(PreparedQuestion prepared, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var unmarked = prepared.Query.CitationMarkers ? null : new MarkerFilter();
        await foreach (var item in ProduceAsync(prepared, cancellationToken))
        {
            if (item is ChatEvent.Token token)
            {
                if (unmarked?.Write(token.Text) is { } text)
                {
                    token = new ChatEvent.Token(text);
                }

                if (token.Text.Length > 0)
                {
                    yield return token;
                }

                continue;
            }

            if (unmarked?.Flush() is { Length: > 0 } rest)
            {
                yield return new ChatEvent.Token(rest);
            }

            var answer = ((ChatEvent.Done)item).Answer;
            answer = prepared.Query.CitationMarkers ? answer : CitationMarkers.WithoutMarkers(answer);
            await answerLog.RecordAsync(prepared, answer, cancellationToken);
            yield return new ChatEvent.Done(answer);
        }
    }

    private async IAsyncEnumerable<ChatEvent> ProduceAsync(PreparedQuestion prepared, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (prepared.Translated is { } translated)
        {
            foreach (var item in extractive.FromTranslation(prepared, translated))
            {
                yield return item;
            }

            yield break;
        }

        if (!prepared.HasEvidence)
        {
            LogRefused(logger, prepared.EvidenceScore);
            foreach (var item in ChatEvent.AtOnce(sources.Refusal(prepared)))
            {
                yield return item;
            }

            yield break;
        }

        await foreach (var item in answers.AnswerAsync(prepared, GenerateAsync, cancellationToken))
        {
            yield return item;
        }
    }

    private async IAsyncEnumerable<ChatEvent> GenerateAsync(PreparedQuestion prepared, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (chat is null)
        {
            foreach (var item in await extractive.AnswerAsync(prepared, degraded: false, cancellationToken))
            {
                yield return item;
            }

            yield break;
        }

        var streamed = false;
        Exception? failure = null;
        await using (var generated = generator.AnswerAsync(prepared, chat, cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            while (true)
            {
                try
                {
                    if (!await generated.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failure = ex;
                    break;
                }

                streamed |= generated.Current is ChatEvent.Token;
                yield return generated.Current;
            }
        }

        if (failure is null)
        {
            yield break;
        }

        LogGenerationFailed(logger, failure.Message);

        // Tokens already sent are replaced on the client by the final answer. A borderline question was the
        // model's to judge: without it, the gate's "no" stands.
        var fallback = prepared.Evidence == Evidence.Borderline
            ? [new ChatEvent.Done(sources.Refusal(prepared) with { Degraded = true })]
            : await extractive.AnswerAsync(prepared, degraded: true, cancellationToken);
        foreach (var item in fallback.Where(e => !streamed || e is ChatEvent.Done))
        {
            yield return item;
        }
    }

    /// <summary>
    /// The chunk of the reader's page that holds the selected text, when the index has it: the one with its words in
    /// order, else (a selection across a list or a table, whose words the page shows otherwise) one with most of them.
    /// </summary>
    private async Task<BookChunk?> FindSelectionAsync(string selected, CatalogPage? page, CancellationToken cancellationToken)
    {
        var hits = await store.SearchAsync(new SearchRequest(ReadOnlyMemory<float>.Empty, PlainText.Clip(selected, 500), 3, SearchMode.Keyword, page?.PageUrl), cancellationToken);
        var terms = TextAnalyzer.Terms(selected).ToHashSet(StringComparer.Ordinal);
        var chunks = hits.Select(h => h.Chunk).ToArray();
        return terms.Count == 0 ? null : chunks.FirstOrDefault(c => SelectedText.IsIn(selected, c.Text)) ?? chunks.FirstOrDefault(c => EvidenceGate.Coverage(terms, c.Text) >= 0.8);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Refused: the book holds no evidence (evidence score {Score:F3})")]
    private static partial void LogRefused(ILogger logger, double score);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Reason}; answering extractively (degraded)")]
    private static partial void LogGenerationFailed(ILogger logger, string reason);
}
