using System.Text.RegularExpressions;
using RagFunctions.Retrieval.Text;

namespace RagFunctions.Chat;

/// <summary>What a question asks for, which decides what an extractive answer quotes.</summary>
internal enum AskKind
{
    /// <summary>"What is X?", "X" alone: the sentence that defines X.</summary>
    Definition,

    /// <summary>"How do I …?": the steps or the code, whole.</summary>
    HowTo,

    /// <summary>"What are the parts of …?": the whole list.</summary>
    List,

    /// <summary>"Difference between X and Y", "What is X, and when should I use Y?": each part.</summary>
    Comparison,

    /// <summary>"Why …?", "How does … work?": the explaining sentences.</summary>
    Explanation,

    /// <summary>Any other question: the sentence that shares most of its rare words.</summary>
    Fact,
}

/// <summary>
/// A question read for answering: its kind, its terms, the subject it asks about (for a definition) and its parts
/// (for a comparison or a two-part question). Read from the wording alone, the same for every book.
/// </summary>
internal sealed partial record QuestionIntent(AskKind Kind, IReadOnlyList<string> Terms, IReadOnlyList<string> Subject, IReadOnlyList<IReadOnlyList<string>> Parts)
{
    /// <summary>The question names its subject ("What is X?", "Define X"), rather than being a few words about a topic.</summary>
    public bool AsksWhatItIs { get; init; }

    /// <summary>The parts are two things set against each other ("X vs Y", "the difference between X and Y"), not two questions in one.</summary>
    public bool SetsSidesAgainstEachOther { get; init; }

    /// <summary>
    /// The question without how the reader wants it told ("explain morphological computation with an example", "… in
    /// simple terms", "… step by step"): what it asks about is the rest.
    /// </summary>
    public static string WithoutManner(string question) => Manner().Replace(question, "");

    public static QuestionIntent Of(string question)
    {
        var text = TextAnalyzer.SpellOutNames(WithoutManner(question).Trim().TrimEnd('?', '.', '!').Trim());
        var terms = TextAnalyzer.Terms(text).Distinct(StringComparer.Ordinal).ToArray();

        // "My snapshot test fails after a UI change. How do I re-record the snapshots?": what is asked is the last
        // sentence; the ones before it say why (their words still count).
        var asked = Asked(text);
        var lower = asked.ToLowerInvariant();

        // "How do GPT-4o, Claude and Gemini compare in price?": the sides come before the verb, what they are compared on
        // after it (read as sides, "price" and the rest would be compared with each other).
        if (ComparedAfter().Match(lower) is { Success: true } after && Split(after.Groups["a"].Value, after.Groups["b"].Value) is { Count: 2 } before)
        {
            return new QuestionIntent(AskKind.Comparison, terms, terms, before) { SetsSidesAgainstEachOther = true };
        }

        if (Comparison().Match(lower) is { Success: true } compared)
        {
            var parts = Split(compared.Groups["a"].Value, compared.Groups["b"].Value);
            if (parts.Count == 2)
            {
                return new QuestionIntent(AskKind.Comparison, terms, terms, parts) { SetsSidesAgainstEachOther = true };
            }
        }

        // "How do I use single quotes instead of double quotes?" asks how to switch, not how the two compare.
        if (Versus().Match(lower) is { Success: true } versus && Split(versus.Groups["a"].Value, versus.Groups["b"].Value) is { Count: 2 } sides
            && !(HowTo().IsMatch(lower) && Switching().IsMatch(versus.Value)))
        {
            return new QuestionIntent(AskKind.Comparison, terms, terms, sides) { SetsSidesAgainstEachOther = true };
        }

        // "Should I use @jest/globals or @types/jest …?", "feature-based or direct SLAM: which copes better?": a choice between two.
        if (Choosing().IsMatch(lower) && Choice().Match(lower) is { Success: true } choice && Split(choice.Groups["a"].Value, choice.Groups["b"].Value) is { Count: 2 } options)
        {
            return new QuestionIntent(AskKind.Comparison, terms, terms, options) { SetsSidesAgainstEachOther = true };
        }

        if (TwoParts().Match(lower) is { Success: true } two)
        {
            // "My test aborts after 100000 timers. Why does this happen and what should I call instead?": both parts are
            // about what the sentences before them say.
            var said = text.LastIndexOf(asked, StringComparison.Ordinal) is var at and > 0 ? TextAnalyzer.Terms(text[..at]).ToArray() : [];
            string[] first = [.. TextAnalyzer.Terms(two.Groups["a"].Value), .. said];
            string[] second = [.. TextAnalyzer.Terms(two.Groups["b"].Value), .. said];
            if (first.Length > said.Length && second.Length > said.Length)
            {
                return new QuestionIntent(AskKind.Comparison, terms, first, [first, second]);
            }
        }

        if (HowTo().IsMatch(lower))
        {
            return new QuestionIntent(AskKind.HowTo, terms, terms, []);
        }

        // "Which languages can Prettier format?", "What log levels does ROS 2 have?": a plural asked for is a list.
        if (ListQuestion().IsMatch(lower) || PluralAsked().IsMatch(lower))
        {
            return new QuestionIntent(AskKind.List, terms, terms, []);
        }

        // "What's the default print width?" asks for a value, not for what print width is.
        if (Definition().Match(lower) is { Success: true } defined && !AValue().IsMatch(defined.Groups["x"].Value)
            && TextAnalyzer.Terms(defined.Groups["x"].Value).ToArray() is { Length: > 0 and <= 6 } subject)
        {
            // "What is action chunking in VLA models?" asks what action chunking is: the words after "in" say where.
            var head = Setting().Split(defined.Groups["x"].Value)[0];
            return new QuestionIntent(AskKind.Definition, terms, TextAnalyzer.Terms(head).ToArray() is { Length: > 0 } named ? named : subject, []) { AsksWhatItIs = true };
        }

        if (Explanation().IsMatch(lower))
        {
            return new QuestionIntent(AskKind.Explanation, terms, terms, []);
        }

        // A few words and no question word: "colcon build one package" asks how, "inflation radius" asks what.
        var words = TextAnalyzer.Words(text).ToArray();
        if (words.Length <= 7 && !QuestionWord().IsMatch(lower) && words.Take(2).Any(w => ActionVerbs.Contains(w)))
        {
            return new QuestionIntent(AskKind.HowTo, terms, terms, []);
        }

        return words.Length <= 4 && !QuestionWord().IsMatch(lower) && terms.Length > 0
            ? new QuestionIntent(AskKind.Definition, terms, terms, [])
            : new QuestionIntent(AskKind.Fact, terms, terms, []);
    }

