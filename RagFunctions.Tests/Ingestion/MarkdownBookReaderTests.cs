using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Ingestion;

public sealed class MarkdownBookReaderTests
{
    private static readonly MarkdownBookReader Reader = new(new DocusaurusSite("https://book.dev/"), NullLogger<MarkdownBookReader>.Instance);

    private static BookPage Read(string source, string path = "guide/page.md") => Reader.ReadPage(path, source);

    private static PageSection Section(BookPage page, string heading) => Assert.Single(page.Sections, s => s.Heading == heading);

    [Theory]
    [InlineData("---\ntitle: From Front Matter\n---\n\n# From Heading\n\nText.\n", "From Front Matter")]
    [InlineData("---\ndescription: no title here\n---\n\n# From **Heading**\n\nText.\n", "From Heading")]
    [InlineData("# From Heading\n\nText.\n", "From Heading")]
    [InlineData("Text first.\n\n# Later Heading\n", "page")]
    [InlineData("---\nid: custom-id\n---\nJust text.\n", "custom-id")]
    public void ReadPage_Title_FrontMatterThenOpeningHeadingThenId(string source, string expected)
    {
        Assert.Equal(expected, Read(source, "guide/02-page.md").Title);
    }

    [Fact]
    public void ReadPage_FrontMatter_GivesRouteLabelAndPosition()
    {
        var page = Read("---\nid: qos\nsidebar_label: QoS\nsidebar_position: 3\n---\n# Quality of Service\n", "01-guide/05-topics.md");

        Assert.Equal("/guide/qos", page.RoutePath);
        Assert.Equal("https://book.dev/docs/guide/qos", page.PageUrl);
        Assert.Equal("QoS", page.SidebarLabel);
        Assert.Equal(3, page.SidebarPosition);
        Assert.Equal("01-guide/05-topics.md", page.SourcePath);
    }

    [Fact]
    public void ReadPage_NoSidebarPosition_TakesTheNumberPrefix()
    {
        Assert.Equal(5, Read("# T\n", "guide/05-topics.md").SidebarPosition);
    }

    [Fact]
    public void ReadPage_SlugRoot_IsTheDocsRoot()
    {
        var page = Read("---\nslug: /\ntitle: Welcome\n---\n\nHello.\n", "intro.md");

        Assert.Equal("/", page.RoutePath);
        Assert.Equal("https://book.dev/docs", page.PageUrl);
    }

    [Fact]
    public void ReadPage_BadYaml_KeepsThePageWithoutFrontMatter()
    {
        var page = Read("---\ntitle: [unclosed\n  : : :\n---\n\n# Heading Title\n\nBody text.\n");

        Assert.Equal("Heading Title", page.Title);
        Assert.Equal("/guide/page", page.RoutePath);
        Assert.DoesNotContain("unclosed", string.Concat(page.Sections.Select(s => s.Markdown)));
        Assert.Contains("Body text.", page.Sections[0].Text);
    }

    [Fact]
    public void ReadPage_Sections_LeadThenHeadingsWithLevelsAndTitlePaths()
    {
        var page = Read("""
            # Topics

            Lead text.

            ## Publishers

            About publishers.

            ### QoS

            About QoS.

            ## Subscribers

            About subscribers.
            """);

        Assert.Collection(
            page.Sections,
            lead =>
            {
                Assert.Equal(("Topics", "", 1), (lead.Heading, lead.Anchor, lead.Level));
                Assert.Equal(["Topics"], lead.TitlePath);
                Assert.Equal("Lead text.", lead.Text);
            },
            publishers =>
            {
                Assert.Equal(("Publishers", "publishers", 2), (publishers.Heading, publishers.Anchor, publishers.Level));
                Assert.Equal(["Topics", "Publishers"], publishers.TitlePath);
                Assert.Equal("About publishers.", publishers.Text);
            },
            qos =>
            {
                Assert.Equal(("QoS", "qos", 3), (qos.Heading, qos.Anchor, qos.Level));
                Assert.Equal(["Topics", "Publishers", "QoS"], qos.TitlePath);
            },
            subscribers => Assert.Equal(["Topics", "Subscribers"], subscribers.TitlePath));
    }

