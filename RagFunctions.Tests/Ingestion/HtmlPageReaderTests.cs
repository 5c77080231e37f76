using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Ingestion;

public sealed class HtmlPageReaderTests
{
    private static readonly HtmlPageReader Reader = new(new DocusaurusSite("https://example.github.io/Book/"));

    /// <summary>A page as Docusaurus 3 builds it, trimmed to the parts that matter.</summary>
    private const string BuiltPage = """
        <!doctype html>
        <html lang="en">
        <head><title>ROS 2 Topics | Physical AI Book</title><script>window.x = 1;</script></head>
        <body>
        <nav class="navbar"><a class="navbar__brand" href="/Book/">Physical AI Book</a></nav>
        <div class="main-wrapper"><div class="docsWrapper">
          <aside class="theme-doc-sidebar-container"><nav class="menu">
            <a class="menu__link" href="/Book/docs/intro">Welcome</a>
            <a class="menu__link menu__link--active" aria-current="page" href="/Book/docs/module-1/topics">Topics</a>
          </nav></aside>
          <main class="docMainContainer"><div class="container"><div class="row"><div class="col docItemCol">
            <article>
              <nav class="theme-doc-breadcrumbs"><ul class="breadcrumbs"><li>Module 1</li><li>Topics</li></ul></nav>
              <div class="tocCollapsible theme-doc-toc-mobile"><button>On this page</button></div>
              <div class="theme-doc-markdown markdown">
                <header><h1>ROS 2 Topics</h1></header>
                <p>Topics carry <strong>messages</strong> between <a href="/Book/docs/nodes">nodes</a>.</p>
                <h2 class="anchor anchorWithStickyNavbar" id="publishers">Publishers<a href="#publishers" class="hash-link" aria-label="Direct link to Publishers" title="Direct link to Publishers">&#8203;</a></h2>
                <p>A publisher sends data &gt; 10 Hz.</p>
                <div class="language-python codeBlockContainer theme-code-block"><div class="codeBlockContent">
                  <pre tabindex="0" class="prism-code language-python codeBlock thin-scrollbar"><code class="codeBlockLines"><span class="token-line"><span class="token keyword">import</span><span class="token plain"> rclpy</span><br></span><span class="token-line"><span class="token plain">node </span><span class="token operator">=</span><span class="token plain"> rclpy.create_node(</span><span class="token string">'talker'</span><span class="token plain">)</span><br></span></code></pre>
                  <div class="buttonGroup"><button type="button" aria-label="Copy code to clipboard" title="Copy" class="clean-btn"><span>Copy</span></button></div>
                </div></div>
                <h3 class="anchor anchorWithStickyNavbar" id="quality-of-service">Quality of <code>Service</code><a href="#quality-of-service" class="hash-link">&#8203;</a></h3>
                <ul><li>Reliable</li><li>Best effort<ul><li>Lossy links</li></ul></li></ul>
                <div class="theme-admonition theme-admonition-tip admonition alert alert--success">
                  <div class="admonitionHeading"><span class="admonitionIcon"><svg viewBox="0 0 12 16"><path d="M6.5 0"></path></svg></span>Pro tip</div>
                  <div class="admonitionContent"><p>Match QoS on both ends.</p></div>
                </div>
                <h2 class="anchor anchorWithStickyNavbar" id="-summary">📋 Summary<a href="#-summary" class="hash-link">&#8203;</a></h2>
                <table><thead><tr><th>Pattern</th><th>Use</th></tr></thead><tbody><tr><td>Topic</td><td>Streams</td></tr></tbody></table>
                <details class="details alert"><summary>Show answer</summary><div><div><p>Use a topic.</p></div></div></details>
              </div>
              <footer class="theme-doc-footer docusaurus-mt-lg"><div class="row"><a href="https://github.com/x/edit/main/docs/topics.md" class="theme-edit-this-page">Edit this page</a></div></footer>
            </article>
            <nav class="pagination-nav docusaurus-mt-lg" aria-label="Docs pages"><a class="pagination-nav__link pagination-nav__link--prev" href="/Book/docs/intro"><div class="pagination-nav__label">Welcome</div></a></nav>
          </div></div></div></main>
        </div></div>
        <footer class="footer"><div class="footer__copyright">Copyright © 2025</div></footer>
        </body>
        </html>
        """;