    private static readonly HashSet<string> ActionVerbs = new(StringComparer.Ordinal)
    {
        "build", "install", "run", "create", "launch", "configure", "setup", "write", "add", "call", "pass", "publish", "save", "start",
        "compile", "debug", "fix", "remove", "update", "calibrate", "bridge", "deploy", "test", "mock", "format", "ignore", "enable", "disable", "spawn",
    };

    /// <summary>
    /// The last sentence, when it asks (opens with or holds a question word); else the clause after the last comma or
    /// semicolon, when it opens with a question word and what comes before does not ("my test finishes before the
    /// callback runs, how do i make it wait"); else the whole text.
    /// </summary>
    private static string Asked(string text)
    {
        var sentences = SentenceSplitter.Split(text).ToArray();
        if (sentences.Length > 1 && QuestionWord().IsMatch(sentences[^1].ToLowerInvariant()))
        {
            // "Should I use a service or an action? How do the two differ?": the sides are named in the sentence before.
            return BackToTheSides().IsMatch(sentences[^1]) ? $"{sentences[^2].TrimEnd('?', '.', '!')}, {sentences[^1]}" : sentences[^1];
        }

        return AskedClause().Match(text) is { Success: true } clause && !Interrogative().IsMatch(text) ? clause.Groups["asked"].Value : text;
    }

    private static IReadOnlyList<IReadOnlyList<string>> Split(string a, string b)
    {
        var first = TextAnalyzer.Terms(a).ToArray();
        var second = TextAnalyzer.Terms(b).ToArray();

        // "static and dynamic walking": the noun after the second side belongs to both.
        if (first.Length == 1 && second.Length > 1)
        {
            first = [first[0], .. second[1..]];
        }

        return first.Length == 0 || second.Length == 0 ? [] : [first, second];
    }

    [GeneratedRegex(@"\b(?:difference|differences|diff|distinction|differ|changed\s+between|changes\s+between|compare|comparison\s+(?:of|between))\s+(?:between\s+)?(?<a>.+?)\s+(?:and|vs\.?|versus|from)\s+(?<b>.+?)(?:[,;]|\s+and\s+(?:when|how|why|which)\b|$)")]
    private static partial Regex Comparison();

    [GeneratedRegex(@"\bhow\s+(?:do|does|did|would)\s+(?:the\s+)?(?<a>[^;]+?)\s+(?:and|vs\.?|versus)\s+(?<b>[^,;]+?)\s+(?:compare|differ|stack\s+up)\b")]
    private static partial Regex ComparedAfter();

    [GeneratedRegex(@"(?<a>[\w\-./]+(?:\s+[\w\-./]+){0,2})\s+(?:vs\.?|versus|compared\s+(?:to|with)|instead\s+of|rather\s+than|(?:a\s+)?better\s+(?:choice\s+|option\s+|fit\s+)?than)\s+(?<b>[\w\-./]+(?:\s+[\w\-./]+){0,2})")]
    private static partial Regex Versus();

