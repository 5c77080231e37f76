using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>
/// Answers made of the book's own sentences (<see cref="ExtractiveAnswerer"/>) when there is no language model or it
/// failed: from the selected text and the top passages (for an Urdu question found by its English loanwords, in
/// English under a one-line Urdu note), or, for an Urdu question offline, from the book's Urdu translation. Each cites only the sources its sentences come from; it streams word by word.
/// </summary>
internal sealed class ExtractiveComposer(AnswerSources sources, SectionReader sections)
{
    /// <summary>
    /// From the selection (when there is one) and the passages, the first read with the rest of its section; with no
    /// sentence to give, a refusal sent as the answer alone.
    /// </summary>
    public async Task<IEnumerable<ChatEvent>> AnswerAsync(PreparedQuestion prepared, bool degraded, CancellationToken cancellationToken)
    {
        var passages = prepared.Passages();
        if (passages.Length > 0)
        {
            passages[0] = await sections.WithItsSectionAsync(passages[0], cancellationToken);
        }

        var found = new List<ChatSource>();
        var question = prepared.Standalone;
        IReadOnlyList<AnswerSentence> sentences;
        if (prepared.Query.SelectedText is { } selected)
        {
            // A question about a selection is answered from the sections that explain what it talks about (other than
            // the ones that hold it): those headed with its subject ("What is a Topic?" for "A topic is …"), asked about
            // that, else any, asked with the selection's words; else from the rest of the selection's own section; the
            // selection itself only when nothing else says anything. Nothing that repeats the selection is quoted.
            var selectionChunk = prepared.Selection ?? SelectionChunk(selected, prepared.Page?.PageUrl);
            found.Add(AnswerSources.Source(selectionChunk, 1));
            passages = passages.Where(p => p.Id != selectionChunk.Id && !SelectedText.IsIn(selected, p.Text)).ToArray();
            IReadOnlyList<AnswerSentence> Fresh(string asked, IReadOnlyList<BookChunk> from) => ExtractiveAnswerer.Select(asked, from).Where(s => !SelectedText.Repeats(selected, s.Text)).ToArray();
            var about = SelectedText.AboutItsSubject(question, selected);
            var headed = about is { } a ? passages.Select((p, i) => (p, i)).Where(x => SelectedText.HeadingNames(x.p, a.Subject)).ToArray() : [];
            IReadOnlyList<AnswerSentence> fromBook = headed.Length > 0
                ? Fresh(about!.Value.Question, headed.Select(x => x.p).ToArray()).Select(s => s with { Source = headed[s.Source].i }).ToArray()
                : [];
            if (fromBook.Count == 0)
            {
                fromBook = Fresh($"{question} {PlainText.Clip(selected, 300)}", passages);
            }

            sentences = fromBook.Count > 0
                ? fromBook.Select(s => s with { Source = s.Source + 1 }).ToArray()
                : Fresh($"{question} {selected}", [selectionChunk]) is { Count: > 0 } own
                    ? own
                    : [new AnswerSentence(PlainText.Clip(selected, 300), 0)];
        }
        else
        {
            // "What is a ROS 2 node?": the section headed with the subject ("Nodes") is a passage wherever the search ranked
            // it among its hits ("ros2 node list" in other sections outranks it on words).
            var intent = QuestionIntent.Of(question);
            if (intent is { AsksWhatItIs: true, Subject: { Count: > 0 } subject } && passages.Length > 1 && !passages.Any(p => p.IsHeadedWith(subject))
                && prepared.Hits.Select(h => h.Chunk).FirstOrDefault(c => c.IsHeadedWith(subject) && !PassageUnits.IsNoiseSection(c)) is { } headed)
            {
                passages[^1] = headed;
            }

            sentences = ExtractiveAnswerer.Select(question, passages, intent);
        }

        var firstPassage = found.Count;
        found.AddRange(passages.Select(p => AnswerSources.Passage(prepared, p)));
        sentences = await CitedWhereTheyAreAsync(sentences, passages, firstPassage, found, cancellationToken);
        var answer = Cited(prepared, sentences, found, degraded);
        return answer.Mode == AnswerModes.Extractive ? ChatEvent.WordByWord(answer) : [new ChatEvent.Done(answer)];
    }