    [Fact]
    public void ReadPage_NothingBeforeFirstHeading_HasNoLeadSection()
    {
        var page = Read("---\ntitle: T\n---\n\n## First\n\nText.\n");

        Assert.Equal("first", Assert.Single(page.Sections).Anchor);
    }

    [Fact]
    public void ReadPage_TitleHeadingAlone_JoinsTheFirstSection()
    {
        var page = Read("# Title\n\n## First\n\nText.\n");

        var first = Assert.Single(page.Sections);
        Assert.Equal(("first", "Text."), (first.Anchor, first.Text));
        Assert.Equal("# Title\n\n## First\n\nText.\n", first.Markdown);
    }

    [Fact]
    public void ReadPage_OnlyATitle_KeepsTheLeadSection()
    {
        var lead = Assert.Single(Read("# Stub Page\n").Sections);

        Assert.Equal(("Stub Page", "", ""), (lead.Heading, lead.Anchor, lead.Text));
    }

    [Fact]
    public void ReadPage_Anchors_DuplicatesNumberedCustomIdsKeptMarkupIgnored()
    {
        var page = Read("""
            # Page

            ## Setup

            ## Setup

            ## Setup

            ## Install it {#custom-install}

            ## **Bold** and `code` with [a link](https://example.com)

            ## 🚀 Quick Start

            ## اردو زبان
            """);

        Assert.Equal(
            ["setup", "setup-1", "setup-2", "custom-install", "bold-and-code-with-a-link", "-quick-start", "اردو-زبان"],
            page.Sections.Select(s => s.Anchor));
        Assert.Equal("Install it", page.Sections[3].Heading);
        Assert.Equal("Bold and code with a link", page.Sections[4].Heading);
        Assert.Equal("🚀 Quick Start", page.Sections[5].Heading);
    }

    [Fact]
    public void ReadPage_NestedHeadings_TakeTheirSlugInDocumentOrder()
    {
        var page = Read("# Page\n\n## Setup\n\n> ### Setup\n\n- ### Setup\n\n## Setup\n");

        Assert.Equal(["setup", "setup-3"], page.Sections.Select(s => s.Anchor));
    }

    [Fact]
    public void ReadPage_HashLinesInCodeFences_AreNotHeadings()
    {
        var page = Read("""
            # Page

            ## Run it

            ```bash
            # Source the workspace
            source install/setup.bash
            ## not a heading either
            ```
            """);

        var section = Assert.Single(page.Sections);
        Assert.Equal("Code (bash):\n# Source the workspace\nsource install/setup.bash\n## not a heading either", section.Text);
    }

    [Fact]
    public void ReadPage_Markdown_BecomesPlainText()
    {
        var page = Read("""
            # Page

            Read the **ROS 2** [docs](https://docs.ros.org) and *the* `rclpy` guide; see ~~old~~ notes.
            Second line of the paragraph.

            - First item
            - Second item
              1. Nested one

            | Part | Price |
            |------|-------|
            | Jetson | $249 |

            > Quoted words.

            ![A humanoid robot](robot.png)
            """);

        Assert.Equal(
            """
            Read the ROS 2 docs and the rclpy guide; see old notes.
            Second line of the paragraph.

            - First item
            - Second item
              1. Nested one

            Part | Price
            Jetson | $249

            Quoted words.

            A humanoid robot
            """,
            page.Sections[0].Text);
    }

