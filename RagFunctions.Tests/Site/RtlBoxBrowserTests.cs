using System.Text.RegularExpressions;
using PuppeteerSharp;
using RagFunctions.Tests.Support;
using RagFunctions.Tests.Translation;
using RagFunctions.Translation;

namespace RagFunctions.Tests.Site;

/// <summary>
/// A translated chapter as client A shows it: the <c>translation</c> of <c>POST /translate</c> (real HTTP) as the text of
/// a <c>dir="rtl"</c> box with <c>white-space: pre-wrap</c>, in headless Chromium. Each code line's characters must be
/// laid out left to right in source order, measured with <c>Range.getClientRects</c>; the same text without the
/// directional isolates is laid out wrong, which shows what the isolates fix. Screenshots of both are saved to look at.
/// </summary>
public sealed partial class RtlBoxBrowserTests
{
    private const string ClientABox = """
        <!doctype html><html><head><meta charset="utf-8"><style>
        body { margin: 16px; font: 15px/1.6 "Noto Sans", "Noto Naskh Arabic", sans-serif; }
        .translated { direction: rtl; white-space: pre-wrap; border: 1px solid #ccc; padding: 12px; width: 760px; }
        </style></head><body><div id="box" class="translated" dir="rtl"></div></body></html>
        """;

    /// <summary>The code lines whose characters are not laid out left to right in source order (visual line by visual line).</summary>
    private const string MisorderedLines = """
        (text, lines) => {
          const box = document.getElementById('box');
          box.textContent = text;
          const node = box.firstChild;
          const bad = [];
          let from = 0;
          for (const line of lines) {
            let at = node.data.indexOf(line, from);
            if (at < 0) at = node.data.indexOf(line);
            if (at < 0) { bad.push('missing: ' + line); continue; }
            from = at + line.length;
            let previous = null;
            for (let i = 0; i < line.length; i++) {
              if (line[i] === ' ') continue;
              const range = document.createRange();
              range.setStart(node, at + i);
              range.setEnd(node, at + i + 1);
              const rect = range.getClientRects()[0];
              if (!rect) continue;
              const sameLine = previous && Math.abs(rect.top - previous.top) < 4;
              if (previous && (sameLine ? rect.left <= previous.left : rect.top < previous.top)) {
                bad.push(line + '  (at character ' + i + ')');
                break;
              }
              previous = rect;
            }
          }
          return bad;
        }
        """;

    [Fact]
    public async Task TranslatedChapter_InClientAsRightToLeftBox_ShowsEachCodeLineLeftToRight()
    {
        await using var harness = await TranslationHarness.StartAsync();
        var json = await harness.TranslatePageAsync();
        var translation = json.GetProperty("translation").GetString()!;
        var codeLines = FencedBlock().Matches(json.GetProperty("translated_markdown").GetString()!)
            .SelectMany(m => m.Groups[1].Value.Split('\n'))
            .Where(l => l.Trim().Length > 0)
            .ToArray();
        Assert.Contains("class Talker(Node):", codeLines);
        Assert.Contains(codeLines, l => l.StartsWith('/') || l.Contains(" /", StringComparison.Ordinal));

        await using var browser = await Chromium.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 820, Height = 900 });
        await page.SetContentAsync(ClientABox);

        var withoutIsolates = await page.EvaluateFunctionAsync<string[]>(MisorderedLines, RtlIsolates.Without(translation), codeLines);
        await ScreenshotAsync(page, "without-isolates");
        var withIsolates = await page.EvaluateFunctionAsync<string[]>(MisorderedLines, translation, codeLines);
        await ScreenshotAsync(page, "with-isolates");

        Assert.NotEmpty(withoutIsolates);
        Assert.True(withIsolates.Length == 0, "Code lines not laid out left to right:\n" + string.Join('\n', withIsolates));
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var file = Path.Combine(TempDirectory.Create(), $"rtl-box-{name}.png");
        await page.ScreenshotAsync(file, new ScreenshotOptions { FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {file}");
    }

    [GeneratedRegex(@"```[^\n]*\n([\s\S]*?)\n```")]
    private static partial Regex FencedBlock();
}
