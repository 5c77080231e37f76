using System.Text;
using System.Text.RegularExpressions;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>A piece of the answer and the source (index into <c>sources</c>) it came from; a block (list, code, table) stands on lines of its own.</summary>
/// <param name="MergedHeading">The heading of the small section merged into the source's chunk that the piece comes from, if it does.</param>
internal sealed record AnswerSentence(string Text, int Source, bool IsBlock = false, bool Joins = false, string? MergedHeading = null);

/// <summary>
/// Answers without a language model, from the book's own words, chosen by what the question asks
/// (<see cref="QuestionIntent"/>) rather than by shared words alone:
/// <list type="bullet">
/// <item>a definition question gets the sentence that defines its subject, in the section titled with it;</item>
/// <item>a how-to gets the steps or the code block (byte for byte) with the sentence that introduces it;</item>
/// <item>a list question gets the whole list; a comparison or two-part question gets each part, from two sections when needed;</item>
/// <item>anything else gets the sentence that holds most of the question's rare words, with its neighbours.</item>
/// </list>
/// Every piece is scored by the question's words it holds (weighted by how rare each is among the candidates), the
/// words of the headings above it (which a section's sentences need not repeat), the section's rank, and how well
/// its kind fits the question. Quizzes, diagrams, link lists and markup are never candidates (<see cref="PassageUnits"/>);
/// a sentence that opens with "It"/"This" comes with the sentence it points back to, or not at all.
/// Kept whole (over 300 lines): choosing a piece and choosing what comes with it are one scoring, read best side by side.
/// </summary>
internal static partial class ExtractiveAnswerer
{
    private const int SectionsConsidered = 5;

    /// <summary>The most lines a command or two has, which may come with a side of a comparison; a longer listing may not.</summary>
    private const int ShortListingLines = 5;

    /// <summary>How many words open a definition before its verb at most ("The zero moment point (ZMP) is …").</summary>
    private const int SubjectReach = 6;

    /// <summary>
    /// A quoted piece shorter than this reads on under its heading, up to and including its first block: the sentence
    /// that matches the question best is often followed by the one with the figure or the reason ("The allowed contact
    /// forces form a friction cone with half-angle atan(μ)" after the definition of force closure). From 60 to 120 words,
    /// key words rose on four of the eight tuned sets (the sample book 89.8 → 95.2 %), on held-out corpus-d (75 → 85 %)
    /// and on dev Prettier (75 → 83.3 %), and fell on none.
    /// </summary>
    private const int EnoughWords = 120;
    private const int AnswerWords = 160;
    private const int FollowingSentences = 2;
    private const double SecondSectionShare = 0.2;

    /// <summary>How many pieces on from the best one the rarest question word is looked for (<see cref="RarestWordFurtherOn"/>).</summary>
    private const int RarestWordReach = 6;

    /// <summary>
    /// How much more a reference entry headed with a name the question uses counts: from 2.5 to 6 the eight question sets get
    /// the same answers (Prettier +1.5, Jest +1.4 key words; at 1.5 neither moves); at 5 it can also lead over a longer entry
    /// that shares more of the question's words. On Prettier's CLI page "--cache-location" still leads for "What does the
    /// --cache flag do?", and "--cache" now follows it.
    /// </summary>
    private const double NamedEntryWeight = 5;

    /// <summary>
    /// What a question word counts for when only the headings above a piece say it, against 1 when the piece says it: a
    /// section's sentences need not repeat what its heading names. 0.7 rather than 0.5: on three of the eight books more
    /// answers carry their key words, on none fewer.
    /// </summary>
    private const double HeadingWordWeight = 0.7;

    /// <summary>
    /// The share of the question's word weight a heading must name for the sentence that opens it to be a candidate
    /// without a question word of its own (one book of eight answers more questions with it, none fewer; at 0.2 one book
    /// loses a question).
    /// </summary>
    private const double HeadingShare = 0.35;

    /// <summary>How much a chapter's recap counts against the sections that teach what it sums up.</summary>
    private const double RecapWeight = 0.5;

    private static readonly HashSet<string> SectionOpeners = new(StringComparer.OrdinalIgnoreCase) { "this", "these" };

    private static readonly HashSet<string> AboutTheBook = new(StringComparer.OrdinalIgnoreCase)
    {
        "chapter", "chapters", "section", "sections", "page", "pages", "lesson", "lessons", "module", "modules", "course", "document", "guide", "tutorial", "book", "part", "unit", "article", "post",
    };

