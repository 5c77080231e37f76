using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace RagFunctions.Ingestion;

/// <summary>The front matter fields the reader uses.</summary>
internal sealed record FrontMatter(string? Id, string? Title, string? Slug, string? SidebarLabel, double? SidebarPosition)
{
    public static FrontMatter None { get; } = new(null, null, null, null, null);

    /// <summary>The page's <c>description</c> (the site's meta description and card text).</summary>
    public string? Description { get; init; }

    /// <summary>The page's <c>tags</c>: plain strings or the <c>label</c> of tag objects.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>draft: true</c>: the published site leaves the page out.</summary>
    public bool Draft { get; init; }

    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    /// <summary>
    /// Splits a <c>---</c> delimited YAML block off the top of <paramref name="source"/> (newlines already <c>\n</c>).
    /// Returns where the body starts (0 when there is no front matter) and whether the YAML could be read;
    /// unreadable YAML gives <see cref="None"/> and the page is kept.
    /// </summary>
    public static (FrontMatter FrontMatter, int BodyStart, bool IsValid) Parse(string source)
    {
        if (!source.StartsWith("---\n", StringComparison.Ordinal))
        {
            return (None, 0, true);
        }

        var close = source.IndexOf("\n---", 3, StringComparison.Ordinal);
        while (close >= 0 && !IsLineEnd(source, close + 4))
        {
            close = source.IndexOf("\n---", close + 4, StringComparison.Ordinal);
        }

        if (close < 0)
        {
            return (None, 0, true);
        }

        var bodyStart = Math.Min(source.Length, close + 5);
        try
        {
            var fields = Yaml.Deserialize<Dictionary<string, object?>>(source[4..(close + 1)]);
            return (From(fields ?? []), bodyStart, true);
        }
        catch (YamlException)
        {
            return (None, bodyStart, false);
        }
    }

    private static bool IsLineEnd(string source, int index) => index >= source.Length || source[index] == '\n';

    private static FrontMatter From(Dictionary<string, object?> fields)
    {
        string? Text(string key) => fields.TryGetValue(key, out var value) && value is string text && text.Trim().Length > 0 ? text.Trim() : null;

        double? position = double.TryParse(Text("sidebar_position"), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
        var tags = fields.TryGetValue("tags", out var list) && list is IEnumerable<object?> items
            ? items.Select(Tag).OfType<string>().ToList()
            : [];
        return new FrontMatter(Text("id"), Text("title"), Text("slug"), Text("sidebar_label"), position)
        {
            Description = Text("description"),
            Tags = tags,
            Draft = Text("draft") is { } draft && draft.Equals("true", StringComparison.OrdinalIgnoreCase),
        };
    }

    private static string? Tag(object? tag) => tag switch
    {
        string text when text.Trim().Length > 0 => text.Trim(),
        IDictionary<object, object?> fields when fields.TryGetValue("label", out var label) && label is string text && text.Trim().Length > 0 => text.Trim(),
        _ => null,
    };
}
