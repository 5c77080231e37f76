using RagFunctions.Retrieval.VectorStore;
using static RagFunctions.Tests.Retrieval.TestChunks;

namespace RagFunctions.Tests.Retrieval;

/// <summary>
/// What every <see cref="IVectorStore"/> must do. A store's test class derives from this one and says how to make an
/// empty store; xUnit runs every fact below for it. Stores handed out are disposed after each test.
/// </summary>
public abstract class VectorStoreConformanceTests : IAsyncDisposable
{
    private readonly List<IVectorStore> stores = [];

    /// <summary>Inputs that would be FTS5 (or SQL) syntax if passed through: each must be harmless.</summary>
    public static TheoryData<string> HostileQueries { get; } =
    [
        "\"", "\"\"\"", "\"gripper", "gripper\"", "*", "gripper*", "*gripper", "NEAR(gripper torque)", "NEAR(gripper torque, 2)",
        "NEAR(", "gripper AND OR NOT torque", "AND", "OR", "NOT", "-gripper", "gripper -torque", "heading:gripper", "text : gripper",
        "{heading text}: gripper", "^gripper", "gripper + torque", "(((", ")", "'; DROP TABLE chunks; --", "' OR 1=1 --", "\\", "\0",
        "🤖🦾", "روبوٹ کا بازو کیسے کام کرتا ہے؟", "", "   ", "\t\n", "gripper\u200Btorque", new string('a', 10_000),
        string.Join(' ', Enumerable.Repeat("gripper torque", 300)),
    ];

    /// <summary>Hostile inputs that still contain the word "gripper" on its own.</summary>
    public static TheoryData<string> HostileQueriesWithAWord { get; } =
    [
        "gripper*", "\"gripper", "NEAR(gripper torque)", "-gripper", "heading:gripper", "gripper'; DROP TABLE chunks; --", "(gripper)",
    ];

    /// <summary>Search modes by name (<see cref="SearchMode"/> is internal, theory parameters are public).</summary>
    public static TheoryData<string> Modes { get; } = [nameof(SearchMode.Hybrid), nameof(SearchMode.Dense), nameof(SearchMode.Keyword)];

    private protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A store over a new, empty index (not yet <see cref="IVectorStore.EnsureReadyAsync"/>'d).</summary>
    private protected abstract Task<IVectorStore> CreateStoreAsync(EmbeddingModelInfo embedding);

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in stores)
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EnsureReady_EmptyIndex_RecordsTheModel()
    {
        var store = await ReadyStoreAsync();

        var stats = await store.GetStatsAsync(Cancel);

        Assert.Equal(Model, stats.Embedding);
        Assert.Equal(0, stats.Chunks);
        Assert.Equal(0, stats.Pages);
        Assert.Null(stats.BuiltAt);
        Assert.False(string.IsNullOrWhiteSpace(store.Provider));
    }