    /// <summary>
    /// A piece from a small section merged into its passage's chunk ("Exit codes" inside "--check") is cited at that
    /// section's own heading: a source of its own in <paramref name="found"/>, which the piece then points to.
    /// </summary>
    private async Task<IReadOnlyList<AnswerSentence>> CitedWhereTheyAreAsync(
        IReadOnlyList<AnswerSentence> sentences, BookChunk[] passages, int firstPassage, List<ChatSource> found, CancellationToken cancellationToken)
    {
        var cited = new List<AnswerSentence>(sentences.Count);
        var read = new Dictionary<(int Passage, string Heading), BookChunk>();
        foreach (var sentence in sentences)
        {
            var passage = sentence.Source - firstPassage;
            if (sentence.MergedHeading is not { } heading || passage < 0 || passage >= passages.Length)
            {
                cited.Add(sentence);
                continue;
            }

            // Pieces of one merged section read its page once.
            if (!read.TryGetValue((passage, heading), out var merged))
            {
                read[(passage, heading)] = merged = await sections.AsMergedSectionAsync(passages[passage], heading, cancellationToken);
            }

            if (merged.Url == passages[passage].Url)
            {
                cited.Add(sentence);
                continue;
            }

            var at = found.FindIndex(f => f.Url == merged.Url);
            if (at < 0)
            {
                found.Add(AnswerSources.Source(merged, found[sentence.Source].Score));
                at = found.Count - 1;
            }

            cited.Add(sentence with { Source = at });
        }

        return cited;
    }

    /// <summary>
    /// An Urdu question answered offline from the book's Urdu translation: the best sentences of the translated
    /// sections, citing the English sections they translate.
    /// </summary>
    public IEnumerable<ChatEvent> FromTranslation(PreparedQuestion prepared, TranslatedSearchResult translated)
    {
        var matches = translated.Matches.Take(Math.Max(prepared.Query.TopK, 1)).ToArray();
        var sentences = ExtractiveAnswerer.Select(string.Join(' ', QuestionLanguage.UrduTerms(prepared.Standalone)), matches.Select(m => m.Urdu with { Markdown = "" }).ToArray());
        var answer = Cited(prepared, sentences, matches.Select(m => AnswerSources.Source(m.English, m.Coverage)).ToArray(), degraded: false);
        return answer.Mode == AnswerModes.Extractive ? ChatEvent.WordByWord(answer) : ChatEvent.AtOnce(answer);
    }

    /// <summary>An extractive answer from the sentences, citing only the sources they come from (renumbered in order).</summary>
    private ChatAnswer Cited(PreparedQuestion prepared, IReadOnlyList<AnswerSentence> sentences, IReadOnlyList<ChatSource> candidates, bool degraded)
    {
        if (sentences.Count == 0)
        {
            return sources.Refusal(prepared);
        }

        var used = sentences.Select(s => s.Source).Distinct().ToList();
        var renumbered = sentences.Select(s => s with { Source = used.IndexOf(s.Source) }).ToArray();
        var answer = ExtractiveAnswerer.Compose(renumbered);
        if (prepared.Loanwords is { Count: > 0 } loanwords)
        {
            // English sentences for an Urdu question: one line in Urdu says why, and which words were searched.
            answer = QuestionLanguage.EnglishAnswerNote(loanwords) + "\n\n" + answer;
        }

        return AnswerSources.Answer(prepared, answer, used.Select(i => candidates[i]).ToList(), AnswerModes.Extractive, grounded: true, degraded);
    }

    /// <param name="pageUrl">The index's URL of the reader's page, never the page_url as sent: it becomes a link.</param>
    private static BookChunk SelectionChunk(string selected, string? pageUrl)
        => new("selection", pageUrl ?? "", pageUrl ?? "", "Selected text", "Selected text", "", ["Selected text"], 0, selected, selected, "");
}