    [Fact]
    public void Read_BuiltPage_TitleUrlRouteAndSidebarLabel()
    {
        var page = Reader.Read("https://example.github.io/Book/docs/module-1/topics/", BuiltPage);

        Assert.Equal("ROS 2 Topics", page.Title);
        Assert.Equal("https://example.github.io/Book/docs/module-1/topics", page.PageUrl);
        Assert.Equal("/module-1/topics", page.RoutePath);
        Assert.Equal("Topics", page.SidebarLabel);
        Assert.Equal("https://example.github.io/Book/docs/module-1/topics/", page.SourcePath);
    }

    [Fact]
    public void Read_BuiltPage_SectionsUseTheRenderedIds()
    {
        var page = Reader.Read("https://example.github.io/Book/docs/module-1/topics", BuiltPage);

        Assert.Equal(["", "publishers", "quality-of-service", "-summary"], page.Sections.Select(s => s.Anchor));
        Assert.Equal(["ROS 2 Topics", "Publishers", "Quality of Service", "📋 Summary"], page.Sections.Select(s => s.Heading));
        Assert.Equal([1, 2, 3, 2], page.Sections.Select(s => s.Level));
        Assert.Equal(["ROS 2 Topics", "Publishers", "Quality of Service"], page.Sections[2].TitlePath);
        Assert.Equal(["ROS 2 Topics", "📋 Summary"], page.Sections[3].TitlePath);
    }

    [Fact]
    public void Read_BuiltPage_KeepsContentAndCodeDropsChrome()
    {
        var page = Reader.Read("https://example.github.io/Book/docs/module-1/topics", BuiltPage);

        Assert.Equal("Topics carry messages between nodes.", page.Sections[0].Text);
        Assert.Equal("A publisher sends data > 10 Hz.\n\nCode (python):\nimport rclpy\nnode = rclpy.create_node('talker')", page.Sections[1].Text);
        Assert.Equal("- Reliable\n- Best effort\n  - Lossy links\n\nPro tip\n\nMatch QoS on both ends.", page.Sections[2].Text);
        Assert.Equal("Pattern | Use\nTopic | Streams\n\nShow answer\n\nUse a topic.", page.Sections[3].Text);
        var everything = string.Join("\n", page.Sections.Select(s => s.Text + s.Markdown));
        Assert.DoesNotContain("Edit this page", everything);
        Assert.DoesNotContain("Welcome", everything);
        Assert.DoesNotContain("Copy", everything);
        Assert.DoesNotContain("Copyright", everything);
        Assert.DoesNotContain("On this page", everything);
        Assert.DoesNotContain("\u200b", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BuiltPage_MarkdownIsAReadableRendering()
    {
        var page = Reader.Read("https://example.github.io/Book/docs/module-1/topics", BuiltPage);

        Assert.Equal(
            "## Publishers\n\nA publisher sends data > 10 Hz.\n\n```python\nimport rclpy\nnode = rclpy.create_node('talker')\n```\n\n",
            page.Sections[1].Markdown);
        Assert.StartsWith("# ROS 2 Topics\n\n", page.Sections[0].Markdown);
        Assert.Contains("| Pattern | Use |\n| --- | --- |\n| Topic | Streams |", page.Sections[3].Markdown);
        Assert.All(page.Sections, s => Assert.Equal(s.Markdown, string.Concat(s.BlocksOrWhole.Select(b => b.Markdown))));
    }

    [Fact]
    public void Read_PlainHtml_FallsBackToMainTitleAndSlugs()
    {
        const string html = """
            <html><head><title>Plain Page | Site</title></head>
            <body><main><p>Intro.</p><h2>First Part</h2><p>One.</p><h2>First Part</h2><p>Two.</p></main></body></html>
            """;

        var page = Reader.Read("https://other.dev/plain", html);

        Assert.Equal("Plain Page", page.Title);
        Assert.Equal("https://other.dev/plain", page.PageUrl);
        Assert.Equal(["", "first-part", "first-part-1"], page.Sections.Select(s => s.Anchor));
    }

    [Fact]
    public void Read_ThenChunk_GivesChunksWithSectionUrls()
    {
        var page = Reader.Read("https://example.github.io/Book/docs/module-1/topics", BuiltPage);

        var chunks = new Chunker().Chunk(page, ChunkingOptions.Default);

        Assert.Equal("https://example.github.io/Book/docs/module-1/topics", chunks[0].Url);
        Assert.All(chunks, c => Assert.StartsWith("ROS 2 Topics", c.Text));
    }
}
