namespace RagFunctions.Ingestion;

/// <summary>One page of the book, read from its Markdown source or from the built HTML.</summary>
/// <param name="PageUrl">Absolute page URL, no fragment, no trailing slash (the site root keeps its slash).</param>
/// <param name="RoutePath">The page's path inside the docs route, as Docusaurus computes it: starts with <c>/</c>; <c>/</c> is the docs root.</param>
/// <param name="Title">Front matter <c>title</c>, else the heading that opens the page, else the doc id.</param>
/// <param name="SidebarLabel">Front matter <c>sidebar_label</c> (or the active sidebar link of a built page).</param>
/// <param name="SidebarPosition">Front matter <c>sidebar_position</c>, else the file name's number prefix.</param>
/// <param name="SourcePath">Path of the source file relative to the docs folder (with <c>/</c>), or the URL of a built page.</param>
/// <param name="Sections">The page in reading order; concatenating their <see cref="PageSection.Markdown"/> rebuilds the page body.</param>
internal sealed record BookPage(
    string PageUrl,
    string RoutePath,
    string Title,
    string? SidebarLabel,
    int? SidebarPosition,
    string SourcePath,
    IReadOnlyList<PageSection> Sections)
{
    /// <summary>What was repaired in the source to read it as the site shows it (e.g. escaped text unescaped); empty when nothing.</summary>
    public IReadOnlyList<string> Repairs { get; init; } = [];
}

/// <summary>A heading and the content up to the next heading (of any level).</summary>
/// <param name="Heading">Heading text without markup or <c>{#id}</c>; the page title for the text before the first heading.</param>
/// <param name="Anchor">The heading's id on the rendered page; empty for the text before the first heading.</param>
/// <param name="Level">Heading level, 1 for the text before the first heading.</param>
/// <param name="TitlePath">Page title, then the enclosing headings, then this heading (the lead section has the title only).</param>
/// <param name="Text">Plain text of the content, heading excluded: blocks separated by a blank line.</param>
/// <param name="Markdown">The exact source slice, heading line included (MDX <c>import</c>/<c>export</c> lines left out).</param>
/// <param name="Blocks">
/// The same content cut at block boundaries (paragraphs, lists, code blocks, tables...), for the chunker.
/// When null, the section is one block.
/// </param>
internal sealed record PageSection(
    string Heading,
    string Anchor,
    int Level,
    IReadOnlyList<string> TitlePath,
    string Text,
    string Markdown,
    IReadOnlyList<SectionBlock>? Blocks = null)
{
    /// <summary>The blocks, or the whole section as one block.</summary>
    public IReadOnlyList<SectionBlock> BlocksOrWhole => Blocks ?? [new SectionBlock(Text, Markdown)];
}

/// <summary>
/// One block of a section: its plain text and its source slice. The first block's slice starts with the heading line;
/// the slices of a section's blocks concatenate to the section's Markdown, the texts joined by a blank line make its Text.
/// </summary>
internal sealed record SectionBlock(string Text, string Markdown);