    [Fact]
    public void ReadPage_AdmonitionsCodeAndEntities_AreKeptAsText()
    {
        var page = Read("""
            # Page

            :::info Prerequisites
            Know **Python**.
            :::

            :::tip
            No title here.
            :::

            :::warning[Careful]
            Hot.
            :::

            ```python title="hello.py"
            print("hi")
            ```

            Success rate: &gt;85%, load time \&lt; 2s, and \<\<\< arrows &amp; more.
            """);

        Assert.Equal(
            """
            Info: Prerequisites
            Know Python.

            Tip:
            No title here.

            Warning: Careful
            Hot.

            Code (python):
            print("hi")

            Success rate: >85%, load time < 2s, and <<< arrows & more.
            """,
            page.Sections[0].Text);
        Assert.Contains("```python title=\"hello.py\"\nprint(\"hi\")\n```", page.Sections[0].Markdown);
    }

    [Fact]
    public void ReadPage_Mdx_ImportsCommentsAndTagsGoTheirTextStays()
    {
        var page = Read("""
            ---
            title: Setup
            ---

            import Tabs from '@theme/Tabs';
            import TabItem from '@theme/TabItem';

            # Setup

            {/* TODO: add a screenshot */}

            <Tabs groupId="os">
              <TabItem value="linux" label="Ubuntu Linux">Run the installer on Linux.</TabItem>
              <TabItem value="win" label="Windows">

              Run the **installer** on Windows.

              </TabItem>
            </Tabs>

            <details>
            <summary>Show the answer</summary>

            The answer is 42.

            </details>

            <details><summary>Inline summary</summary>Inline answer.</details>

            ```python
            import rclpy
            from x import <y>
            ```
            """, "guide/setup.mdx");

        var text = page.Sections[0].Text;
        Assert.Equal(
            """
            Ubuntu Linux
            Run the installer on Linux.

            Windows

            Run the installer on Windows.

            Show the answer

            The answer is 42.

            Inline summary Inline answer.

            Code (python):
            import rclpy
            from x import <y>
            """,
            text);
        Assert.DoesNotContain("import Tabs", page.Sections[0].Markdown);
        Assert.StartsWith("# Setup\n\n{/* TODO: add a screenshot */}", page.Sections[0].Markdown);
    }

    [Fact]
    public void ReadPage_JsxProps_ProseStringsAreKept()
    {
        var page = Read("""
            # Hardware

            ## GPU

            <HardwareTable
              title="Isaac Sim Hardware Requirements"
              requirements={[
                {
                  id: 'hw-gpu-recommended',
                  tier: 'recommended',
                  specification: 'NVIDIA RTX 4070 Ti (12GB VRAM)',
                  notes: 'Optimal for humanoid robot training',
                  price: '$700-850',
                },
              ]}
            />

            <CodeBlock language="python" title="check.py">
            {`import torch
            print(torch.cuda.is_available())`}
            </CodeBlock>

            <Step instructions={`Click **Install** on the tile.`} warning="Downloads about 25GB of data." />

            After the table.
            """, "guide/hardware.mdx");

        Assert.Equal(
            """
            Isaac Sim Hardware Requirements
            NVIDIA RTX 4070 Ti (12GB VRAM)
            Optimal for humanoid robot training

            check.py

            Code (python):
            import torch
            print(torch.cuda.is_available())

            Click Install on the tile.
            Downloads about 25GB of data.

            After the table.
            """,
            Section(page, "GPU").Text);
    }

    [Fact]
    public void ReadPage_MarkdownSlices_ConcatenateToTheBody()
    {
        const string body = """
            # Setup

            Intro paragraph.

            <Tabs>
              <TabItem value="a" label="Option A">Text A.</TabItem>
            </Tabs>

            ## Install

            ```bash
            # not a heading
            sudo apt install ros
            ```

            export-like prose does not start a line here.

            ### Verify

            Run it.

            ## Empty

            ## Last

            The end.

            """;
        var source = "---\ntitle: Setup\nsidebar_position: 2\n---\n\nimport Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n" + body;

        var page = Read(source, "guide/setup.mdx");

        Assert.Equal(body, string.Concat(page.Sections.Select(s => s.Markdown)));
        Assert.All(page.Sections, s => Assert.Equal(s.Markdown, string.Concat(s.BlocksOrWhole.Select(b => b.Markdown))));
        Assert.All(page.Sections, s => Assert.Equal(s.Text, string.Join("\n\n", s.BlocksOrWhole.Select(b => b.Text).Where(t => t.Length > 0))));
        Assert.All(page.Sections.Skip(1), s => Assert.StartsWith("#", s.Markdown));
    }

