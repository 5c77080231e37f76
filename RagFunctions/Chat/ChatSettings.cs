namespace RagFunctions.Chat;

/// <summary>The chat pipeline's tuning: thresholds measured on the sample book's question set (see README).</summary>
internal sealed class ChatSettings
{
    /// <summary>Evidence gate: the best section's cosine similarity to the question must reach this…</summary>
    public double MinRelevance { get; set; } = 0.30;

    /// <summary>…or, a little lower, be backed by this share of the question's content words in one section.</summary>
    public double MinCoverage { get; set; } = 0.6;

    public double CoveredRelevance { get; set; } = 0.22;

    /// <summary>Sections given to the model (or to the extractive answerer) per question.</summary>
    public int Passages { get; set; } = 5;

    /// <summary>Nearest sections offered with a refusal.</summary>
    public int RefusalSources { get; set; } = 3;

    /// <summary>A comment line on the event stream whenever nothing else was sent for this long.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Identical questions (no history, same index) within this window are answered from the cache.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a follow-up rewrite by the language model may take before the heuristic is used.</summary>
    public TimeSpan RewriteTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
