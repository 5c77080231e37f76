using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Translation;

/// <summary>Translation settings: the glossary kept in English and how many sections go to the model at once.</summary>
internal sealed class TranslationOptions
{
    public const int DefaultMaxParallel = 8;

    /// <summary>Extra terms kept in English, comma-separated, added to <see cref="Glossary.Default"/> (<c>TRANSLATION_GLOSSARY</c>).</summary>
    [ConfigurationKeyName(EnvironmentVariables.TranslationGlossary)]
    public string? ExtraGlossary { get; set; }

    /// <summary>Sections translated at once by this instance, across all requests (<c>TRANSLATION_MAX_PARALLEL</c>).</summary>
    [ConfigurationKeyName(EnvironmentVariables.TranslationMaxParallel)]
    public int MaxParallel { get; set; } = DefaultMaxParallel;

    /// <summary>A section longer than this is cut at paragraph boundaries (about 400 words).</summary>
    public int SectionChars { get; set; } = 2400;

    /// <summary>The most a client may send as <c>content</c>.</summary>
    public int MaxContentChars { get; set; } = 100_000;

    /// <summary>Attempts per section when the model loses or repeats a placeholder; then the section stays in English.</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>The glossary in use: the defaults and <see cref="ExtraGlossary"/>.</summary>
    public IReadOnlyList<string> Terms => [.. Glossary.Default.Concat(
        (ExtraGlossary ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];
}

internal sealed class TranslationOptionsValidator : IValidateOptions<TranslationOptions>
{
    public ValidateOptionsResult Validate(string? name, TranslationOptions options)
        => options.MaxParallel is >= 1 and <= 64
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{EnvironmentVariables.TranslationMaxParallel} must be a whole number from 1 to 64 (default {TranslationOptions.DefaultMaxParallel}); mind the provider's rate limit (Cohere trial keys: 20 chat calls a minute).");
}
