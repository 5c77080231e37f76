namespace RagFunctions.Ingestion;

/// <summary>
/// The front matter a reader might ask about, as searchable text: it leads the page's first section (a block without
/// Markdown, so the sections' Markdown still rebuilds the source).
/// </summary>
internal static class FrontMatterText
{
    /// <summary>
    /// What the front matter tells a reader that the body may not: the description, the tags, the sidebar label and a
    /// heading that differs from the title. Empty when there is nothing of the kind.
    /// </summary>
    public static string Of(FrontMatter frontMatter, string title, string? titleHeadingText)
    {
        var lines = new List<string>();
        if (titleHeadingText is not null && !titleHeadingText.Equals(title, StringComparison.OrdinalIgnoreCase))
        {
            lines.Add(titleHeadingText);
        }

        if (frontMatter.Description is { } description)
        {
            lines.Add(description);
        }

        if (frontMatter.SidebarLabel is { } label && !label.Equals(title, StringComparison.OrdinalIgnoreCase))
        {
            lines.Add($"Sidebar label: {label}");
        }

        if (frontMatter.Tags.Count > 0)
        {
            lines.Add($"Tags: {string.Join(", ", frontMatter.Tags)}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>The front matter text leads the first section's text (a block without Markdown: the source is unchanged).</summary>
    public static void AddTo(List<PageSection> sections, string about, string title)
    {
        if (about.Length == 0)
        {
            return;
        }

        if (sections.Count == 0)
        {
            sections.Add(new PageSection(title, "", 1, [title], about, "", [new SectionBlock(about, "")]));
            return;
        }

        var first = sections[0];
        sections[0] = first with
        {
            Text = JoinParagraphs(about, first.Text),
            Blocks = [new SectionBlock(about, ""), .. first.BlocksOrWhole],
        };
    }

    private static string JoinParagraphs(string first, string second) => second.Length == 0 ? first : first + "\n\n" + second;
}
