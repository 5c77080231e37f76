using System.Buffers;
using System.Numerics.Tensors;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// Every vector of the index at one <see cref="Version"/>, unit length, in one contiguous array
/// ordered by page and position, so a page filter scans one slice. Immutable: searches share it freely.
/// </summary>
internal sealed class VectorSnapshot
{
    /// <summary>Above this many floats to scan (about 5k rows of 384-d) a search may split the scan across cores.</summary>
    private const int ParallelFloats = 2_000_000;

    private readonly float[] vectors;
    private readonly long[] keys;
    private readonly Dictionary<long, int> rowOfKey;
    private readonly Dictionary<string, Range> pages;

    /// <param name="vectors">Row-major, <paramref name="dimensions"/> floats per row; normalized in place.</param>
    /// <param name="keys">The row key (<c>chunks.seq</c>) of each row.</param>
    /// <param name="pageUrls">The page of each row; rows of a page must be adjacent.</param>
    public VectorSnapshot(long version, int dimensions, float[] vectors, long[] keys, string[] pageUrls)
    {
        Version = version;
        Dimensions = dimensions;
        this.vectors = vectors;
        this.keys = keys;
        rowOfKey = new Dictionary<long, int>(keys.Length);
        pages = new Dictionary<string, Range>(StringComparer.Ordinal);
        var start = 0;
        for (var row = 0; row < keys.Length; row++)
        {
            rowOfKey[keys[row]] = row;
            Normalize(vectors.AsSpan(row * dimensions, dimensions));
            if (row + 1 == keys.Length || !string.Equals(pageUrls[row + 1], pageUrls[row], StringComparison.Ordinal))
            {
                pages[pageUrls[row]] = new Range(start, row + 1);
                start = row + 1;
            }
        }
    }

    public static VectorSnapshot Empty(int dimensions) => new(-1, dimensions, [], [], []);

    /// <summary>The index version (the <c>version</c> counter in <c>meta</c>) these vectors were read at.</summary>
    public long Version { get; }

    public int Dimensions { get; }

    public int Count => keys.Length;

    /// <summary>The <paramref name="limit"/> rows nearest to <paramref name="unitQuery"/>, best first (cosine, ties by row order).</summary>
    /// <param name="parallel">Whether a large scan may use every core (not when the caller runs other work alongside).</param>
    public IReadOnlyList<(long Key, double Score)> Nearest(
        ReadOnlySpan<float> unitQuery, int limit, string? pageUrl, CancellationToken cancellationToken, bool parallel = true)
    {
        var (from, to) = (0, Count);
        if (pageUrl is not null)
        {
            if (!pages.TryGetValue(pageUrl, out var range))
            {
                return [];
            }

            (from, to) = (range.Start.Value, range.End.Value);
        }

        limit = Math.Min(limit, to - from);
        if (limit <= 0)
        {
            return [];
        }

        TopK best;
        if (!parallel || Environment.ProcessorCount == 1 || (long)(to - from) * Dimensions < ParallelFloats)
        {
            best = Scan(unitQuery, from, to, limit, cancellationToken);
        }
        else
        {
            var query = unitQuery.ToArray();
            var parts = Environment.ProcessorCount;
            var size = (to - from + parts - 1) / parts;
            var partial = new TopK[parts];
            Parallel.For(0, parts, new ParallelOptions { CancellationToken = cancellationToken }, part =>
            {
                var start = from + (part * size);
                partial[part] = Scan(query, start, Math.Min(to, start + size), limit, cancellationToken);
            });
            best = new TopK(limit);
            foreach (var part in partial)
            {
                best.Merge(part);
            }
        }

        return best.Sorted().Select(hit => (keys[hit.Row], (double)hit.Score)).ToArray();
    }

    /// <summary>Cosine of one row to the query, or null when the row is not in this snapshot.</summary>
    public double? Cosine(ReadOnlySpan<float> unitQuery, long key)
        => rowOfKey.TryGetValue(key, out var row) ? TensorPrimitives.Dot(unitQuery, Row(row)) : null;

    /// <summary>A unit-length copy of <paramref name="vector"/> (all zeros stay zeros), rented: return it to the shared pool.</summary>
    public static float[] RentUnit(ReadOnlySpan<float> vector)
    {
        var buffer = ArrayPool<float>.Shared.Rent(vector.Length);
        var unit = buffer.AsSpan(0, vector.Length);
        vector.CopyTo(unit);
        Normalize(unit);
        return buffer;
    }

    private ReadOnlySpan<float> Row(int row) => vectors.AsSpan(row * Dimensions, Dimensions);

    private TopK Scan(ReadOnlySpan<float> query, int from, int to, int limit, CancellationToken cancellationToken)
    {
        var best = new TopK(limit);
        for (var row = from; row < to; row++)
        {
            if ((row & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            best.Offer(row, TensorPrimitives.Dot(query, Row(row)));
        }

        return best;
    }

    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>A bounded min-heap: keeps the best <c>capacity</c> rows seen; the worst kept row sits at the root.</summary>
    private sealed class TopK(int capacity)
    {
        private readonly (int Row, float Score)[] heap = new (int, float)[capacity];
        private int count;

        public void Offer(int row, float score)
        {
            if (count < heap.Length)
            {
                heap[count] = (row, score);
                SiftUp(count++);
            }
            else if (IsBetter((row, score), heap[0]))
            {
                heap[0] = (row, score);
                SiftDown(0);
            }
        }

        public void Merge(TopK other)
        {
            for (var i = 0; i < other.count; i++)
            {
                Offer(other.heap[i].Row, other.heap[i].Score);
            }
        }

        public (int Row, float Score)[] Sorted()
        {
            var result = heap[..count];
            Array.Sort(result, static (a, b) => IsBetter(a, b) ? -1 : IsBetter(b, a) ? 1 : 0);
            return result;
        }

        /// <summary>Higher score wins; on a tie the earlier row (page order) wins, so results are deterministic.</summary>
        private static bool IsBetter((int Row, float Score) a, (int Row, float Score) b)
            => a.Score > b.Score || (a.Score == b.Score && a.Row < b.Row);

        private void SiftUp(int i)
        {
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (!IsBetter(heap[parent], heap[i]))
                {
                    return;
                }

                (heap[parent], heap[i]) = (heap[i], heap[parent]);
                i = parent;
            }
        }

        private void SiftDown(int i)
        {
            while (true)
            {
                var worst = i;
                var left = (2 * i) + 1;
                var right = left + 1;
                if (left < count && IsBetter(heap[worst], heap[left]))
                {
                    worst = left;
                }

                if (right < count && IsBetter(heap[worst], heap[right]))
                {
                    worst = right;
                }

                if (worst == i)
                {
                    return;
                }

                (heap[worst], heap[i]) = (heap[i], heap[worst]);
                i = worst;
            }
        }
    }
}
