using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Tests.Retrieval;

public sealed class StubTextTests
{
    [Theory]
    [InlineData("Isaac Gym for RL\n\nContent for this section is coming soon!")]
    [InlineData("Week 8 › Introduction\n\n*Content coming soon*")]
    [InlineData("Sim-to-Real › Overview\n\nThis chapter is under construction. TBD.")]
    public void IsStub_PlaceholderAlone_IsAStub(string text) => Assert.True(StubText.IsStub(text));

    [Theory]
    [InlineData("Week 8 › Prerequisites\n\nCompleted Week 8 Lesson 1 on Isaac Sim setup. NVIDIA GPU with CUDA support. Ubuntu 20.04 or 22.04.\n\nIntroduction\n*Content coming soon*")]
    [InlineData("Gazebo › Worlds\n\nA world file describes the models, lights and physics of a simulation; Gazebo loads it at start.")]
    [InlineData("Roadmap\n\nSoon")]
    public void IsStub_RealContent_IsNotAStub(string text) => Assert.False(StubText.IsStub(text));

    [Fact]
    public void RealContentFirst_StubsGoAfterEveryRealHit_OtherwiseTheOrderStays()
    {
        SearchHit Hit(string id, string text, double score)
            => new(new BookChunk(id, "https://b.dev/docs/p", "https://b.dev/docs/p#" + id, "P", id, id, ["P", id], 0, text, text, id), score);
        var hits = new[]
        {
            Hit("stub", "P › Isaac Gym\n\nContent coming soon!", 0.9),
            Hit("real-1", "P › Nodes\n\nA node is a process that computes, publishing and subscribing to topics over the graph.", 0.8),
            Hit("real-2", "P › Topics\n\nTopics carry messages from publishers to subscribers, many to many, without replies.", 0.7),
        };

        Assert.Equal(["real-1", "real-2", "stub"], StubText.RealContentFirst(hits).Select(h => h.Chunk.Id));
    }
}