    [Fact]
    public void ReadPage_WindowsNewlines_ReadLikeUnixOnes()
    {
        var unix = Read("---\ntitle: T\n---\n# T\n\nText.\n\n## A\n\nMore.\n");
        var windows = Read("---\r\ntitle: T\r\n---\r\n# T\r\n\r\nText.\r\n\r\n## A\r\n\r\nMore.\r\n");

        Assert.Equal(unix.Sections.Select(s => (s.Anchor, s.Text, s.Markdown)), windows.Sections.Select(s => (s.Anchor, s.Text, s.Markdown)));
    }

    [Fact]
    public async Task ReadAsync_Folder_SkipsPartialsAndOrdersByFolderPositionName()
    {
        var docs = Directory.CreateTempSubdirectory("book-docs-").FullName;
        try
        {
            Write(docs, "intro.md", "---\nslug: /\n---\n# Welcome\n\nText.\n");
            Write(docs, "_template.mdx", "# Template\n\nText.\n");
            Write(docs, "_partials/shared.md", "# Shared\n\nText.\n");
            Write(docs, "01-basics/b.md", "---\nsidebar_position: 1\n---\n# B\n\nText.\n");
            Write(docs, "01-basics/a.md", "---\nsidebar_position: 2\n---\n# A\n\nText.\n");
            Write(docs, "01-basics/z.md", "# Z\n\nText.\n");
            Write(docs, "01-basics/c.md", "# C\n\nText.\n");
            Write(docs, "01-basics/img/diagram.png", "not a page");
            Write(docs, "02-advanced/index.md", "# Advanced\n\nText.\n");

            var pages = await Reader.ReadAsync(docs, TestContext.Current.CancellationToken);

            Assert.Equal(
                ["/", "/basics/b", "/basics/a", "/basics/c", "/basics/z", "/advanced"],
                pages.Select(p => p.RoutePath));
        }
        finally
        {
            Directory.Delete(docs, recursive: true);
        }
    }

