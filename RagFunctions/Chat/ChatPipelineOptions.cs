using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Chat;

/// <summary>The chat pipeline's tuning: thresholds measured on the sample book's question set (see README).</summary>
internal sealed class ChatPipelineOptions
{
    /// <summary>
    /// Evidence gate: the least <see cref="EvidenceGate.Score"/> that counts as "the book covers this".
    /// The default suits the local embedding model; other models score on other scales (<c>EVIDENCE_THRESHOLD</c>).
    /// </summary>
    [ConfigurationKeyName(EnvironmentVariables.EvidenceThreshold)]
    public double EvidenceThreshold { get; set; } = LocalEvidenceThreshold;

    /// <summary>Fitted with <see cref="EvidenceGate.Weights"/> on eight books' question sets (see README, "Answer quality").</summary>
    public const double LocalEvidenceThreshold = 0.751;

    /// <summary>
    /// With a language model, questions scoring up to this much under the threshold are not refused outright: the model
    /// reads the nearest sections and answers, or says the book does not cover the question.
    /// </summary>
    public double BorderlineMargin { get; set; } = 0.25;

    /// <summary>
    /// A refused question whose nearest section is this much or more under the threshold in meaning alone (its cosine
    /// similarity, without the words it shares) is far from anything in the book: its refusal offers no "closest sections"
    /// (they would be about something else). Meaning rather than the whole evidence score: a general question shares
    /// common words with any book ("the best recipe for chicken biryani", "center a div") and a near miss is penalised for
    /// the name the book lacks ("micro-ROS on an ESP32"), so the score mixes the two; their similarity does not (measured
    /// on the eight books' question sets: general questions under 0.60, near misses mostly over).
    /// </summary>
    public double FarMargin { get; set; } = 0.15;

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

internal sealed class ChatPipelineOptionsValidator : IValidateOptions<ChatPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatPipelineOptions options)
        => options.EvidenceThreshold is >= 0 and <= 2
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{EnvironmentVariables.EvidenceThreshold} must be a number between 0 and 2 (the local model's default is {ChatPipelineOptions.LocalEvidenceThreshold}).");
}