    [Fact]
    public async Task EnsureReady_SameModelAgain_KeepsTheIndex()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "servo motors").With(Axis(0))), Cancel);

        await store.EnsureReadyAsync(Model, Cancel);

        Assert.Equal(1, (await store.GetStatsAsync(Cancel)).Chunks);
    }

    [Fact]
    public async Task EnsureReady_OtherModel_ThrowsIndexMismatch()
    {
        var store = await ReadyStoreAsync();
        var other = Model with { Model = "another-embedding" };

        var ex = await Assert.ThrowsAsync<IndexMismatchException>(() => store.EnsureReadyAsync(other, Cancel));

        Assert.Equal(Model, ex.Built);
        Assert.Equal(other, ex.Configured);
    }

    [Fact]
    public async Task EnsureReady_OtherDimensions_ThrowsIndexMismatch()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "servo motors").With(Axis(0))), Cancel);
        var other = Model with { Dimensions = Dimensions * 2 };

        var ex = await Assert.ThrowsAsync<IndexMismatchException>(() => store.EnsureReadyAsync(other, Cancel));

        Assert.Equal(Model, ex.Built);
        Assert.Equal(other, ex.Configured);
    }

    [Fact]
    public async Task WritePage_NewChunks_GetPageReturnsThemInPositionOrder()
    {
        var store = await ReadyStoreAsync();
        var chunks = new[]
        {
            Chunk("c", "Third part about actuators.", position: 2, heading: "Actuators"),
            Chunk("a", "Lead text of the chapter.", position: 0),
            Chunk("b", "Second part about sensors.", position: 1, heading: "Sensors"),
        };

        await store.WritePageAsync(Page([.. chunks.Select((c, i) => c.With(Axis(i)))]), Cancel);
        var page = await store.GetPageAsync(PageUrl("intro"), Cancel);

        Assert.Equal(["a", "b", "c"], page.Select(c => c.Id));
        foreach (var stored in page)
        {
            AssertSameChunk(chunks.Single(c => c.Id == stored.Id), stored);
        }
    }

    [Fact]
    public async Task GetPage_UnknownPage_ReturnsNothing()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "servo motors").With(Axis(0))), Cancel);

        Assert.Empty(await store.GetPageAsync(PageUrl("missing"), Cancel));
    }

    [Fact]
    public async Task WritePage_ChangedContentSameId_ReplacesTheChunk()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "Brushless motors spin the propellers.").With(Axis(1))), Cancel);

        var changed = Chunk("a", "Omnidirectional wheels roll sideways.", heading: "Wheels");
        await store.WritePageAsync(Page(changed.With(Axis(0))), Cancel);

        var page = await store.GetPageAsync(PageUrl("intro"), Cancel);
        AssertSameChunk(changed, Assert.Single(page));
        Assert.Empty(await store.SearchAsync(Search("brushless propellers", mode: SearchMode.Keyword), Cancel));
        Assert.Equal("a", Assert.Single(await store.SearchAsync(Search("omnidirectional wheels", mode: SearchMode.Keyword), Cancel)).Chunk.Id);
        var dense = Assert.Single(await store.SearchAsync(Search("", Axis(0), mode: SearchMode.Dense), Cancel));
        Assert.Equal(1.0, dense.Score, 4);
        Assert.Equal(1, (await store.GetStatsAsync(Cancel)).Chunks);
    }

    [Fact]
    public async Task WritePage_IdsNotInKeepIds_AreDeleted()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("a", "Lead text about robots.", position: 0).With(Axis(0)),
            Chunk("b", "Quaternions describe rotations.", position: 1).With(Axis(1)),
            Chunk("c", "Closing words about robots.", position: 2).With(Axis(2))), Cancel);

        await store.WritePageAsync(new PageWrite(PageUrl("intro"), [], ["a", "c"]), Cancel);

        Assert.Equal(["a", "c"], (await store.GetPageAsync(PageUrl("intro"), Cancel)).Select(c => c.Id));
        Assert.Equal(["a", "c"], (await store.GetChunkHashesAsync(PageUrl("intro"), Cancel)).Keys.Order());
        Assert.Empty(await store.SearchAsync(Search("quaternions rotations", mode: SearchMode.Keyword), Cancel));
        var dense = await store.SearchAsync(Search("", Axis(1), limit: 10, mode: SearchMode.Dense), Cancel);
        Assert.DoesNotContain(dense, h => h.Chunk.Id == "b");
        Assert.Equal(2, (await store.GetStatsAsync(Cancel)).Chunks);
    }

    [Fact]
    public async Task WritePage_ChangedAndKept_KeepsUnchangedChunksAsTheyWere()
    {
        var store = await ReadyStoreAsync();
        var unchanged = Chunk("a", "Lead text about robots.", position: 0);
        await store.WritePageAsync(Page(unchanged.With(Axis(0)), Chunk("b", "Old second part.", position: 1).With(Axis(1))), Cancel);

        var changed = Chunk("b", "New second part about grippers.", position: 1);
        await store.WritePageAsync(new PageWrite(PageUrl("intro"), [changed.With(Axis(1))], ["a", "b"]), Cancel);

        var page = await store.GetPageAsync(PageUrl("intro"), Cancel);
        Assert.Equal(2, page.Count);
        AssertSameChunk(unchanged, page[0]);
        AssertSameChunk(changed, page[1]);
    }

    [Fact]
    public async Task WritePage_KeepIds_OnlyTouchesItsOwnPage()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a1", "First page.", page: "one").With(Axis(0))), Cancel);
        await store.WritePageAsync(Page(Chunk("b1", "Second page.", page: "two").With(Axis(1))), Cancel);

        await store.WritePageAsync(new PageWrite(PageUrl("one"), [], []), Cancel);

        Assert.Empty(await store.GetPageAsync(PageUrl("one"), Cancel));
        Assert.Equal("b1", Assert.Single(await store.GetPageAsync(PageUrl("two"), Cancel)).Id);
    }

    [Fact]
    public async Task DeletePages_RemovesOnlyThosePages()
    {
        var store = await ReadyStoreAsync();
        foreach (var (page, axis) in new[] { ("one", 0), ("two", 1), ("three", 2) })
        {
            await store.WritePageAsync(Page(
                Chunk($"{page}-0", $"Robots in chapter {page}.", page, 0).With(Axis(axis)),
                Chunk($"{page}-1", $"More robots in chapter {page}.", page, 1).With(Axis(axis + 3))), Cancel);
        }

        await store.DeletePagesAsync([PageUrl("one"), PageUrl("three"), PageUrl("never-written")], Cancel);

        Assert.Equal([PageUrl("two")], await store.GetPageUrlsAsync(Cancel));
        Assert.Empty(await store.GetPageAsync(PageUrl("one"), Cancel));
        var stats = await store.GetStatsAsync(Cancel);
        Assert.Equal(2, stats.Chunks);
        Assert.Equal(1, stats.Pages);
        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            var hits = await store.SearchAsync(Search("robots chapter", limit: 10, mode: mode), Cancel);
            Assert.All(hits, h => Assert.Equal(PageUrl("two"), h.Chunk.PageUrl));
        }
    }

    [Fact]
    public async Task DeletePages_NoPages_DoesNothing()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "servo motors").With(Axis(0))), Cancel);

        await store.DeletePagesAsync([], Cancel);

        Assert.Equal(1, (await store.GetStatsAsync(Cancel)).Chunks);
    }

    [Fact]
    public async Task GetPageUrls_ListsEveryPageOnce()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("b0", "x", "b", 0).With(Axis(0)), Chunk("b1", "y", "b", 1).With(Axis(1))), Cancel);
        await store.WritePageAsync(Page(Chunk("a0", "z", "a", 0).With(Axis(2))), Cancel);

        var urls = await store.GetPageUrlsAsync(Cancel);

        Assert.Equal([PageUrl("a"), PageUrl("b")], urls.Order());
    }

    [Fact]
    public async Task GetOutline_GivesEachPageItsFirstChunksTitleAndSectionUrlsInReadingOrder()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("b1", "y", "b", 1, heading: "Sensors").With(Axis(1)),
            Chunk("b0", "x", "b", 0).With(Axis(0)),
            Chunk("b2", "w", "b", 2, heading: "Actuators").With(Axis(3))), Cancel);
        await store.WritePageAsync(Page(Chunk("a0", "z", "a", 0).With(Axis(2))), Cancel);

        var outline = await store.GetOutlineAsync(Cancel);

        Assert.Equal([PageUrl("a"), PageUrl("b")], outline.Select(p => p.PageUrl));
        Assert.Equal("Chapter b", outline[1].Title);
        Assert.Equal([PageUrl("b"), PageUrl("b") + "#sensors", PageUrl("b") + "#actuators"], outline[1].SectionUrls);
        foreach (var page in outline)
        {
            var chunks = await store.GetPageAsync(page.PageUrl, Cancel);
            Assert.Equal(chunks.Select(c => c.Url), page.SectionUrls);
            Assert.Equal(chunks[0].PageTitle, page.Title);
        }
    }

    [Fact]
    public async Task Probe_ReadyStore_IsOk()
    {
        var store = await ReadyStoreAsync();

        var probe = await store.ProbeAsync(Cancel);

        Assert.True(probe.Ok, probe.Error);
        Assert.Null(probe.Error);
    }

    [Fact]
    public async Task GetChunkHashes_ReturnsEachChunksHashById()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("a", "one", hash: "h-a").With(Axis(0)),
            Chunk("b", "two", position: 1, hash: "h-b").With(Axis(1))), Cancel);
        await store.WritePageAsync(Page(Chunk("c", "three", page: "other", hash: "h-c").With(Axis(2))), Cancel);

        var hashes = await store.GetChunkHashesAsync(PageUrl("intro"), Cancel);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "h-a", ["b"] = "h-b" }, hashes);
        Assert.Empty(await store.GetChunkHashesAsync(PageUrl("missing"), Cancel));
    }

    [Fact]
    public async Task GetStats_CountsChunksAndDistinctPages()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a0", "x", "a", 0).With(Axis(0)), Chunk("a1", "y", "a", 1).With(Axis(1))), Cancel);
        await store.WritePageAsync(Page(Chunk("b0", "z", "b", 0).With(Axis(2))), Cancel);

        var stats = await store.GetStatsAsync(Cancel);

        Assert.Equal(3, stats.Chunks);
        Assert.Equal(2, stats.Pages);
        Assert.Equal(Model, stats.Embedding);
    }

    [Fact]
    public async Task MarkBuilt_RoundTripsInStats()
    {
        var store = await ReadyStoreAsync();
        var first = new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.FromHours(5));
        var second = new DateTimeOffset(2026, 3, 15, 8, 0, 0, TimeSpan.Zero);

        await store.MarkBuiltAsync(first, Cancel);
        Assert.Equal(first, (await store.GetStatsAsync(Cancel)).BuiltAt);

        await store.MarkBuiltAsync(second, Cancel);
        Assert.Equal(second, (await store.GetStatsAsync(Cancel)).BuiltAt);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Search_EmptyIndex_ReturnsNothing(string modeName)
    {
        var mode = Enum.Parse<SearchMode>(modeName);
        var store = await ReadyStoreAsync();

        Assert.Empty(await store.SearchAsync(Search("robots", mode: mode), Cancel));
    }

    [Fact]
    public async Task DenseSearch_NearestVectorComesFirst()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("opposite", "one", position: 0).With(Axis(0, -1)),
            Chunk("orthogonal", "two", position: 1).With(Axis(1)),
            Chunk("close", "three", position: 2).With(AtCosine(0.8)),
            Chunk("closest", "four", position: 3).With(AtCosine(0.99, otherAxis: 2)),
            Chunk("same", "five", position: 4).With(Axis(0))), Cancel);

        var hits = await store.SearchAsync(Search("", Axis(0), limit: 5, mode: SearchMode.Dense), Cancel);

        Assert.Equal(["same", "closest", "close", "orthogonal", "opposite"], hits.Select(h => h.Chunk.Id));
        Assert.Equal([1.0, 0.99, 0.8, 0.0, -1.0], hits.Select(h => Math.Round(h.Score, 4)));
        Assert.All(hits, h => Assert.Equal(h.Score, h.DenseScore!.Value, 6));
    }

    [Fact]
    public async Task KeywordSearch_ChunkWithTheRareTermRanksFirst()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("arm", "The robot arm moves the gripper over the table.", position: 0).With(Axis(0)),
            Chunk("lidar", "The robot maps the room with a lidar sensor.", position: 1).With(Axis(1)),
            Chunk("quaternion", "The robot stores its orientation as a quaternion.", position: 2).With(Axis(2)),
            Chunk("wheels", "The robot drives on four wheels.", position: 3).With(Axis(3))), Cancel);

        var hits = await store.SearchAsync(Search("robot quaternion", mode: SearchMode.Keyword), Cancel);

        Assert.Equal("quaternion", hits[0].Chunk.Id);
        Assert.True(hits.Count == 1 || hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task KeywordSearch_StopWords_DoNotChangeTheBestMatch()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("ik", "Inverse kinematics computes joint angles for a manipulator.", position: 0).With(Axis(0)),
            Chunk("fk", "Forward kinematics gives the pose of the end effector.", position: 1).With(Axis(1)),
            Chunk("what", "What is it that the robot does when it is on and what is it for?", position: 2).With(Axis(2))), Cancel);

        var plain = await store.SearchAsync(Search("inverse kinematics manipulator", mode: SearchMode.Keyword), Cancel);
        var wordy = await store.SearchAsync(Search("What is the inverse kinematics of a manipulator and what is it for?", mode: SearchMode.Keyword), Cancel);

        Assert.Equal("ik", plain[0].Chunk.Id);
        Assert.Equal("ik", wordy[0].Chunk.Id);
    }

    [Fact]
    public async Task HybridSearch_SecondInBothLists_BeatsFirstInOnlyOne()
    {
        var store = await ReadyStoreAsync();
        // Dense order (query = axis 0): denseOnly, both, fillers…, keywordBest (last).
        // Keyword order ("servo calibration"): keywordBest, both; nothing else matches.
        var chunks = new List<IndexedChunk>
        {
            Chunk("denseOnly", "Alpha bravo charlie.", position: 0).With(Axis(0)),
            Chunk("both", "The servo needs a calibration step before the arm is used in the lab today.", position: 1).With(AtCosine(0.95)),
            Chunk("keywordBest", "Servo calibration: servo calibration.", position: 2).With(Axis(0, -1)),
        };
        string[] fillerWords = ["delta echo", "foxtrot golf", "hotel india", "juliet kilo", "lima mike", "november oscar"];
        for (var i = 0; i < fillerWords.Length; i++)
        {
            chunks.Add(Chunk($"filler{i}", fillerWords[i], position: 3 + i).With(AtCosine(0.8 - (0.1 * i), otherAxis: 2 + (i % 5))));
        }

        await store.WritePageAsync(Page([.. chunks]), Cancel);

        var hits = await store.SearchAsync(Search("servo calibration", Axis(0), limit: 3), Cancel);

        Assert.Equal("both", hits[0].Chunk.Id);
        Assert.Contains(hits, h => h.Chunk.Id == "denseOnly");
        Assert.Contains(hits, h => h.Chunk.Id == "keywordBest");
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task HybridSearch_EveryHitHasItsDenseScore()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("near", "Alpha bravo.", position: 0).With(Axis(0)),
            Chunk("far", "Servo calibration.", position: 1).With(Axis(1))), Cancel);

        var hits = await store.SearchAsync(Search("servo calibration", Axis(0), limit: 5), Cancel);

        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.NotNull(h.DenseScore));
        Assert.Equal(1.0, hits.Single(h => h.Chunk.Id == "near").DenseScore!.Value, 4);
        Assert.Equal(0.0, hits.Single(h => h.Chunk.Id == "far").DenseScore!.Value, 4);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Search_PageFilter_ReturnsOnlyThatPage(string modeName)
    {
        var mode = Enum.Parse<SearchMode>(modeName);
        var store = await ReadyStoreAsync();
        foreach (var page in new[] { "one", "two", "three" })
        {
            await store.WritePageAsync(Page(
                Chunk($"{page}-0", $"Gripper torque in chapter {page}.", page, 0).With(Axis(0)),
                Chunk($"{page}-1", $"Gripper force in chapter {page}.", page, 1).With(AtCosine(0.5))), Cancel);
        }

        var hits = await store.SearchAsync(Search("gripper torque", Axis(0), limit: 10, mode: mode, page: "two"), Cancel);

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(PageUrl("two"), h.Chunk.PageUrl));
        Assert.Empty(await store.SearchAsync(Search("gripper torque", Axis(0), mode: mode, page: "missing"), Cancel));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Search_Limit_IsRespected(string modeName)
    {
        var mode = Enum.Parse<SearchMode>(modeName);
        var store = await ReadyStoreAsync();
        var chunks = Enumerable.Range(0, 10)
            .Select(i => Chunk($"c{i}", $"Robot gripper part {i}.", position: i).With(AtCosine(1 - (i * 0.1), otherAxis: 1 + (i % 7))))
            .ToArray();
        await store.WritePageAsync(Page(chunks), Cancel);

        var hits = await store.SearchAsync(Search("robot gripper", Axis(0), limit: 3, mode: mode), Cancel);

        Assert.Equal(3, hits.Count);
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Chunk.Id), hits.Select(h => h.Chunk.Id));
    }

    [Fact]
    public async Task WritePage_SamePageTwice_GivesTheSameCountsAndResults()
    {
        var store = await ReadyStoreAsync();
        var page = Page(
            Chunk("a", "Gripper torque limits.", position: 0).With(Axis(0)),
            Chunk("b", "Gripper force sensing.", position: 1).With(AtCosine(0.6)),
            Chunk("c", "Wheel odometry.", position: 2).With(Axis(2)));
        var request = Search("gripper torque", Axis(0), limit: 5);

        await store.WritePageAsync(page, Cancel);
        var statsOnce = await store.GetStatsAsync(Cancel);
        var hitsOnce = await store.SearchAsync(request, Cancel);
        await store.WritePageAsync(page, Cancel);
        var statsTwice = await store.GetStatsAsync(Cancel);
        var hitsTwice = await store.SearchAsync(request, Cancel);

        Assert.Equal(statsOnce, statsTwice);
        Assert.Equal(hitsOnce.Select(h => h.Chunk.Id), hitsTwice.Select(h => h.Chunk.Id));
        Assert.Equal(hitsOnce.Select(h => Math.Round(h.Score, 6)), hitsTwice.Select(h => Math.Round(h.Score, 6)));
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Search_HostileText_ReturnsWithoutThrowing(string text)
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("gripper", "The gripper closes with limited torque.", position: 0).With(Axis(0)),
            Chunk("urdu", "روبوٹ کا بازو موٹروں سے چلتا ہے۔", position: 1).With(Axis(1))), Cancel);

        var keyword = await store.SearchAsync(Search(text, mode: SearchMode.Keyword), Cancel);
        var hybrid = await store.SearchAsync(Search(text, Axis(0)), Cancel);

        Assert.InRange(keyword.Count, 0, 5);
        Assert.InRange(hybrid.Count, 1, 5);
        Assert.Equal(2, (await store.GetStatsAsync(Cancel)).Chunks);
    }

    [Theory]
    [MemberData(nameof(HostileQueriesWithAWord))]
    public async Task KeywordSearch_HostileTextAroundAWord_StillFindsTheWord(string text)
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("gripper", "The gripper closes with limited torque.", position: 0).With(Axis(0)),
            Chunk("wheels", "The wheels roll.", position: 1).With(Axis(1))), Cancel);

        var hits = await store.SearchAsync(Search(text, mode: SearchMode.Keyword), Cancel);

        Assert.Equal("gripper", Assert.Single(hits).Chunk.Id);
    }

    [Fact]
    public async Task KeywordSearch_OnlyStopWords_ReturnsNothing()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "What is it that the robot does?").With(Axis(0))), Cancel);

        Assert.Empty(await store.SearchAsync(Search("what is the", mode: SearchMode.Keyword), Cancel));
    }

    /// <summary>A new empty store, ready for <see cref="TestChunks.Model"/>; disposed after the test.</summary>
    private protected async Task<IVectorStore> ReadyStoreAsync()
    {
        var store = await CreateStoreAsync(Model);
        stores.Add(store);
        await store.EnsureReadyAsync(Model, Cancel);
        return store;
    }

    private protected static void AssertSameChunk(BookChunk expected, BookChunk actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.PageUrl, actual.PageUrl);
        Assert.Equal(expected.Url, actual.Url);
        Assert.Equal(expected.PageTitle, actual.PageTitle);
        Assert.Equal(expected.Heading, actual.Heading);
        Assert.Equal(expected.Anchor, actual.Anchor);
        Assert.Equal(expected.TitlePath, actual.TitlePath);
        Assert.Equal(expected.Position, actual.Position);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Markdown, actual.Markdown);
        Assert.Equal(expected.ContentHash, actual.ContentHash);
    }
}
