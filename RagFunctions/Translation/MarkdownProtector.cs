using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RagFunctions.Translation;

/// <summary>A section with everything that must not be translated replaced by numbered placeholders (<c>⟦0⟧</c>, <c>⟦1⟧</c>…).</summary>
/// <param name="Text">What the model sees.</param>
/// <param name="Originals">The protected spans, by placeholder number.</param>
internal sealed record ProtectedText(string Text, IReadOnlyList<string> Originals)
{
    /// <summary>False when nothing but placeholders, digits, punctuation and spaces is left: there is nothing to translate.</summary>
    public bool NeedsTranslation => MarkdownProtector.HasWords(Text);
}

/// <summary>
/// Protects what a translation must leave byte-identical — front matter, fenced and inline code, math, HTML/JSX tags and
/// MDX imports, link targets and image paths, URLs, admonition fences, heading ids, placeholders a client sent
/// (<c>__FENCED_CODE_0__</c>) and the glossary's technical terms — and checks that the model gave every placeholder back
/// exactly once before putting the originals back.
/// </summary>
internal sealed partial class MarkdownProtector
{
    private readonly Regex? glossary;

    public MarkdownProtector(IEnumerable<string> glossaryTerms)
    {
        var terms = glossaryTerms.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ToList();
        if (terms.Count > 0)
        {
            var alternatives = string.Join('|', terms.Select(t => Regex.Escape(t).Replace(@"\ ", @"\s+", StringComparison.Ordinal)));
            glossary = new Regex($@"(?<![\w-])(?:{alternatives})(?![\w-])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
    }

    public ProtectedText Protect(string markdown)
    {
        var originals = new List<string>();
        var text = ProtectCode(Replace(FrontMatter(), markdown, originals), originals);
        foreach (var pattern in Patterns())
        {
            text = Replace(pattern, text, originals);
        }

        if (glossary is not null)
        {
            text = Replace(glossary, text, originals);
        }

        return new ProtectedText(text, originals);
    }

    /// <summary>
    /// The translated text with the originals put back, or null when a placeholder is missing, repeated or unknown
    /// (the caller then retries, or keeps the section in English).
    /// </summary>
    public static string? Restore(string translated, IReadOnlyList<string> originals)
    {
        var seen = new int[originals.Count];
        var valid = true;
        var restored = Placeholder().Replace(translated, match =>
        {
            var number = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            if (number >= originals.Count || ++seen[number] > 1)
            {
                valid = false;
                return match.Value;
            }

            return originals[number];
        });

        return valid && seen.All(n => n == 1) && !restored.Contains('⟦', StringComparison.Ordinal) ? restored : null;
    }

    public static string Token(int number) => string.Create(CultureInfo.InvariantCulture, $"⟦{number}⟧");

    internal static bool HasWords(string text) => Letters().IsMatch(Placeholder().Replace(text, " "));

    private static string Replace(Regex pattern, string text, List<string> originals)
        => pattern.Replace(text, match =>
        {
            // Never swallow a placeholder already made: only spans without one are protected whole.
            if (match.Value.Contains('⟦', StringComparison.Ordinal))
            {
                return match.Value;
            }

            originals.Add(match.Value);
            return Token(originals.Count - 1);
        });

    /// <summary>
    /// Every fenced and indented code block, whole, as the Markdown parser sees it: fences of any length and character,
    /// with an info string and meta (<c>```python title="x.py"</c>), CRLF or LF, nested in lists, quotes or admonitions,
    /// or left open where a section ends.
    /// </summary>
    private static string ProtectCode(string text, List<string> originals)
    {
        var protectedText = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (start, end) in MarkdownBlocks.CodeSpans(MarkdownBlocks.Parse(text)))
        {
            protectedText.Append(text, position, start - position);
            originals.Add(text[start..end]);
            protectedText.Append(Token(originals.Count - 1));
            position = end;
        }

        return protectedText.Append(text, position, text.Length - position).ToString();
    }

    private static IEnumerable<Regex> Patterns()
    {
        yield return MathBlock();
        yield return InlineCode();
        yield return ClientPlaceholder();
        yield return MdxImport();
        yield return HtmlComment();
        yield return HtmlTag();
        yield return HeadingId();
        yield return Admonition();
        yield return ReferenceDefinition();
        yield return LinkTarget();
        yield return BareUrl();
        yield return InlineMath();
    }

    [GeneratedRegex(@"⟦\s*(\d+)\s*⟧")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\p{L}")]
    private static partial Regex Letters();

    [GeneratedRegex(@"\A---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?=\r?\n|\z)")]
    private static partial Regex FrontMatter();

    [GeneratedRegex(@"\$\$[\s\S]+?\$\$")]
    private static partial Regex MathBlock();

    [GeneratedRegex(@"(`+)(?!`)[\s\S]*?[^`]\1(?!`)")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"__[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*__")]
    private static partial Regex ClientPlaceholder();

    [GeneratedRegex(@"(?m)^[ \t]*(?:import|export)\s.*$")]
    private static partial Regex MdxImport();

    [GeneratedRegex(@"<!--[\s\S]*?-->")]
    private static partial Regex HtmlComment();

    [GeneratedRegex(@"</?[A-Za-z][^<>]*>|</?>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\{#[^}\s]+\}")]
    private static partial Regex HeadingId();

    [GeneratedRegex(@"(?m)^[ \t]*:::[\w-]*")]
    private static partial Regex Admonition();

    [GeneratedRegex(@"(?m)^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$")]
    private static partial Regex ReferenceDefinition();

    /// <summary><c>](target "title")</c> of links and images, and <c>][ref]</c>: the visible text stays translatable.</summary>
    [GeneratedRegex(@"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+""[^""]*"")?\)|\]\[[^\]\n]*\]")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'""]")]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])")]
    private static partial Regex InlineMath();
}

/// <summary>The glossary: technical terms kept in English (configurable with <c>TRANSLATION_GLOSSARY</c>).</summary>
internal static class Glossary
{
    public static readonly IReadOnlyList<string> Default =
    [
        "ROS 2", "ROS", "URDF", "SDF", "Gazebo", "Isaac Sim", "Isaac ROS", "Isaac Lab", "Omniverse", "Unity", "NVIDIA", "Jetson",
        "LiDAR", "SLAM", "VSLAM", "IMU", "RGB-D", "RealSense", "Nav2", "MoveIt", "rclpy", "rclcpp", "rviz2", "RViz", "colcon",
        "DDS", "QoS", "TF2", "Python", "C++", "Ubuntu", "Docker", "GPU", "CUDA", "API", "JSON", "YAML", "XML",
        "VLA", "LLM", "GPT", "Whisper", "OpenAI", "PID", "Sim-to-Real", "Physical AI",
    ];

    /// <summary>A short hash of the terms and the prompt version: part of every cache key, so a new glossary re-translates.</summary>
    public static string Version(IEnumerable<string> terms, int promptVersion)
    {
        var text = string.Join('\n', terms.Order(StringComparer.Ordinal)) + "\nprompt:" + promptVersion.ToString(CultureInfo.InvariantCulture);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
