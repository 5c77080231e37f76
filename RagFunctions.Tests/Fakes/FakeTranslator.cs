using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RagFunctions.Tests.Fakes;

/// <summary>
/// A deterministic "translator" for <see cref="CohereDouble.Respond"/>: every ASCII word of the last user message becomes
/// <see cref="Marker"/> followed by the word's length in Arabic-Indic digits; placeholders (<c>⟦n⟧</c>) and everything
/// else are kept; words given to the constructor are translated as given instead ("topic" → "ٹاپک"), so Urdu questions
/// can find the translation. Switches make it drop or duplicate a placeholder, to test verification.
/// </summary>
internal sealed partial class FakeTranslator(IReadOnlyDictionary<string, string>? words = null)
{
    public const string Marker = "اردو";

    private readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);
    private int dropsLeft;
    private int duplicatesLeft;

    /// <summary>How many translation requests the double answered (requests carrying the translation instructions).</summary>
    public int Calls => calls.Values.Sum();

    /// <summary>How many times each distinct source text (the user message) was translated.</summary>
    public IReadOnlyDictionary<string, int> CallsPerText => calls;

    /// <summary>The next <paramref name="times"/> answers lose their first placeholder.</summary>
    public void DropPlaceholder(int times = int.MaxValue) => dropsLeft = times;

    /// <summary>The next <paramref name="times"/> answers repeat their first placeholder.</summary>
    public void DuplicatePlaceholder(int times = int.MaxValue) => duplicatesLeft = times;

    public static string Translate(string text) => AsciiWord().Replace(text, m => Marker + string.Concat(
        m.Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => (char)('٠' + (d - '0')))));

    public string? Respond(JsonElement request)
    {
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        var system = messages.FirstOrDefault(m => m.GetProperty("role").GetString() == "system");
        if (system.ValueKind != JsonValueKind.Object || !Content(system).Contains("You translate", StringComparison.Ordinal))
        {
            return null;
        }

        var user = Content(messages.Last(m => m.GetProperty("role").GetString() == "user"));
        calls.AddOrUpdate(user, 1, (_, n) => n + 1);
        var translated = words is null
            ? Translate(user)
            : AsciiWord().Replace(user, m => words.TryGetValue(m.Value.ToLowerInvariant(), out var word) ? word : Translate(m.Value));
        var first = Placeholder().Match(translated);
        if (first.Success && Interlocked.Decrement(ref dropsLeft) >= 0)
        {
            return translated.Remove(first.Index, first.Length);
        }

        if (first.Success && Interlocked.Decrement(ref duplicatesLeft) >= 0)
        {
            return translated.Insert(first.Index, first.Value + " ");
        }

        return translated;
    }

    /// <summary>The text of a chat message as Cohere receives it (a string, or an array of text parts).</summary>
    internal static string Content(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : ""));
    }

    /// <summary>ASCII words outside placeholders (placeholders hold digits only, so words never touch them).</summary>
    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex AsciiWord();

    [GeneratedRegex(@"⟦\d+⟧")]
    private static partial Regex Placeholder();
}