    [GeneratedRegex(@"\b(?:instead\s+of|rather\s+than)\b")]
    private static partial Regex Switching();

    [GeneratedRegex(@"^(?:should|would|which|is\s+it\s+better)\b|\b(?:which\s+one|better|prefer|choose)\b")]
    private static partial Regex Choosing();

    [GeneratedRegex(@"(?<a>[\w\-./@+#]+(?:\s+[\w\-./@+#]+){0,1})\s+or\s+(?<b>[\w\-./@+#]+(?:\s+(?!for\b|in\b|to\b|when\b|with\b|and\b|which\b)[\w\-./@+#]+){0,2})")]
    private static partial Regex Choice();

    [GeneratedRegex(@"^(?<a>(?:what|how|why|which|when)\b[^,;]{4,}?)(?:,\s*|\s+)and\s+(?<b>(?:(?:in|at|for|from|on|since|with|by|to)\s+)?(?:what|how|why|which|when|where|do|does|is|are|can|should)\b.{4,})$")]
    private static partial Regex TwoParts();

    [GeneratedRegex(@"^(?:ho?w\s+(?:do|can|should|would|could|to|might)\b|ho?w\s+(?:i\s+|u\s+)?(?:get|make|use|set|run|add|install|fix|stop|change|turn|write|create|build|launch|configure|enable|disable|skip|update|ignore|call|pass|start|mock)\b|what\s+(?:command|commands|steps)\b|which\s+command\b|steps?\s+(?:to|for)\b|show\s+me\s+how\b|(?:install|configure|set\s+up|setup|create|write|run|build|launch|add|enable|use)\s)|\bhow\s+to\b|\b(?:what|which)\s+commands?\s+(?:do|should|can|must)\b")]
    private static partial Regex HowTo();

    [GeneratedRegex(@"^(?:what|which|name|list)\b.{0,40}\b(?:types|kinds|parts|components|steps|stages|layers|modes|features|advantages|benefits|disadvantages|categories|principles|elements|pillars|phases|levels|requirements|subsystems|options|sensors|tools|challenges|limitations|methods|ways)\b")]
    private static partial Regex ListQuestion();

    [GeneratedRegex(@"^(?:what|which)\s+(?!(?:do|does|did|is|are|was|were|can|could|should|will|would)\b)(?:[\w-]+\s+){0,2}?[\w-]*[^s\W]s\s+(?:are|does|do|can|should|will|did)\b")]
    private static partial Regex PluralAsked();

    [GeneratedRegex(@"^(?:(?:what|wat|wht|waht|who)\s*(?:is|are|'s|was|were)\s+(?:a|an|the)?\s*(?<x>.+)|(?:define|definition\s+of|meaning\s+of|explain|tell\s+me\s+about)\s+(?:a|an|the)?\s*(?<x>.+)|(?:what|wat|wht|waht)\s+(?:does|do)\s+(?<x>.+?)\s+(?:mean|stand\s+for|do|control|change|affect)(?:\s+(?:in|for|on|inside|within)\s.+)?)$")]
    private static partial Regex Definition();

    [GeneratedRegex(@"^(?:default|maximum|minimum|max|min|recommended|latest|current|typical|usual|range|limit)\b")]
    private static partial Regex AValue();

    [GeneratedRegex(@"\s+(?:in|for|within|inside|on|when|used\s+in)\s+")]
    private static partial Regex Setting();

    [GeneratedRegex(@"^(?:why\b|how\s+(?:does|do|is|are|can)\b|explain\b|what\s+(?:causes|happens|makes)\b)")]
    private static partial Regex Explanation();

    [GeneratedRegex(@"\b(?:what|how|why|which|when|where|who|is|are|does|do|can|should)\b")]
    private static partial Regex QuestionWord();

    [GeneratedRegex(@"\b(?:the\s+two|they|both|these|those|each\s+one)\b.*\b(?:differ|different|compare|comparison|difference)|\b(?:differ|different|compare|comparison|difference)\b.*\b(?:the\s+two|them|both|these|those)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BackToTheSides();

    [GeneratedRegex(@"[\s,]+(?:with\s+(?:an?\s+|some\s+)?examples?|in\s+simpler?\s+(?:terms|words|language)|simply|briefly|in\s+detail|step\s+by\s+step|for\s+(?:a\s+)?beginners?|(?:please|pls|plz))\s*(?=[?.!]*\s*$)", RegexOptions.IgnoreCase)]
    private static partial Regex Manner();

    [GeneratedRegex(@"[,;]\s*(?<asked>(?:how|what|why|which|where|should|can|do|does|is|are)\s[^,;]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AskedClause();

    [GeneratedRegex(@"^(?:what|wat|wht|how|why|which|who|where|is|are|does|do|can|could|should|would|will)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Interrogative();
}
