using System.Collections.Concurrent;
using PuppeteerSharp;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;
using RagFunctions.Tests.Translation;

namespace RagFunctions.Tests.Site;

/// <summary>
/// The front page in headless Chromium against the standalone host over real HTTP: the sample book's index, the
/// Cohere double as chat model and translator. Every page must load without a script error or a policy violation.
/// </summary>
public sealed class FrontPageBrowserTests(FrontPageBrowserTests.Site site) : IClassFixture<FrontPageBrowserTests.Site>
{
    private const int Timeout = 60_000;
    private const string Question = "What is a ROS 2 topic?";

    [Fact]
    public async Task HealthLine_ShowsOk()
    {
        await using var page = await site.OpenAsync();

        await page.WaitForFunctionAsync("() => document.querySelector('#health').dataset.state !== 'checking'", new WaitForFunctionOptions { Timeout = Timeout });

        Assert.Equal("ok", await page.EvaluateExpressionAsync<string>("document.querySelector('#health').dataset.state"));
        Assert.StartsWith("Health: ok", await page.EvaluateExpressionAsync<string>("document.querySelector('#health-text').textContent"), StringComparison.Ordinal);
        site.AssertNoErrors(page);
    }

    [Fact]
    public async Task WithoutALanguageModel_TheTranslateButtonIsDisabled_WithTheReasonShown()
    {
        await using var offline = await SampleBookIndex.StartAppAsync();
        await using var page = await site.OpenAsync("/", offline.Client.BaseAddress);

        await page.WaitForFunctionAsync("() => document.querySelector('#health').dataset.state !== 'checking'", new WaitForFunctionOptions { Timeout = Timeout });

        Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelector('#translate').disabled"));
        Assert.False(await page.EvaluateExpressionAsync<bool>("document.querySelector('#translate-reason').hidden"));
        Assert.Contains("no language model", await page.EvaluateExpressionAsync<string>("document.querySelector('#translate-reason').textContent"), StringComparison.Ordinal);
        site.AssertNoErrors(page);
    }

    [Fact]
    public async Task WithALanguageModel_TheTranslateButtonIsEnabled()
    {
        await using var page = await site.OpenAsync();

        await page.WaitForFunctionAsync("() => document.querySelector('#health').dataset.state !== 'checking'", new WaitForFunctionOptions { Timeout = Timeout });

        Assert.False(await page.EvaluateExpressionAsync<bool>("document.querySelector('#translate').disabled"));
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelector('#translate-reason').hidden"));
    }

    [Fact]
    public async Task QuestionTypedInThePage_GetsAStreamedAnswer_WithItsSourcesAsLinks()
    {
        await using var page = await site.OpenAsync();

        // Each text the answer shows while the stream is open.
        await page.EvaluateExpressionAsync("""
            window.partials = new Set();
            new MutationObserver(() => {
              const answer = document.querySelector('#answer');
              if (answer.classList.contains('streaming') && answer.textContent) window.partials.add(answer.textContent);
            }).observe(document.querySelector('#answer'), { childList: true, characterData: true, subtree: true });
            """);
        await page.TypeAsync("#question", Question);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync(
            "() => document.querySelector('#answer-meta').textContent !== '' && !document.querySelector('#answer').classList.contains('streaming')",
            new WaitForFunctionOptions { Timeout = Timeout });

        var answer = await page.EvaluateExpressionAsync<string>("document.querySelector('#answer').textContent");
        var meta = await page.EvaluateExpressionAsync<string>("document.querySelector('#answer-meta').textContent");
        var partials = await page.EvaluateExpressionAsync<string[]>("[...window.partials]");
        var links = await page.EvaluateExpressionAsync<Link[]>(
            "[...document.querySelectorAll('#sources a')].map(a => ({ href: a.href, text: a.textContent, target: a.target }))");
        await site.ScreenshotAsync(page, "chat");

        Assert.DoesNotContain("Error", meta, StringComparison.Ordinal);
        Assert.Contains("generative", meta, StringComparison.Ordinal);
        Assert.StartsWith(CohereDouble.AnswerPrefix, answer, StringComparison.Ordinal);
        Assert.True(partials.Length >= 2, $"the answer appeared in {partials.Length} step(s), not streamed");
        Assert.Contains(partials, p => p.Length < answer.Length);
        Assert.NotEmpty(links);
        Assert.All(links, l =>
        {
            Assert.StartsWith("http://localhost:3000/docs/", l.Href, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(l.Text));
            Assert.Equal("_blank", l.Target);
        });
        site.AssertNoErrors(page);
    }

