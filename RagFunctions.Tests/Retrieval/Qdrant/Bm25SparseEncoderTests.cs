using RagFunctions.Retrieval.VectorStore.Qdrant;

namespace RagFunctions.Tests.Retrieval.Qdrant;

public sealed class Bm25SparseEncoderTests
{
    [Fact]
    public void Tokenize_MixedText_LowerCasesSplitsOnPunctuationAndDropsStopWords()
    {
        Assert.Equal(["ros", "2", "middleware", "robot", "nodes"], Bm25SparseEncoder.Tokenize("What is ROS 2? The middleware of a robot's NODES."));
    }

    [Fact]
    public void Tokenize_OtherScripts_KeepsWordsWholeWithTheirCombiningMarks()
    {
        Assert.Equal(["روبوٹ", "سینسر"], Bm25SparseEncoder.Tokenize("روبوٹ، سینسر"));
        Assert.Equal(["रोबोटिक्स"], Bm25SparseEncoder.Tokenize("रोबोटिक्स!"));
    }

    [Fact]
    public void Tokenize_CompatibilityForms_AreNormalized()
    {
        Assert.Equal(["ros2", "file"], Bm25SparseEncoder.Tokenize("ＲＯＳ２ ﬁle"));
    }

    [Theory]
    [InlineData("", 0x811C9DC5u)]
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("foobar", 0xBF9CF968u)]
    public void TermIndex_IsFnv1a32(string token, uint expected)
    {
        Assert.Equal(expected, Bm25SparseEncoder.TermIndex(token));
    }

    [Fact]
    public void EncodeDocument_RepeatedTerm_SaturatesInsteadOfDoubling()
    {
        var once = Bm25SparseEncoder.EncodeDocument("sensor lidar");
        var twice = Bm25SparseEncoder.EncodeDocument("sensor sensor");
        var sensor = Bm25SparseEncoder.TermIndex("sensor");

        var w1 = once.Values[Array.IndexOf(once.Indices, sensor)];
        var w2 = Assert.Single(twice.Values);

        Assert.True(w2 > w1);
        Assert.True(w2 < 2 * w1);
        Assert.True(w2 < Bm25SparseEncoder.K1 + 1);
    }

    [Fact]
    public void EncodeDocument_LongerText_WeighsTheSameTermLess()
    {
        var shortText = Bm25SparseEncoder.EncodeDocument("lidar");
        var longText = Bm25SparseEncoder.EncodeDocument("lidar " + string.Join(' ', Enumerable.Range(0, 500).Select(i => $"w{i}")));
        var lidar = Bm25SparseEncoder.TermIndex("lidar");

        Assert.True(longText.Values[Array.IndexOf(longText.Indices, lidar)] < shortText.Values[Array.IndexOf(shortText.Indices, lidar)]);
    }

    [Fact]
    public void EncodeDocument_SameText_GivesTheSameSortedDistinctIndices()
    {
        var a = Bm25SparseEncoder.EncodeDocument("Publishers publish; subscribers subscribe to publishers.");
        var b = Bm25SparseEncoder.EncodeDocument("Publishers publish; subscribers subscribe to publishers.");

        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.Indices.Order(), a.Indices);
        Assert.Equal(a.Indices.Distinct().Count(), a.Indices.Length);
    }

    [Fact]
    public void EncodeQuery_RepeatedTerms_WeighOneEach()
    {
        var query = Bm25SparseEncoder.EncodeQuery("lidar LIDAR lidar camera");

        Assert.Equal(2, query.Indices.Length);
        Assert.All(query.Values, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Encode_StopWordsOnly_IsEmpty()
    {
        Assert.True(Bm25SparseEncoder.EncodeQuery("what is the").IsEmpty);
        Assert.True(Bm25SparseEncoder.EncodeDocument("  ... ").IsEmpty);
    }
}
