using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RagFunctions.Ingestion;

/// <summary>
/// Heading anchors exactly as Docusaurus makes them (github-slugger), one instance per page:
/// lower-case; letters, marks, digits, <c>_</c> and <c>-</c> of any script kept; other punctuation, symbols and emoji removed
/// (so <c>🎯 Goals</c> → <c>-goals</c>); each space → <c>-</c>; a repeated slug gets <c>-1</c>, <c>-2</c>...
/// An explicit <c>{#custom-id}</c> at the end of a heading is the anchor as written.
/// </summary>
internal sealed partial class HeadingSlugger
{
    private readonly Dictionary<string, int> occurrences = new(StringComparer.Ordinal);

    /// <summary>The anchor for the next heading of the page, and the heading text without its <c>{#id}</c>.</summary>
    public (string Text, string Anchor) Next(string headingText)
    {
        var (text, explicitId) = SplitExplicitId(headingText);
        return (text.Trim(), explicitId ?? Slug(text));
    }

    /// <summary>A unique slug for <paramref name="value"/> on this page (github-slugger's <c>slug</c>).</summary>
    public string Slug(string value)
    {
        var slug = Slugify(value);
        var result = slug;
        while (occurrences.ContainsKey(result))
        {
            occurrences[slug]++;
            result = slug + "-" + occurrences[slug].ToString(CultureInfo.InvariantCulture);
        }

        occurrences[result] = 0;
        return result;
    }

    /// <summary>The slug of <paramref name="value"/> alone, without de-duplication.</summary>
    public static string Slugify(string value)
    {
        var slug = new StringBuilder(value.Length);
        foreach (var rune in value.ToLowerInvariant().EnumerateRunes())
        {
            if (rune.Value == ' ')
            {
                slug.Append('-');
            }
            else if (IsKept(rune))
            {
                slug.Append(rune.ToString());
            }
        }

        return slug.ToString();
    }

    /// <summary>Docusaurus' <c>parseMarkdownHeadingId</c>: <c>Text {#id}</c> → (<c>Text</c>, <c>id</c>).</summary>
    public static (string Text, string? Id) SplitExplicitId(string heading)
    {
        var match = ExplicitId().Match(heading);
        return match.Success ? (match.Groups["text"].Value, match.Groups["id"].Value) : (heading, null);
    }

    private static bool IsKept(Rune rune) => rune.Value == '-' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber => true,
        UnicodeCategory.ConnectorPunctuation => true,
        // Symbols go, except the few that Unicode counts as alphabetic: circled and squared Latin letters.
        UnicodeCategory.OtherSymbol => IsAlphabeticSymbol(rune.Value),
        _ => false,
    };

    private static bool IsAlphabeticSymbol(int codePoint) =>
        codePoint is (>= 0x24B6 and <= 0x24E9) or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);

    [GeneratedRegex(@"^(?<text>.*?)\s*\{#(?<id>[A-Za-z0-9_-]+)\}$", RegexOptions.Singleline)]
    private static partial Regex ExplicitId();
}