    private static readonly HashSet<string> ReferringStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "this", "these", "that", "those", "it", "they", "such", "here", "both", "each", "its", "their", "then", "so", "however", "also", "instead",
        "which", "and", "but", "or", "because", "otherwise", "therefore", "thus", "hence",
    };

    /// <summary>Words that give a reason or a purpose: a why-question's answer holds one.</summary>
    private static readonly string[] ExplainingWords =
    [
        "because", " so that ", " since ", " causes ", " due to ", "otherwise", " in order to ", " to avoid ", " to prevent ", " to make sure ", " to ensure ",
        " so you can ", "the reason", "downside", "drawback",
    ];

    /// <summary>Words an abbreviation leaves out ("Robot Operating System", "Quality of Service").</summary>
    private static readonly HashSet<string> SmallWords = new(StringComparer.Ordinal) { "of", "and", "for", "the", "to", "in", "on", "a" };

    private static readonly string[] ExampleOpenings = ["For example", "For instance", "Imagine", "Consider", "e.g.", "Here is an example", "Here's an example"];

    /// <summary>Words that follow a verb, never a plural noun that opens a sentence.</summary>
    private static readonly HashSet<string> VerbObjects = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "all", "any", "every", "each", "everything", "whether", "if", "how", "what", "which", "you", "it", "its", "this", "these",
        "those", "one", "true", "false", "no", "multiple", "some", "your", "both", "only", "whatever", "up", "out", "back", "over",
    };

    /// <summary>The verbs that say what something is, after its name ("A topic is …", "A transmission defines …").</summary>
    internal static readonly HashSet<string> Copulas = new(StringComparer.Ordinal)
    {
        "is", "are", "refers", "means", "describes", "represents", "stands", "defines", "provides", "measures", "consists", "enables", "allows", "lets",
    };

    /// <param name="intent">The question as read (<see cref="QuestionIntent.Of"/>), when the caller has read it already.</param>
    public static IReadOnlyList<AnswerSentence> Select(string question, IReadOnlyList<BookChunk> sources, QuestionIntent? intent = null)
    {
        intent ??= QuestionIntent.Of(question);
        if (intent.Terms.Count == 0 || sources.Count == 0)
        {
            return [];
        }

        var names = ReferenceNames.In(question);
        var sections = sources.Take(SectionsConsidered)
            .Select((chunk, i) => new Section(i, chunk, PassageUnits.Read(chunk))
            {
                NamedInTheQuestion = intent.Kind != AskKind.Explanation
                                     && ReferenceNames.Heading(chunk.Heading) is { } name && names.Contains(name),
                Recaps = PassageUnits.IsRecapSection(chunk, question),
            })
            .Where(s => s.Units.Count > 0).ToArray();
        var all = sections.SelectMany(s => s.Units).ToArray();
        if (all.Length == 0)
        {
            return [];
        }

        var idf = Idf(intent.Terms, all);
        var picked = new List<(Section Section, int Index)>();
        if (intent.Kind == AskKind.Comparison)
        {
            // Two sides set against each other are told apart in words: a listing of one side shows how it is used, not how
            // it differs (an action client's twenty lines for "a request/response call or the goal-based interface?"). A
            // command or two may come with a side ("prettier . --check"); the parts of a two-part question may ask how.
            var listings = intent.SetsSidesAgainstEachOther
                ? sections.SelectMany(s => Enumerable.Range(0, s.Units.Count).Where(i => IsListing(s.Units[i])).Select(i => (s, i))).ToArray()
                : [];
            // A section headed as a comparison of both sides ("URDF vs SDF: Side-by-Side Comparison", "When to Use Services vs
            // Topics") says where they differ and when to take which: it leads. One headed as a choice without naming them
            // ("Decision Framework", "Choosing the Right Pattern" on a page about both) comes after what each side is.
            var comparing = intent.SetsSidesAgainstEachOther ? ComparingSection(sections, intent.Parts) : null;
            var compared = comparing is { } choice && Best([choice.Section], intent.Terms, idf, AskKind.List, exclude: listings) is { } within
                ? Window(within.Section, within.Index, AskKind.List, wordBudget: 100).Where(p => !listings.Contains(p)).ToArray()
                : [];
            if (comparing is { NamesTheSides: true })
            {
                picked.AddRange(compared);
            }

            foreach (var part in intent.Parts)
            {
                if (Best(sections, part, idf, AskKind.Definition, exclude: [.. picked, .. listings]) is { } best)
                {
                    picked.AddRange(Window(best.Section, best.Index, AskKind.Definition, wordBudget: 60).Where(p => !listings.Contains(p)));
                }
            }

            if (comparing is { NamesTheSides: false })
            {
                picked.AddRange(compared.Where(p => !picked.Contains(p)));
            }

            // A table that sets the sides against each other says what each part alone does not: where they differ.
            if (intent.SetsSidesAgainstEachOther && ComparingTable(sections, intent.Parts) is { } table && !picked.Contains(table))
            {
                picked.AddRange(Window(table.Section, table.Index, AskKind.List, wordBudget: 100));
            }
        }

        // "What is a URDF joint?": a section headed with the subject ("Joints") that defines it is the answer, whatever
        // the retriever ranked above it. The sentence opens with the thing asked about ("A node is …"), not with what
        // only qualifies it: for "What is a ROS 2 node?", "ROS 2 is not an operating system …" under the page title
        // "ROS 2 Communication: Nodes, Topics, …" says what ROS 2 is; nor with another kind of it ("Forward kinematics (FK)
        // is …" under "Forward Kinematics", retrieved first for "What is inverse kinematics?").
        // An abbreviation is defined where the book spells it out ("… written in the Unified Robot Description Format
        // (URDF), an XML dialect." for "What is a URDF?"), wherever that falls in the sentence.
        bool DefinesTheSubject(PassageUnit unit) => unit.Kind == UnitKind.Sentence
                                                    && (Defines(unit, intent.Subject) && OpensWith(unit, intent.Subject[^1]) && !NamesAnotherKind(unit.Text, intent.Subject)
                                                        || SpellsOut(unit.Text, intent.Subject));
        if (picked.Count == 0 && intent.AsksWhatItIs && intent.Subject.Count > 0
            && sections.Select(s => (Section: s, Index: Enumerable.Range(0, s.Units.Count).FirstOrDefault(i => Usable(s, i) && DefinesTheSubject(s.Units[i]), -1)))
                .FirstOrDefault(d => d.Index >= 0 && d.Section.HeadingTerms.Contains(intent.Subject[^1])) is { Section: not null } defining)
        {
            picked.AddRange(Window(defining.Section, defining.Index, AskKind.Definition, wordBudget: 100));
        }

        // "What does arrowParens do?": a section headed with the name ("Arrow Function Parentheses", "testEnvironment
        // [string]") opens by saying what it does ("Include parentheses around a sole arrow function parameter."); the
        // reference table that spells the name is where it is set, not what it means.
        if (picked.Count == 0 && intent.AsksWhatItIs && NamedSection(sections, question) is { } named)
        {
            picked.AddRange(Window(named.Section, named.Index, AskKind.Definition, wordBudget: 100));
        }

        if (picked.Count == 0)
        {
            if (Best(sections, intent.Terms, idf, intent.Kind, exclude: []) is not { } best)
            {
                // No piece shares a word with the question, though the gate found the book close enough (a paraphrase):
                // the opening of the nearest section.
                var opening = sections[0].Units.FindIndex(u => u.Kind != UnitKind.Item && !RefersBack(u.Text));
                return opening < 0 ? [] : Window(sections[0], opening, AskKind.Fact, wordBudget: 60).Select((p, i) => ToSentence(sections[0], p.Item2, followed: false, labelled: i == 0)).ToArray();
            }

            picked.AddRange(Window(best.Section, best.Index, intent.Kind, wordBudget: 100));
            picked.AddRange(RarestWordFurtherOn(best.Section, best.Index, picked, idf).ToArray());
            var rest = RestOfASmallHeading(best.Section, best.Index, intent.Kind, picked);

            // A second section's best piece, cited on its own, unless it is far weaker or the answer is long already: the
            // retriever's first section is often next to the one that answers, and a reader gets both. Code from elsewhere
            // only answers a how-to (a why-question gets another page's config file, not a reason).
            if (Best(sections, intent.Terms, idf, intent.Kind, exclude: picked, otherThan: best.Section) is { } second
                && second.Score >= best.Score / (best.Section.NamedInTheQuestion ? NamedEntryWeight : 1) * SecondSectionShare
                && (intent.Kind == AskKind.HowTo || second.Section.Units[second.Index].Kind != UnitKind.Code)
                && Words(picked) + second.Section.Units[second.Index].Words <= AnswerWords)
            {
                picked.AddRange(Window(second.Section, second.Index, AskKind.Fact, wordBudget: 40));
            }

            picked.AddRange(rest);
        }

        var lists = picked.Where(p => p.Section.Units[p.Index].Kind == UnitKind.List).Select(p => (p.Section, p.Section.Units[p.Index].Block)).ToHashSet();

        // Sections come in the order they were chosen (the best piece's first, a comparison's parts as asked), each in the
        // book's order; but a why-question whose best piece is code, and whose other section says why in words, leads with the words.
        var chosen = picked.Select(p => p.Section).Distinct().ToList();
        if (intent.Kind == AskKind.Explanation && chosen.Count > 1
            && picked.Where(p => p.Section == chosen[0]).All(p => p.Section.Units[p.Index].Kind == UnitKind.Code)
            && picked.Any(p => p.Section == chosen[1] && p.Section.Units[p.Index].Kind == UnitKind.Sentence))
        {
            (chosen[0], chosen[1]) = (chosen[1], chosen[0]);
        }

        // The same code twice (a page's tabs often repeat it) is quoted once.
        var ordered = picked
            .Distinct()
            .DistinctBy(p => p.Section.Units[p.Index].Text)
            .Where(p => p.Section.Units[p.Index].Kind != UnitKind.Item || !lists.Contains((p.Section, p.Section.Units[p.Index].Block)))
            .OrderBy(p => chosen.IndexOf(p.Section)).ThenBy(p => p.Index)
            .ToArray();

        // A short label ("Standard Workspace Structure:", "Installation:") whose block the answer does not quote (a diagram
        // left out, a listing past the budget) says nothing on its own.
        ordered = ordered.Where((p, i) => !(p.Section.Units[p.Index] is { Kind: UnitKind.Sentence, Introduces: true, Words: <= 4 } && !Followed(ordered, i))).ToArray();
        return ordered.Select((p, i) => ToSentence(p.Section, p.Index,
            followed: Followed(ordered, i),
            labelled: i == 0 || ordered[i - 1].Section != p.Section || ordered[i - 1].Section.Units[ordered[i - 1].Index].Heading != p.Section.Units[p.Index].Heading)).ToArray();
    }

    /// <summary>
    /// The first sentence of the section whose heading names the camelCase name the question asks about: as written
    /// ("testEnvironment [string]"), in words ("Bracket Spacing" for bracketSpacing), or in part when the section spells
    /// the name out ("Arrow Function Parentheses" sets arrowParens). A note of the version that brought it ("First
    /// available in v2.6.0") says when, not what.
    /// </summary>
    private static (Section Section, int Index)? NamedSection(IReadOnlyList<Section> sections, string question)
    {
        var found = TextAnalyzer.CamelCaseNames(question)
            .Select(n => (Name: TextAnalyzer.Stem(n.Name), Parts: n.Parts.Select(TextAnalyzer.Stem).ToArray()))
            .SelectMany(n => sections.Select(section => (Section: section,
                Named: section.HeadingTerms.Contains(n.Name) ? 3
                    : n.Parts.All(section.HeadingTerms.Contains) ? 2
                    : n.Parts.Any(section.HeadingTerms.Contains) && section.Units.Any(u => u.Terms.Contains(n.Name)) ? 1
                    : 0)))
            .Where(s => s.Named > 0)
            .OrderByDescending(s => s.Named).ThenBy(s => s.Section.Rank)
            .Select(s => (s.Section, Index: s.Section.Units.FindIndex(u => u.Kind == UnitKind.Sentence && !RefersBack(u.Text) && !VersionNote().IsMatch(u.Text))))
            .FirstOrDefault(s => s.Index >= 0);
        return found.Section is null ? null : found;
    }

    [GeneratedRegex(@"^(?:first\s+available|available\s+(?:since|in|from)|added|introduced|new|deprecated|default\s+value\s+changed)\b.*\bv?\d+\.\d+", RegexOptions.IgnoreCase)]
    private static partial Regex VersionNote();

    /// <summary>
    /// The piece with the rarest of the question's words that the section holds, a little further on under the same
    /// heading, when the quote so far does not say it: "what gravity value … to simulate Mars?" is best matched by "Edit the
    /// world file to change gravity settings:", and the table two pieces on holds the row "Mars | 0 0 -3.71". A block comes
    /// with the line that introduces it. Code is not brought in this way (a listing that names the word seldom answers).
    /// </summary>
    private static IEnumerable<(Section, int)> RarestWordFurtherOn(Section section, int best, IReadOnlyList<(Section Section, int Index)> picked, Dictionary<string, double> idf)
    {
        var units = section.Units;
        var present = idf.Where(w => units.Any(u => u.Terms.Contains(w.Key))).ToArray();
        if (present.Length == 0)
        {
            yield break;
        }

        var most = present.Max(w => w.Value);
        var rarest = present.Where(w => w.Value >= most - 1e-9).Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
        if (picked.Any(p => p.Section.Units[p.Index].Terms.Overlaps(rarest)))
        {
            yield break;
        }

        for (var k = best + 1; k < Math.Min(units.Count, best + RarestWordReach + 1); k++)
        {
            var unit = units[k];
            if (!unit.Terms.Overlaps(rarest) || unit.Kind == UnitKind.Code || unit.Heading != units[best].Heading || !Usable(section, k))
            {
                continue;
            }

            // A block with the line that introduces it; a line that introduces a block with the block.
            if (unit.IsBlock && units[k - 1].Introduces && !picked.Contains((section, k - 1)))
            {
                yield return (section, k - 1);
            }

            yield return (section, k);
            if (unit.Introduces && k + 1 < units.Count && units[k + 1] is { IsBlock: true, Kind: not UnitKind.Code })
            {
                yield return (section, k + 1);
            }

            yield break;
        }
    }

    /// <summary>
    /// The other pieces under the best piece's heading, when all it holds fits in an answer: a small subsection is one
    /// answer ("How Spin Works": what spin() does, then what happens without it; a setting's entry: what it does, its
    /// default, when to raise it), and a quote that stops inside it leaves out the half the reader asked about. What
    /// comes before the quote leads the answer, so it is taken when it says something: not code without the line that
    /// introduces it (a listing above the reason a why-question asks for), a note of the version that brought it, or the
    /// line that introduces an example.
    /// It comes on top of the second section's piece, whose room is measured without it.
    /// </summary>
    private static (Section, int)[] RestOfASmallHeading(Section section, int best, AskKind kind, IReadOnlyList<(Section Section, int Index)> picked)
    {
        var units = section.Units;
        var heading = units[best].Heading;
        var start = best;
        while (start > 0 && units[start - 1].Heading == heading)
        {
            start--;
        }

        var end = best;
        while (end + 1 < units.Count && units[end + 1].Heading == heading)
        {
            end++;
        }

        // A list's items are quoted with it.
        var run = Enumerable.Range(start, end - start + 1)
            .Where(i => !ComesWithItsList(units, i))
            .ToArray();
        if (run.Sum(i => units[i].Words) > AnswerWords || CodeLines(run.Select(i => units[i])) > ShortListingLines * 4)
        {
            return [];
        }

        var quoted = picked.Where(p => p.Section == section).Select(p => p.Index).ToHashSet();
        var first = quoted.Min();
        return run.Where(Takes).Select(i => (section, i)).ToArray();

        // A listing answers a how-to (beside a fact or a reason it is length, not answer; a command or two is not); code
        // comes with the line that introduces it, and that line with its code.
        bool Takes(int i) => !quoted.Contains(i) && Usable(section, i) && (units[i].Kind == UnitKind.Code
            ? (kind == AskKind.HowTo || !IsListing(units[i])) && (i > first || IntroducedAbove(i))
            : (i > first || !VersionNote().IsMatch(units[i].Text) && !ShowsAnExample(units[i]))
              && !(units[i].Introduces && i < end && units[i + 1].Kind == UnitKind.Code && !quoted.Contains(i + 1) && !Takes(i + 1)));

        bool IntroducedAbove(int i) => i > start && units[i - 1] is { Kind: UnitKind.Sentence, Introduces: true } intro && !ShowsAnExample(intro);
    }

    /// <summary>Whether the answer quotes, right after this piece, the block or list item that comes after it in the book.</summary>
    private static bool Followed(IReadOnlyList<(Section Section, int Index)> ordered, int i)
        => i + 1 < ordered.Count && ordered[i + 1].Section == ordered[i].Section && ordered[i + 1].Index == ordered[i].Index + 1
           && (ordered[i].Section.Units[ordered[i].Index + 1].IsBlock || ordered[i].Section.Units[ordered[i].Index + 1].Kind == UnitKind.Item);

    /// <summary>Pieces joined: sentences of one paragraph by a space, blocks and paragraphs on lines of their own; one <c>[n]</c> after each run from the same source.</summary>
    public static string Compose(IReadOnlyList<AnswerSentence> sentences)
    {
        var answer = new StringBuilder();
        for (var i = 0; i < sentences.Count; i++)
        {
            var piece = sentences[i];
            if (answer.Length > 0)
            {
                answer.Append(piece.IsBlock || sentences[i - 1].IsBlock ? "\n" : piece.Joins && sentences[i - 1].Source == piece.Source ? " " : "\n\n");
            }

            answer.Append(piece.Text);
            if (i == sentences.Count - 1 || sentences[i + 1].Source != piece.Source)
            {
                answer.Append(piece.IsBlock ? "\n[" : " [").Append(piece.Source + 1).Append(']');
            }
        }

        return answer.ToString();
    }

    /// <param name="labelled">The piece opens what the answer quotes from its heading: a subsection's heading (which the citation's anchor does not name) comes first.</param>
    private static AnswerSentence ToSentence(Section section, int index, bool followed, bool labelled)
    {
        var unit = section.Units[index];
        var joins = index > 0 && section.Units[index - 1].Block == unit.Block && unit.Kind == UnitKind.Sentence;
        // A line that announces what the answer does not go on to quote ends as a sentence, not with a dangling colon.
        var text = unit.Introduces && !followed ? unit.Text[..^1].TrimEnd() + "." : unit.Text;
        if (labelled && (section.IsSubsection(unit) || LeavesOutItsSubject(section, index) || PointsAtItsHeading(section, index)))
        {
            // A heading says what the piece is about: a small subsection's own ("JEST_WORKER_ID: Each worker process is
            // assigned a unique id"), or a reference entry's, whose first sentence leaves its subject out
            // ("mockFn.mockRestore(): Does everything that mockFn.mockReset() does …", "jest-worker: Module used for …").
            var label = unit.Heading.Trim();
            text = label + (".:?!".Contains(label[^1]) ? "" : ":") + (unit.IsBlock ? "\n" : " ") + text;
            joins = false;
        }

        return new AnswerSentence(text, section.Rank, unit.IsBlock || unit.Kind == UnitKind.Item && !joins, joins, section.IsSubsection(unit) ? unit.Heading.Trim() : null);
    }

    private static Dictionary<string, double> Idf(IReadOnlyList<string> terms, PassageUnit[] all)
        => terms.Distinct(StringComparer.Ordinal).ToDictionary(
            t => t,
            t => Math.Log(1 + (all.Length + 1.0) / (1 + all.Count(u => u.Terms.Contains(t)))),
            StringComparer.Ordinal);

    private static (Section Section, int Index, double Score)? Best(
        IReadOnlyList<Section> sections, IReadOnlyList<string> terms, Dictionary<string, double> idf, AskKind kind,
        IReadOnlyList<(Section Section, int Index)> exclude, Section? otherThan = null)
    {
        (Section Section, int Index, double Score)? best = null;
        var weights = terms.Distinct(StringComparer.Ordinal).ToDictionary(t => t, t => idf.GetValueOrDefault(t, 1.0), StringComparer.Ordinal);
        var total = weights.Values.Sum();
        if (total == 0)
        {
            return null;
        }

        foreach (var section in sections.Where(s => s != otherThan))
        {
            // A section headed with the question's words is likelier the one that answers: a heading that holds them all
            // counts as much as two places in the retrieval's ranking (1.6 against 0.8 a place).
            var titled = weights.Where(w => section.Headings.Contains(w.Key)).Sum(w => w.Value) / total;
            // A reference entry headed with a name the question uses ("--cache" for "What does the --cache flag do?") is that
            // name's own, though a longer entry that mentions it ("--cache-location") was retrieved first.
            var sectionPrior = (1 + 1.6 * titled) / (1 + 0.8 * section.Rank) * (section.NamedInTheQuestion ? NamedEntryWeight : 1) * (section.Recaps ? RecapWeight : 1);

            for (var i = 0; i < section.Units.Count; i++)
            {
                if (exclude.Contains((section, i)) || !Usable(section, i))
                {
                    continue;
                }

                // The headings above a piece say what it is about, so a piece need not repeat them (HeadingWordWeight); a small
                // subsection's own heading names the piece's subject: full weight.
                var unit = section.Units[i];
                var subsection = section.IsSubsection(unit);
                double own = 0, context = 0;
                foreach (var (term, weight) in weights)
                {
                    if (unit.Terms.Contains(term) || subsection && unit.HeadingTerms.Contains(term))
                    {
                        own += weight;
                    }
                    else if (unit.HeadingTerms.Contains(term) || section.Context.Contains(term))
                    {
                        context += weight;
                    }
                }

                // "What does the standalone jest-worker package do?": the first sentence under a heading that names much of
                // what is asked ("jest-worker") answers it, though it need not say one of the question's words.
                if (own == 0 && !(unit.IsBlock && context > 0)
                    && !(unit.Kind == UnitKind.Sentence && section.OpensItsHeading(i)
                         && weights.Where(w => unit.HeadingTerms.Contains(w.Key)).Sum(w => w.Value) >= HeadingShare * total))
                {
                    continue;
                }

                var coverage = (own + HeadingWordWeight * context) / total;

                // A sentence that only says the question again ("X can't just talk to Y directly") answers nothing.
                var novel = unit.Terms.Count(t => !weights.ContainsKey(t));
                coverage *= 0.7 + 0.3 * Math.Min(1, novel / 5.0);
                var length = Math.Max(6, unit.Terms.Count);
                var score = coverage * sectionPrior * Fit(unit, kind, terms, section, i) / Math.Sqrt(Math.Log(length)) / (1 + 0.02 * i);
                if (best is null || score > best.Value.Score)
                {
                    best = (section, i, score);
                }
            }
        }

        return best;
    }

    /// <summary>
    /// The highest-ranked section headed as a comparison or a choice ("… vs …", "Comparison", "Choosing …", "When to Use …",
    /// "Decision …") whose heading names each side, or names neither under headings that do ("Decision Framework" on a page
    /// about Gazebo and Unity); "When to Use SDF" is about one side.
    /// </summary>
    private static (Section Section, bool NamesTheSides)? ComparingSection(IReadOnlyList<Section> sections, IReadOnlyList<IReadOnlyList<string>> parts)
    {
        foreach (var section in sections.Where(s => ComparingHeading().IsMatch(s.Heading)))
        {
            var named = parts.Count(part => part.Any(section.HeadingTerms.Contains));
            if (named == parts.Count || named == 0 && parts.All(part => part.Any(section.Context.Contains)))
            {
                return (section, named > 0);
            }
        }

        return null;
    }

    [GeneratedRegex(@"\b(?:vs\.?|versus|comparison|compared|comparing|choosing|decision|when\s+to\s+(?:use|choose|pick))\b", RegexOptions.IgnoreCase)]
    private static partial Regex ComparingHeading();

    /// <summary>
    /// A table that sets the sides of a comparison against each other: its header row or its heading names each side
    /// ("| Feature | Service | Action |" under "Action vs Service"), from the highest-ranked section that has one.
    /// </summary>
    private static (Section Section, int Index)? ComparingTable(IReadOnlyList<Section> sections, IReadOnlyList<IReadOnlyList<string>> parts)
    {
        foreach (var section in sections)
        {
            for (var i = 0; i < section.Units.Count; i++)
            {
                var unit = section.Units[i];
                if (unit.Kind != UnitKind.Table)
                {
                    continue;
                }

                var header = TextAnalyzer.Terms(unit.FirstLine).ToHashSet(StringComparer.Ordinal);
                if (parts.All(part => part.Any(t => header.Contains(t) || unit.HeadingTerms.Contains(t))) && parts.Any(part => part.Any(header.Contains)))
                {
                    return (section, i);
                }
            }
        }

        return null;
    }

    /// <summary>How well the piece's kind fits what the question asks.</summary>
    private static double Fit(PassageUnit unit, AskKind kind, IReadOnlyList<string> subject, Section section, int index)
    {
        var first = index == 0 || section.Units[index - 1].Block != unit.Block && index == section.Units.FindIndex(u => u.Heading == unit.Heading);

        // "What's the default X?": a reference table with a Default column is where a book states it.
        if (unit.Kind == UnitKind.Table && subject.Contains("default") && unit.FirstLine.Contains("Default", StringComparison.OrdinalIgnoreCase))
        {
            return 1.5;
        }

        return kind switch
        {
            AskKind.Definition => unit.Kind is UnitKind.Sentence or UnitKind.Item
                ? (Defines(unit, subject) ? 2.0 : 1.0) * (first ? 1.25 : 1.0)
                : unit.Kind == UnitKind.Table ? 0.8 : 0.5,
            AskKind.HowTo => unit.Kind switch
            {
                UnitKind.Code => 1.6,
                UnitKind.List when unit.Text.StartsWith("1.", StringComparison.Ordinal) => 1.5,
                UnitKind.List => 1.1,
                _ => unit.Introduces ? 1.3 : 0.9,
            },
            AskKind.List => unit.Kind switch
            {
                UnitKind.List or UnitKind.Table => 1.7,

                // "Joint Types:" brings the list it names, and fits as the list does.
                _ when unit.Introduces && index + 1 < section.Units.Count && section.Units[index + 1].Kind is UnitKind.List or UnitKind.Table => 1.7,
                _ => unit.Introduces ? 1.4 : 0.9,
            },
            // A why-question is answered in sentences; a list of reasons may do, code shows how and seldom why.
            AskKind.Explanation => unit.Kind is UnitKind.Sentence ? (ShowsAnExample(unit) ? 0.6 : Explains(unit.Text) ? 1.3 : 1.0) : unit.Kind == UnitKind.Code ? 0.4 : 0.6,
            _ => unit.Kind is UnitKind.Sentence or UnitKind.Item ? (Defines(unit, subject) ? 1.2 : 1.0) : unit.Kind == UnitKind.Table ? 0.9 : 0.6,
        };
    }

    /// <summary>Whether the term is among the first words of the piece, where a definition names what it defines.</summary>
    private static bool OpensWith(PassageUnit unit, string term)
        => TextAnalyzer.Words(unit.Text.TrimStart('-', ' ', '*')).Take(SubjectReach).Select(TextAnalyzer.Stem).Contains(term, StringComparer.Ordinal);

    /// <summary>
    /// "A topic is …", "Nodes: processes that …", "… is called a topic": the subject (most of its words), then a verb of
    /// definition, within the first words. A line that ends at its colon ("Without transmissions:") introduces; it defines nothing.
    /// </summary>
    private static bool Defines(PassageUnit unit, IReadOnlyList<string> subject)
    {
        var needed = Math.Max(1, (subject.Count + 1) / 2);
        var head = unit.Text.TrimStart('-', ' ', '*');
        var colon = head.IndexOf(':');
        if (colon > 0 && colon < head.Length - 1 && TextAnalyzer.Words(head[..colon]).Count() <= 4 && TextAnalyzer.Terms(head[..colon]).Count(subject.Contains) >= needed)
        {
            return true;
        }

        // "Action chunking, popularized by ACT in 2023, makes the model predict …": the subject, an aside, then the verb.
        if (Appositive().Match(head) is { Success: true } aside && TextAnalyzer.Terms(aside.Groups["s"].Value).Count(subject.Contains) >= needed
            && aside.Groups["v"].Value.ToLowerInvariant() is var asideVerb && (Copulas.Contains(asideVerb) || IsPresentVerb(asideVerb)))
        {
            return true;
        }

        var words = TextAnalyzer.Words(head).Take(12).ToArray();

        // "A joint connects …", "The costmap holds …", "Transmissions define the …": the subject opens the sentence and a
        // verb follows it (after a plural, a verb has no "s" of its own, but it is followed by what it acts on).
        var start = words.Length > 0 && words[0] is "a" or "an" or "the" ? 1 : 0;
        for (var end = start + 1; end <= Math.Min(start + 3, words.Length - 1); end++)
        {
            var verb = words[end];
            var named = words[start..end].Select(TextAnalyzer.Stem).Distinct().Count(subject.Contains);
            if (named >= needed && !subject.Contains(TextAnalyzer.Stem(verb))
                && (IsPresentVerb(verb) || named == subject.Count && IsPresentVerb(words[end - 1]) && end + 1 < words.Length && VerbObjects.Contains(words[end + 1])))
            {
                return true;
            }
        }

        for (var i = 1; i < words.Length; i++)
        {
            if (Copulas.Contains(words[i]))
            {
                // "Gazebo converts URDF to SDF when a model is spawned": after a verb, the subject is what it acts on.
                var named = words.Take(i).Select(TextAnalyzer.Stem).ToArray();
                var first = Array.FindIndex(named, subject.Contains);
                return named.Distinct().Count(subject.Contains) >= needed && !(first > 0 && IsPresentVerb(words[first - 1]));
            }

            if (words[i] is "called" or "known" or "named")
            {
                return words.Skip(i).Take(6).Select(TextAnalyzer.Stem).Distinct().Count(subject.Contains) >= needed;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the sentence spells out the abbreviation asked about: the words before "(URDF)" begin with its letters
    /// ("Unified Robot Description Format"), small words such as "of" aside.
    /// </summary>
    private static bool SpellsOut(string sentence, IReadOnlyList<string> subject)
    {
        if (subject is not [var abbreviation] || abbreviation.Length < 2 || !abbreviation.All(char.IsAsciiLetter))
        {
            return false;
        }

        var at = sentence.IndexOf($"({abbreviation})", StringComparison.OrdinalIgnoreCase);
        if (at <= 0)
        {
            return false;
        }

        var initials = string.Concat(TextAnalyzer.Words(sentence[..at]).TakeLast(abbreviation.Length + 3)
            .Where(w => !SmallWords.Contains(w)).Select(w => w[0]));
        return initials.EndsWith(abbreviation, StringComparison.Ordinal);
    }

    /// <summary>
    /// "Forward kinematics (FK) is …" for "What is inverse kinematics?", "A lifecycle node is …" for "What is a ROS 2 node?":
    /// the sentence names another kind of the thing asked about, its own word before the head noun where the question
    /// has a word the sentence does not say.
    /// </summary>
    private static bool NamesAnotherKind(string sentence, IReadOnlyList<string> subject)
    {
        if (subject.Count < 2)
        {
            return false;
        }

        var words = TextAnalyzer.Words(sentence).Take(12).ToArray();
        var stems = words.Select(TextAnalyzer.Stem).ToArray();
        var at = Array.IndexOf(stems, subject[^1]);
        return at > 0 && TextAnalyzer.Terms(words[at - 1]).FirstOrDefault() is { } modifier && !subject.Contains(modifier)
               && subject.Take(subject.Count - 1).Any(t => !stems.Contains(t));
    }

    /// <summary>
    /// The first sentence under a heading leaves out the subject its heading names: it opens with a verb ("Returns a
    /// promise …", "Does everything that …"; a plural noun, "Plugins are …", is followed by its verb, not by "a"/"the"),
    /// or the heading is a name ("jest-worker", "mockFn.mockName()") the sentence does not say ("Module used for
    /// parallelization of tasks.").
    /// </summary>
    private static bool LeavesOutItsSubject(Section section, int index)
    {
        var unit = section.Units[index];
        if (unit.Kind != UnitKind.Sentence || string.IsNullOrWhiteSpace(unit.Heading) || !char.IsUpper(unit.Text[0]))
        {
            return false;
        }

        // "jest.retryTimes(numRetries, options?)" names jest.retryTimes: a signature's name is what comes before its
        // parameters. A reference entry quoted from its middle ("The optional numDigits argument limits …" under
        // ".toBeCloseTo(number, numDigits?)") does not say its name either.
        var heading = unit.Heading.Trim();
        var name = Signature().Match(heading) is { Success: true } signature ? signature.Groups["name"].Value : heading;
        if (!name.Any(char.IsWhiteSpace) && (name.IndexOfAny(['-', '.', '_', '(', '@', '/']) >= 0 || name.Skip(1).Any(char.IsUpper) && name.Any(char.IsLower)))
        {
            return !unit.Text.Contains(name.TrimEnd('(', ')'), StringComparison.OrdinalIgnoreCase);
        }

        if (!section.OpensItsHeading(index))
        {
            return false;
        }

        // "Default physics engine in Gazebo Classic" under "1. ODE (Open Dynamics Engine)": a short line with no full stop
        // that opens its heading is a caption of what the heading names.
        if (unit.Words <= 10 && !".!?:;".Contains(unit.Text.TrimEnd()[^1]))
        {
            return true;
        }

        var words = TextAnalyzer.Words(unit.Text).Take(2).ToArray();
        return words.Length == 2 && IsPresentVerb(words[0]) && !words[0].EndsWith("ous", StringComparison.Ordinal) && !words[0].EndsWith("ics", StringComparison.Ordinal)
               && !words[0].EndsWith("ys", StringComparison.Ordinal) && VerbObjects.Contains(words[1]);
    }

    /// <summary>"connects", "holds", "makes": a verb after a singular subject, as far as its spelling tells ("class" is not one).</summary>
    private static bool IsPresentVerb(string word) => word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal);

    private static bool Explains(string sentence)
        => ExplainingWords.Any(w => sentence.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// "For example, … we could write:", "Imagine …:": a line that introduces an example shows what happens, it does not
    /// say why; a why-question is answered by the sentence that does.
    /// </summary>
    private static bool ShowsAnExample(PassageUnit unit)
        => unit.Introduces && ExampleOpenings.Any(o => unit.Text.StartsWith(o, StringComparison.OrdinalIgnoreCase));

    /// <summary>A sentence that opens with "It"/"This" needs the sentence before it in its paragraph.</summary>
    private static bool Usable(Section section, int index)
    {
        var unit = section.Units[index];
        return unit.Kind != UnitKind.Sentence || !RefersBack(unit.Text) || index > 0 && section.Units[index - 1].Block == unit.Block
            || PointsAtItsHeading(section, index) || OpensItsSection(section, index) && SaysOfEveryOne(unit.Text);
    }

    /// <summary>
    /// "This printer is a fork of recast's printer …" right under a heading points at what the heading names; quoted
    /// after it ("Technical Details: This printer …"), it needs no sentence before it. "This chapter explored …", "This
    /// introductory module …" are not about the subject but about the book.
    /// </summary>
    private static bool PointsAtItsHeading(Section section, int index)
        => OpensItsSection(section, index) && section.Units[index].Kind == UnitKind.Sentence
            && TextAnalyzer.Words(section.Units[index].Text).Take(3).ToArray() is [var first, ..]
            && SectionOpeners.Contains(first) && !SaysWhatThePageDoes(section.Units[index].Text);

    /// <summary>"This section explores …", "This chapter covers …": about the book, not about its subject.</summary>
    private static bool SaysWhatThePageDoes(string sentence)
        => TextAnalyzer.Words(sentence).Take(3).ToArray() is [var first, .. var then] && SectionOpeners.Contains(first) && then.Any(AboutTheBook.Contains);

    /// <summary>The first piece under a heading (not the first of a chunk that goes on with a section begun in the chunk before).</summary>
    private static bool OpensItsSection(Section section, int index)
        => index == 0 ? !section.ContinuesItsSection
            : section.Units[index - 1].Heading != section.Units[index].Heading
              || VersionNote().IsMatch(section.Units[index - 1].Text) && OpensItsSection(section, index - 1);

    /// <summary>"It …", "These …", and "Combined, these features …", "In this case, it …": a word or phrase, then a pointer.</summary>
    private static bool RefersBack(string sentence)
        => ReferringStarts.Contains(TextAnalyzer.Words(sentence).FirstOrDefault() ?? "") || PointerAfterALeadIn().IsMatch(sentence);

    /// <summary>
    /// "Each worker process is assigned a unique id": "each" before a noun says it of every one, and reads alone at the
    /// start of a section ("Each of them", "Each one" point back); after a sentence of its own paragraph it still comes with it.
    /// </summary>
    private static bool SaysOfEveryOne(string sentence)
        => TextAnalyzer.Words(sentence).Take(2).ToArray() is ["each", var next] && next is not ("one" or "other") && TextAnalyzer.ContentWords(next).Any();

    /// <summary>The chosen piece with what it needs: the sentence it points back to, what it introduces, the sentences after it.</summary>
    private static List<(Section, int)> Window(Section section, int best, AskKind kind, int wordBudget)
    {
        var units = section.Units;

        // A list item says little alone: the whole list (which comes just before its items) instead, when there is one.
        if (units[best].Kind == UnitKind.Item && units.FindIndex(u => u.Kind == UnitKind.List && u.Block == units[best].Block) is var list and >= 0)
        {
            best = list;
        }

        var window = new List<(Section, int)> { (section, best) };
        var words = units[best].Words;

        // The sentences before, back to where the paragraph says what it is about ("You can optionally provide a name for
        // your mock functions, which will be displayed instead of 'jest.fn()' in the test error output." before "Use
        // .mockName() if you want to be able to quickly identify the mock function …"): one, or two when the one before
        // points back ("If some code uses a method which JSDOM hasn't implemented yet, … This is e.g. the case with
        // window.matchMedia()." before "Jest returns TypeError …"), within the budget; always the one before a sentence
        // that points back or is short. Or the lead that introduces this block.
        if (best > 0 && units[best - 1].Block == units[best].Block && units[best].Kind == UnitKind.Sentence
            && ParagraphOpening(units, best, wordBudget) is var opening and >= 0)
        {
            window.InsertRange(0, Enumerable.Range(opening, best - opening).Select(i => (section, i)));
            words += units.Skip(opening).Take(best - opening).Sum(u => u.Words);
        }
        else if (units[best].IsBlock && best > 0 && units[best - 1].Kind == UnitKind.Sentence && units[best - 1].Block < units[best].Block
                 && !SaysWhatThePageDoes(units[best - 1].Text))
        {
            // Not a lead that says what the page does ("This section explores how VLA models …"): it tells nothing of the block.
            var intro = LeadOf(units, best - 1);
            window.InsertRange(0, intro.Select(i => (section, i)));
            words += intro.Sum(i => units[i].Words);
        }

        // "Solution: Quantization - reduce precision …" answers the "Problem: OpenVLA-7B requires 14 GB VRAM (FP16), …" just
        // before it: the problem comes with it.
        if (Remedy().IsMatch(units[best].Text) && window[0].Item2 is var first and > 0
            && units[first - 1] is { Kind: UnitKind.Sentence } trouble && trouble.Block < units[first].Block && trouble.Heading == units[best].Heading && Trouble().IsMatch(trouble.Text))
        {
            window.Insert(0, (section, first - 1));
            words += trouble.Words;
        }

        var last = best;
        if (units[best].Kind == UnitKind.List)
        {
            // The list's items follow it as units of their own: skip them.
            while (last + 1 < units.Count && units[last + 1].Kind == UnitKind.Item && units[last + 1].Block == units[best].Block)
            {
                last++;
            }
        }

        // What it introduces (a list, a command, a table), whole; else the next sentences of its paragraph.
        var prose = 0;
        for (var next = last + 1; next < units.Count; next++)
        {
            var unit = units[next];
            var introduced = unit.IsBlock && (units[next - 1].Introduces || kind is AskKind.List or AskKind.HowTo && units[next - 1].Kind == UnitKind.Sentence);
            if (introduced)
            {
                window.Add((section, next));
                words += unit.Words;
                while (unit.Kind == UnitKind.List && next + 1 < units.Count && units[next + 1].Kind == UnitKind.Item && units[next + 1].Block == unit.Block)
                {
                    next++;
                }

                if (kind == AskKind.HowTo && next + 1 < units.Count && units[next + 1].Kind == UnitKind.Sentence && units[next + 1].Words < 30 && words + units[next + 1].Words <= wordBudget)
                {
                    window.Add((section, next + 1));
                }

                break;
            }

            if (units[next - 1].Introduces && unit.Kind == UnitKind.Item)
            {
                // A list too long to quote whole: its first items.
                for (var item = next; item < units.Count && units[item].Kind == UnitKind.Item && units[item].Block == unit.Block && item - next < 8; item++)
                {
                    window.Add((section, item));
                }

                break;
            }

            if (unit.Kind != UnitKind.Sentence || unit.Block != units[last].Block || ++prose > FollowingSentences || words + unit.Words > wordBudget)
            {
                break;
            }

            window.Add((section, next));
            words += unit.Words;
        }

        // Too little to help a reader (one sentence, or a line announcing what the book does not show): read on in
        // the section, into the next paragraph or block, until there is enough.
        // Steps are a sequence (an item, its command, the next item…): a how-to reads on through them, within bounds.
        // Reading on stays under the piece's heading (the next subsection is another topic), unless the piece announces what follows.
        var steps = kind == AskKind.HowTo;
        var end = window.Max(w => w.Item2);
        var announces = units[end].Introduces;
        for (var next = end + 1; next < units.Count && (announces || units[next].Heading == units[next - 1].Heading) && Words(window.Select(w => (w.Item1, w.Item2))) < (steps ? AnswerWords : EnoughWords)
             && (steps ? CodeLines(window.Select(w => units[w.Item2])) < 30 : !window.Any(w => units[w.Item2].IsBlock)) && next <= best + (steps ? 8 : 6); next++)
        {
            if (ComesWithItsList(units, next))
            {
                continue;
            }

            window.Add((section, next));
        }

        // A problem comes with its remedy: the paragraph of "Cause: …" or "Issue: …" is answered by the "Solution: …" after it.
        var lastQuoted = window.Max(w => w.Item2);
        if (Trouble().IsMatch(units.First(u => u.Block == units[lastQuoted].Block).Text) && lastQuoted + 1 < units.Count
            && units[lastQuoted + 1] is { Kind: UnitKind.Sentence } remedy && remedy.Heading == units[lastQuoted].Heading && Remedy().IsMatch(remedy.Text))
        {
            window.Add((section, lastQuoted + 1));
        }

        return window;
    }

    [GeneratedRegex(@"^(?:Problem|Issue|Cause|Root\s+Cause|Symptom|Error|Challenge)s?\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex Trouble();

    [GeneratedRegex(@"^(?:Solution|Fix|Remedy|Resolution|Workaround)s?\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex Remedy();

    /// <summary>Where to start quoting the paragraph of the sentence at <paramref name="best"/> (see <see cref="Window"/>), or −1 to start at it.</summary>
    private static int ParagraphOpening(IReadOnlyList<PassageUnit> units, int best, int wordBudget)
    {
        var needed = RefersBack(units[best].Text) || units[best].Words < 8;
        var previous = units[best - 1];
        var twoBack = best > 1 && units[best - 2].Block == units[best].Block && !RefersBack(units[best - 2].Text)
                      && units[best - 2].Words + previous.Words + units[best].Words <= wordBudget;
        if (RefersBack(previous.Text))
        {
            return twoBack ? best - 2 : needed ? best - 1 : -1;
        }

        // Two back also when that is where the paragraph starts ("ROS 2 and the software in this book are not safety-rated."
        // before "DDS messages can be delayed or lost, … Certified safety functions belong in a safety PLC …").
        var paragraphStart = best == 2 || best > 2 && units[best - 3].Block != units[best].Block;
        return twoBack && paragraphStart ? best - 2 : needed || previous.Words + units[best].Words <= wordBudget ? best - 1 : -1;
    }

    /// <summary>
    /// The sentences of the paragraph that ends at <paramref name="end"/>: from its last one back while each points back
    /// ("This procedure provides several guarantees:" after "It operates differently …" after "Git-format-staged is used
    /// to …"), at most three.
    /// </summary>
    private static IReadOnlyList<int> LeadOf(IReadOnlyList<PassageUnit> units, int end)
    {
        var lead = new List<int> { end };
        while (lead.Count < 3 && RefersBack(units[lead[0]].Text) && lead[0] > 0 && units[lead[0] - 1].Block == units[end].Block
               && units[lead[0] - 1].Kind == UnitKind.Sentence)
        {
            lead.Insert(0, lead[0] - 1);
        }

        return lead;
    }

    /// <summary>Code of <see cref="ShortListingLines"/> lines or more: a listing, not a command or two.</summary>
    private static bool IsListing(PassageUnit unit) => unit.Kind == UnitKind.Code && unit.Text.Count(c => c == '\n') >= ShortListingLines;

    /// <summary>A list item whose whole list is a piece of its own: quoted with the list, not alone.</summary>
    private static bool ComesWithItsList(IReadOnlyList<PassageUnit> units, int i)
        => units[i].Kind == UnitKind.Item && units.Any(u => u.Kind == UnitKind.List && u.Block == units[i].Block);

    private static int CodeLines(IEnumerable<PassageUnit> units) => units.Where(u => u.Kind == UnitKind.Code).Sum(u => u.Text.Count(c => c == '\n') + 1);

    private static int Words(IEnumerable<(Section Section, int Index)> picked) => picked.Sum(p => p.Section.Units[p.Index].Words);

    /// <summary>A candidate section: its rank among the passages, its pieces, and the words of its title path.</summary>
    private sealed class Section(int rank, BookChunk chunk, IReadOnlyList<PassageUnit> units)
    {
        public int Rank { get; } = rank;

        public string Heading { get; } = chunk.Heading;

        public List<PassageUnit> Units { get; } = [.. units];

        /// <summary>The section recaps what others teach (<see cref="PassageUnits.IsRecapSection"/>).</summary>
        public bool Recaps { get; init; }

        /// <summary>
        /// The section is a reference entry headed with a name the question asks about. A why-question names an entry in
        /// passing ("Why does a new toMatchSnapshot test fail on CI?"): the reason is told elsewhere.
        /// </summary>
        public bool NamedInTheQuestion { get; init; }

        /// <summary>The chunk goes on with a section begun in the chunk before it: its first piece opens nothing.</summary>
        public bool ContinuesItsSection { get; } = Ingestion.Chunker.ContinuesASection(chunk.Text);

        public HashSet<string> Context { get; } = TextAnalyzer.Terms(string.Join(' ', chunk.TitlePath)).ToHashSet(StringComparer.Ordinal);

        /// <summary>
        /// The words of the headings above the section, below the page's title (which is the same for every section of the
        /// page: "Topics, Services and Actions" says nothing about which section is about actions); the title alone for a
        /// page's lead.
        /// </summary>
        public HashSet<string> Headings { get; } = TextAnalyzer.Terms(string.Join(' ', chunk.TitlePath.Count > 1 ? chunk.TitlePath.Skip(1) : chunk.TitlePath)).ToHashSet(StringComparer.Ordinal);

        /// <summary>The words of the section's own heading.</summary>
        public HashSet<string> HeadingTerms { get; } = TextAnalyzer.Terms(chunk.Heading).ToHashSet(StringComparer.Ordinal);

        /// <summary>The piece is the first under its heading.</summary>
        public bool OpensItsHeading(int index) => index == 0 || Units[index - 1].Heading != Units[index].Heading;

        /// <summary>The piece sits under a heading of its own inside the section (a small subsection joined to it), which names what the piece is about.</summary>
        public bool IsSubsection(PassageUnit unit) => !string.IsNullOrWhiteSpace(unit.Heading) && !unit.Heading.Equals(chunk.Heading, StringComparison.OrdinalIgnoreCase)
                                                      && !chunk.TitlePath.Contains(unit.Heading, StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^(?:[A-Z][a-z]+|In\s+(?:this|that|these|those|such)\s+\w+|For\s+(?:this|that|these|those)\s+\w+),\s+(?:this|these|that|those|it|they|such)\b")]
    private static partial Regex PointerAfterALeadIn();

    [GeneratedRegex(@"^(?<name>[\w.$@-]+)\(.*\)$")]
    private static partial Regex Signature();

    [GeneratedRegex(@"^(?:(?:a|an|the)\s+)?(?<s>[^,.;:]{2,40}),[^,.;:]{3,100},\s*(?<v>[a-z]+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Appositive();
}
