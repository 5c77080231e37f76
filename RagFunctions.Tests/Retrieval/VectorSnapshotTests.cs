using System.Numerics.Tensors;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Tests.Retrieval;

public sealed class VectorSnapshotTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1_000)]
    [InlineData(50_000)]
    public void Nearest_SmallAndLargeIndexes_MatchABruteForceSort(int rows)
    {
        const int Dimensions = 16;
        var random = new Random(rows);
        var data = new float[rows * Dimensions];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var pages = Enumerable.Range(0, rows).Select(i => $"page-{i / 100:D5}").ToArray();
        var keys = Enumerable.Range(0, rows).Select(i => (long)(i + 1000)).ToArray();
        var snapshot = new VectorSnapshot(1, Dimensions, (float[])data.Clone(), keys, pages);
        var query = Enumerable.Range(0, Dimensions).Select(_ => (float)random.NextDouble()).ToArray();
        var unit = VectorSnapshot.RentUnit(query);

        var nearest = snapshot.Nearest(unit.AsSpan(0, Dimensions), 25, pageUrl: null, Cancel);
        var inPage = snapshot.Nearest(unit.AsSpan(0, Dimensions), 25, pageUrl: "page-00007", Cancel);

        var expected = Enumerable.Range(0, rows).OrderByDescending(row => Cosine(data.AsSpan(row * Dimensions, Dimensions), query)).ToArray();
        Assert.Equal(expected.Take(25).Select(row => keys[row]), nearest.Select(n => n.Key));
        Assert.Equal(expected.Where(row => pages[row] == "page-00007").Take(25).Select(row => keys[row]), inPage.Select(n => n.Key));
        Assert.Equal(Cosine(data.AsSpan(expected[0] * Dimensions, Dimensions), query), nearest[0].Score, 5);
        Assert.Equal(nearest[0].Score, snapshot.Cosine(unit.AsSpan(0, Dimensions), nearest[0].Key)!.Value, 6);
        Assert.Null(snapshot.Cosine(unit.AsSpan(0, Dimensions), key: -1));
    }

    [Fact]
    public void Nearest_EqualScores_KeepPageOrder()
    {
        var snapshot = new VectorSnapshot(1, 2, [1, 0, 1, 0, 1, 0, 0, 1], [30, 10, 20, 40], ["p", "p", "p", "p"]);

        var nearest = snapshot.Nearest([1f, 0f], 3, null, Cancel);

        Assert.Equal([30L, 10L, 20L], nearest.Select(n => n.Key));
    }

    [Fact]
    public void Nearest_ZeroVectorsAndUnknownPages_AreHarmless()
    {
        var snapshot = new VectorSnapshot(1, 2, [0, 0, 3, 4], [1, 2], ["a", "b"]);

        Assert.Equal([(2L, 0.6), (1L, 0.0)], snapshot.Nearest([1f, 0f], 5, null, Cancel).Select(n => (n.Key, Math.Round(n.Score, 4))));
        Assert.Empty(snapshot.Nearest([1f, 0f], 5, "missing", Cancel));
        Assert.Empty(VectorSnapshot.Empty(2).Nearest([1f, 0f], 5, null, Cancel));
    }

    private static double Cosine(ReadOnlySpan<float> a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);
}