    [Fact]
    public async Task TranslateTryOut_ShowsThePageInUrdu_RightToLeft()
    {
        await using var page = await site.OpenAsync();

        await page.WaitForFunctionAsync("() => document.querySelectorAll('#page-list option').length > 0", new WaitForFunctionOptions { Timeout = Timeout });
        var offered = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#page-list option')].map(o => o.value)");
        await page.EvaluateExpressionAsync("document.querySelector('#page-url').value = ''");
        await page.TypeAsync("#page-url", TranslationHarness.CommunicationPage);
        await page.ClickAsync("#translate");
        await page.WaitForFunctionAsync(
            "() => document.querySelector('#translation').textContent !== '' || document.querySelector('#translation-meta').classList.contains('error')",
            new WaitForFunctionOptions { Timeout = Timeout });

        var translation = await page.EvaluateExpressionAsync<string>("document.querySelector('#translation').textContent");
        var meta = await page.EvaluateExpressionAsync<string>("document.querySelector('#translation-meta').textContent");
        var direction = await page.EvaluateExpressionAsync<string>("getComputedStyle(document.querySelector('#translation')).direction");
        await site.ScreenshotAsync(page, "translate");

        Assert.Contains(TranslationHarness.CommunicationPage, offered);
        Assert.DoesNotContain("Error", meta, StringComparison.Ordinal);
        Assert.Contains(FakeTranslator.Marker, translation, StringComparison.Ordinal);
        Assert.Equal("rtl", direction);
        site.AssertNoErrors(page);
    }

    [Fact]
    public async Task ApiReference_RendersEveryOperation_AndTriesOneFromTheBrowser()
    {
        await using var page = await site.OpenAsync("/docs");

        await page.WaitForFunctionAsync("() => document.querySelectorAll('details.op').length > 0", new WaitForFunctionOptions { Timeout = Timeout });
        var operations = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('details.op')].map(d => d.id.slice(3))");
        await page.EvaluateExpressionAsync("document.querySelector('#op-health').open = true");
        await page.ClickAsync("#op-health form.try button");
        await page.WaitForFunctionAsync("() => document.querySelector('#op-health .result-status').textContent.startsWith('200')", new WaitForFunctionOptions { Timeout = Timeout });
        var output = await page.EvaluateExpressionAsync<string>("document.querySelector('#op-health form.try pre').textContent");
        await site.ScreenshotAsync(page, "docs");

        var expected = RagFunctions.Hosting.FunctionRoutes.Discover(typeof(RagFunctions.Hosting.RagHost).Assembly)
            .SelectMany(r => r.Methods.Select(m => m == r.Methods.First(x => x != "HEAD") ? r.Name : r.Name + "-" + m.ToLowerInvariant()));
        Assert.Equal(expected.Order(StringComparer.Ordinal), operations.Order(StringComparer.Ordinal));
        Assert.Contains("\"status\"", output, StringComparison.Ordinal);
        site.AssertNoErrors(page);
    }

    public sealed record Link(string Href, string Text, string Target);

    /// <summary>One host, one Cohere double and one browser for the class; a fresh page per test.</summary>
    public sealed class Site : IAsyncLifetime
    {
        private readonly ConcurrentDictionary<IPage, ConcurrentQueue<string>> errors = new();
        private CohereDouble? cohere;
        private TestApp? app;
        private IBrowser? browser;

        public async ValueTask InitializeAsync()
        {
            // First, so that a machine without Chromium fails at once and leaves nothing running.
            browser = await Chromium.LaunchAsync();
            cohere = await CohereDouble.StartAsync(TestContext.Current.CancellationToken);
            cohere.Respond = new FakeTranslator().Respond;
            // Tokens a little apart, as a model sends them, so the page can be seen to stream.
            cohere.TokenDelay = TimeSpan.FromMilliseconds(15);
            app = await TestApp.StartAsync(new Dictionary<string, string?>
            {
                ["RAG_DATA_DIR"] = await SampleBookIndex.CopyAsync(),
                ["COHERE_API_KEY"] = cohere.ApiKey,
                ["COHERE_BASE_URL"] = cohere.BaseUrl,
            });
        }

        public async Task<IPage> OpenAsync(string path = "/", Uri? server = null)
        {
            // A context of its own: no cache or storage shared with another test's page.
            var context = await browser!.CreateBrowserContextAsync();
            var page = await context.NewPageAsync();
            var seen = errors.GetOrAdd(page, _ => new ConcurrentQueue<string>());
            page.Console += (_, e) =>
            {
                if (e.Message.Type == ConsoleType.Error)
                {
                    seen.Enqueue("console: " + e.Message.Text);
                }
            };
            page.PageError += (_, e) => seen.Enqueue("page error: " + e.Message);
            await page.SetViewportAsync(new ViewPortOptions { Width = 1100, Height = 900 });
            var response = await page.GoToAsync(new Uri(server ?? app!.Client.BaseAddress!, path).ToString(), Timeout, [WaitUntilNavigation.Load]);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.Status);
            return page;
        }

        public void AssertNoErrors(IPage page)
        {
            var seen = errors.TryGetValue(page, out var queue) ? queue.ToArray() : [];
            Assert.True(seen.Length == 0, "The page reported errors:\n" + string.Join("\n", seen));
        }

        /// <summary>A full-page screenshot in the temp folder, named in the test output, to look at by eye.</summary>
        public async Task ScreenshotAsync(IPage page, string name)
        {
            var file = Path.Combine(TempDirectory.Create(), $"front-page-{name}.png");
            await page.ScreenshotAsync(file, new ScreenshotOptions { FullPage = true });
            TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {file}");
        }

        public async ValueTask DisposeAsync()
        {
            if (browser is not null)
            {
                await browser.DisposeAsync();
            }

            if (app is not null)
            {
                await app.DisposeAsync();
            }

            if (cohere is not null)
            {
                await cohere.DisposeAsync();
            }
        }
    }
}
