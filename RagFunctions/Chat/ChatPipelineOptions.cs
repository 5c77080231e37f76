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
    /// A refused question scoring this much or more under the threshold is far from anything in the book: its refusal
    /// offers no "closest sections" (they would be about something else). Near misses score above it (measured on the
    /// eight books' question sets: general questions mostly score under 0.55, questions next to the book's topics over).
    /// </summary>
    public double FarMargin { get; set; } = 0.2;

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
