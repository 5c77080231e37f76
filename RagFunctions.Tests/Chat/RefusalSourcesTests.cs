using System.Diagnostics;
using RagFunctions.Chat;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Retrieval;

namespace RagFunctions.Tests.Chat;

/// <summary>What a refusal offers to read instead.</summary>
public sealed class RefusalSourcesTests
{
    [Fact]
    public void RefusalOffersTheClosestSections_ButNoQuizOrExercise()
    {
        var settings = new ChatPipelineOptions();
        SearchHit Hit(string page, string heading, double cosine) => new(TestChunks.Chunk(page, "Some text.", page: page, heading: heading), cosine, cosine);
        var hits = new[]
        {
            Hit("perception-quiz", "Quiz: Question 7", 0.64),
            Hit("perception", "Latency Budget", 0.63),
            Hit("locomotion", "Exercises", 0.62),
            Hit("locomotion", "Gait Cycle", 0.61),
        };
        var prepared = new PreparedQuestion(new ChatQuery("How long should a perception pipeline take?", null, null, [], 5, null), "How long should a perception pipeline take?", null, hits, null, false, Stopwatch.StartNew())
        {
            Signals = new EvidenceSignals(Relevance: settings.EvidenceThreshold - 0.05, Titled: 0, RareCoverage: 0, UnknownName: 0),
        };

        var answer = new AnswerSources(settings).Refusal(prepared);

        Assert.Equal(["Latency Budget", "Gait Cycle"], answer.Sources.Select(s => s.Section));
    }
}
