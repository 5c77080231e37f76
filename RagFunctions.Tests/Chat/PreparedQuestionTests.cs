using System.Diagnostics;
using RagFunctions.Chat;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Retrieval;

namespace RagFunctions.Tests.Chat;

public sealed class PreparedQuestionTests
{
    [Fact]
    public void Passages_PassOverQuizzesAndExercises_WhileOtherSectionsAreFound()
    {
        SearchHit[] hits =
        [
            new(TestChunks.Chunk("quiz", "Which language should do the planning? a) Python b) C++", heading: "Quiz"), 0.9),
            new(TestChunks.Chunk("exercises", "Exercise 1: move the planner to Python.", heading: "Exercises"), 0.8),
            new(TestChunks.Chunk("split", "Python does the planning; C++ runs the control loop.", heading: "Splitting the work"), 0.7),
            new(TestChunks.Chunk("loops", "Control loops run at 1 kHz in C++.", heading: "Control loops"), 0.6),
        ];
        var prepared = new PreparedQuestion(new ChatQuery("What should Python do?", null, null, [], 2, null), "What should Python do?", null, hits, null, true, Stopwatch.StartNew());

        Assert.Equal(["split", "loops"], prepared.Passages().Select(p => p.Id));
    }
}