    [Fact]
    public async Task ReadBookAsync_Folder_SaysWhyEachFileThatIsNotIndexedWasSkipped()
    {
        var docs = Directory.CreateTempSubdirectory("book-docs-").FullName;
        try
        {
            Write(docs, "intro.md", "# Welcome\n\nText.\n");
            Write(docs, "_template.mdx", "# Template\n\nText.\n");
            Write(docs, "_partials/shared.md", "# Shared\n\nText.\n");
            Write(docs, "wip.md", "---\ndraft: true\n---\n# Work in progress\n\nText.\n");
            Write(docs, "blank.md", "\n");
            Write(docs, "title-only.md", "# Only a title\n");
            Write(docs, ".hidden/notes.md", "# Notes\n\nText.\n");

            var read = await Reader.ReadBookAsync(docs, TestContext.Current.CancellationToken);

            Assert.Equal(["/intro"], read.Pages.Select(p => p.RoutePath));
            Assert.Equal(
                [
                    (".hidden/notes.md", SkipReasons.NotAPage), ("_partials/shared.md", SkipReasons.Partial), ("_template.mdx", SkipReasons.Partial),
                    ("blank.md", SkipReasons.Empty), ("title-only.md", SkipReasons.Empty), ("wip.md", SkipReasons.Draft),
                ],
                read.Skipped.Select(s => (s.Path, s.Reason)));
        }
        finally
        {
            Directory.Delete(docs, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, "page.md", new[] { "install" })]
    [InlineData("markdown: { format: 'mdx' },", "page.md", new[] { "install" })]
    [InlineData("markdown: { format: 'detect' },", "page.md", new[] { "install", "basic-gazebo-workflow" })]
    [InlineData("markdown: { format: 'detect' },", "page.mdx", new[] { "install" })]
    [InlineData("markdown: {format: \"md\"},", "page.mdx", new[] { "install", "basic-gazebo-workflow" })]
    public async Task ReadBookAsync_UnclosedIndentedFence_SwallowsTheNextHeadingOnlyWhereTheSiteReadsMdx(string? config, string file, string[] anchors)
    {
        var site = Directory.CreateTempSubdirectory("book-site-").FullName;
        try
        {
            if (config is not null)
            {
                Write(site, "docusaurus.config.js", $"export default {{\n  title: 'Book',\n  {config}\n}};\n");
            }

            Write(site, "docs/" + file, "# T\n\n## Install\n\n    ```bash\n    sudo apt install gazebo\n\n## Basic Gazebo Workflow\n\nText.\n");

            var read = await Reader.ReadBookAsync(Path.Combine(site, "docs"), TestContext.Current.CancellationToken);

            Assert.Equal(anchors, Assert.Single(read.Pages).Sections.Select(s => s.Anchor).Where(a => a.Length > 0));
        }
        finally
        {
            Directory.Delete(site, recursive: true);
        }
    }

    [Theory]
    [InlineData("# Navigation\\n\\nUse the sidebar to move between chapters.\\n\\n## Keyboard\\n\\nPress \\t to move.\n")]
    [InlineData("\"# Navigation\\n\\nUse the sidebar to move between chapters.\\n\\n## Keyboard\\n\\nPress \\t to move.\"")]
    [InlineData("---\ntitle: Navigation\n---\n# Navigation\\n\\nUse the sidebar to move between chapters.\\n\\n## Keyboard\\n\\nPress \\t to move.\n")]
    public void ReadPage_OneLineOfEscapedText_IsUnescapedAndSaysSo(string source)
    {
        var page = Read(source);

        Assert.Equal("Navigation", page.Title);
        Assert.Contains("Use the sidebar to move between chapters.", page.Sections[0].Text, StringComparison.Ordinal);
        Assert.Equal("keyboard", Section(page, "Keyboard").Anchor);
        Assert.Equal("Press to move.", Section(page, "Keyboard").Text);
        Assert.Contains("escaped", Assert.Single(page.Repairs), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPage_OneEscapeInAnOrdinaryLine_IsLeftAsWritten()
    {
        var page = Read("# Paths\n\nOn Windows, C:\\new is a folder.\n");

        Assert.Empty(page.Repairs);
        Assert.Contains("C:\\new", page.Sections[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPage_FrontMatter_DescriptionTagsAndSidebarLabelLeadTheFirstSection()
    {
        var page = Read(
            "---\ntitle: Nodes and Topics\nsidebar_label: Pub/Sub basics\ndescription: How ROS 2 nodes talk over topics.\n" +
            "tags: [ros2, middleware, {label: DDS, permalink: /dds}]\n---\n\n## Publishers\n\nA publisher sends messages.\n");

        var first = page.Sections[0];
        Assert.Equal("publishers", first.Anchor);
        Assert.StartsWith("How ROS 2 nodes talk over topics.\nSidebar label: Pub/Sub basics\nTags: ros2, middleware, DDS\n\nA publisher", first.Text, StringComparison.Ordinal);
        Assert.Equal("", first.BlocksOrWhole[0].Markdown);
        Assert.StartsWith("## Publishers", first.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPage_OnlyFrontMatter_IsOneSectionOfItsDescription()
    {
        var page = Read("---\ntitle: Glossary\ndescription: Terms used in the book.\n---\n");

        var only = Assert.Single(page.Sections);
        Assert.Equal("Terms used in the book.", only.Text);
        Assert.True(MarkdownBookReader.HasText(page));
    }

    [Fact]
    public async Task ReadAsync_MissingFolder_FailsWithThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-docs-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Reader.ReadAsync(missing, TestContext.Current.CancellationToken));

        Assert.Contains(missing, error.Message);
    }

    private static void Write(string root, string relativePath, string content)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
