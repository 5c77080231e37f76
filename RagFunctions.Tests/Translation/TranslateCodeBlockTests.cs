using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Translation;

/// <summary>
/// <c>POST /translate</c> through real HTTP on pages full of code (CRLF files, fences with meta, nested and long blocks), with
/// the Cohere double turning every English word into "Urdu": every code block must come back byte-identical.
/// </summary>
public sealed class TranslateCodeBlockTests
{
    private const string CorpusPage = "module-1-ros2/week-3-lesson-1-ros2-architecture.md";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A page with a code block in each form, and one much longer than a chunk (the index cuts it into several).</summary>
    private static string CodePage()
    {
        var longListing = new StringBuilder("```python title=\"long_node.py\" showLineNumbers\nimport rclpy\n\n");
        for (var i = 0; i < 120; i++)
        {
            longListing.Append(CultureInfo.InvariantCulture, $"def handle_reading_{i}(message):\n    # Convert the reading and publish it again\n    return message.data * {i}\n\n");
        }

        longListing.Append("```");
        return $"""
            ---
            title: Code in every form
            ---

            # Code in every form

            This page shows code written in many different ways.

            ```python title="temp_publisher.py"
            import rclpy
            from rclpy.node import Node
            ```

            ~~~bash
            ros2 run demo_nodes_cpp talker
            ~~~

            ````markdown
            ```python
            print('inner fence')
            ```
            ````

            - Build the workspace:

              ```bash
              colcon build --symlink-install
              ```

            > Try this in a terminal:
            >
            > ```bash
            > ros2 topic list
            > ```

            :::tip Build it
            ```bash
            colcon build --packages-select demo
            ```
            :::

            <details>
            <summary>Show the solution</summary>

            ```python
            print('the answer')
            ```

            </details>

            Run this too:

                ros2 node info talker

            ## A long listing

            The whole node comes next.

            {longListing}

            That was a long listing.
            """.ReplaceLineEndings("\r\n");
    }

    [Fact]
    public async Task Translate_CrlfPagesWithCodeInEveryForm_GiveEveryCodeBlockBackByteIdentical()
    {
        var docs = TempDirectory.Create();
        await File.WriteAllTextAsync(Path.Combine(docs, "code-forms.md"), CodePage(), Cancel);
        Directory.CreateDirectory(Path.Combine(docs, "module-1-ros2"));
        File.Copy(Path.Combine(Corpora.Docs(Corpora.A), CorpusPage), Path.Combine(docs, CorpusPage));
        await using var t = await TranslationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["RAG_DATA_DIR"] = TempDirectory.Create(),
            ["BOOK_DOCS_DIR"] = docs,
        });
        await t.App.StartupIngestion;

        foreach (var (file, url) in new[]
                 {
                     ("code-forms.md", "http://localhost:3000/docs/code-forms"),
                     (CorpusPage, "http://localhost:3000/docs/module-1-ros2/week-3-lesson-1-ros2-architecture"),
                 })
        {
            var source = (await File.ReadAllTextAsync(Path.Combine(docs, file), Cancel)).ReplaceLineEndings("\n");
            var expected = FencedBlocks.In(source);

            var json = await t.TranslatePageAsync(url);

            var markdown = json.GetProperty("translated_markdown").GetString()!;
            Assert.Equal(expected, FencedBlocks.In(markdown));
            Assert.Contains(FakeTranslator.Marker, markdown, StringComparison.Ordinal);
            Assert.False(json.TryGetProperty("untranslated_sections", out _), file);
            if (file == "code-forms.md")
            {
                Assert.Equal(8, expected.Count);
                Assert.Contains("\n    ros2 node info talker\n", markdown, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(expected, b => b.StartsWith("```python title=\"temp_publisher.py\"", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Translate_CrlfContent_KeepsCodeBlocksAndLineEndingsByteIdentical()
    {
        await using var t = await TranslationHarness.StartAsync();
        var content = CodePage();

        using var response = await t.App.Client.PostAsJsonAsync("/translate", new Dictionary<string, string> { ["content"] = content }, Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, body);
        var markdown = JsonDocument.Parse(body).RootElement.GetProperty("translated_markdown").GetString()!;
        var blocks = FencedBlocks.In(content);
        Assert.Equal(8, blocks.Count);
        Assert.Equal(blocks, FencedBlocks.In(markdown));
        Assert.Contains("\r\n    ros2 node info talker\r\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("This page shows", markdown, StringComparison.Ordinal);
        Assert.Equal(content.Split('\n').Length, markdown.Split('\n').Length);
    }
}
