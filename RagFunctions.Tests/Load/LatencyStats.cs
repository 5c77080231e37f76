using System.Globalization;

namespace RagFunctions.Tests.Load;

/// <summary>Percentiles of a set of durations in milliseconds (nearest rank).</summary>
internal sealed class LatencyStats
{
    private readonly double[] sorted;

    public LatencyStats(IEnumerable<double> milliseconds)
    {
        sorted = [.. milliseconds];
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    public double Max => sorted.Length == 0 ? double.NaN : sorted[^1];

    public double Percentile(double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>e.g. <c>"312.4"</c>, or <c>"-"</c> when there is nothing to show.</summary>
    public static string Ms(double milliseconds)
        => double.IsNaN(milliseconds) ? "-" : milliseconds.ToString("F1", CultureInfo.InvariantCulture);
}
