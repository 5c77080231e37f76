using RagFunctions.Chat;
using RagFunctions.Tests.Retrieval;

namespace RagFunctions.Tests.Chat;

/// <summary>How the extractive answerer reads a section that holds small subsections of its own.</summary>
public sealed class ExtractiveAnswererTests
{
    private static readonly string Variables = """
        Jest sets the following environment variables:

        ### NODE_ENV

        Set to 'test' if it's not already set to something else.

        ### JEST_WORKER_ID

        Each worker process is assigned a unique id (index-based that starts with 1). This is set to 1 for all tests when runInBand is set to true.
        """;

    [Fact]
    public void PieceUnderASubheading_IsQuotedWithThatHeading()
    {
        var chunk = TestChunks.Chunk("env", Variables, page: "environment-variables", heading: "Environment Variables");

        var answer = ExtractiveAnswerer.Compose(ExtractiveAnswerer.Select("What does the JEST_WORKER_ID variable contain?", [chunk]));

        Assert.Contains("JEST_WORKER_ID: Each worker process is assigned a unique id", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingOn_StopsAtTheNextSubheading()
    {
        var chunk = TestChunks.Chunk("env", Variables, page: "environment-variables", heading: "Environment Variables");

        var answer = ExtractiveAnswerer.Compose(ExtractiveAnswerer.Select("Which value does NODE_ENV get when it is not already set?", [chunk]));

        Assert.StartsWith("NODE_ENV: Set to 'test'", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("worker", answer, StringComparison.Ordinal);
    }
}
