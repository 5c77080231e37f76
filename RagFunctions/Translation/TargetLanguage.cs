using System.Diagnostics.CodeAnalysis;

namespace RagFunctions.Translation;

/// <summary>A language the translator accepts: its ISO 639-1 code, its English name (for the prompt) and its direction.</summary>
internal sealed record TargetLanguage(string Code, string Name, bool Rtl)
{
    public static readonly TargetLanguage Urdu = new("ur", "Urdu", true);

    /// <summary>
    /// Languages the configured models write well (Cohere's Aya models list all of them); Urdu is the one the book needs.
    /// Accepted by English name or ISO code, case-insensitively.
    /// </summary>
    private static readonly TargetLanguage[] Known =
    [
        Urdu,
        new("ar", "Arabic", true),
        new("fa", "Persian", true),
        new("he", "Hebrew", true),
        new("hi", "Hindi", false),
        new("bn", "Bengali", false),
        new("pa", "Punjabi", false),
        new("ta", "Tamil", false),
        new("zh", "Chinese", false),
        new("ja", "Japanese", false),
        new("ko", "Korean", false),
        new("fr", "French", false),
        new("es", "Spanish", false),
        new("pt", "Portuguese", false),
        new("de", "German", false),
        new("it", "Italian", false),
        new("ru", "Russian", false),
        new("tr", "Turkish", false),
        new("id", "Indonesian", false),
        new("vi", "Vietnamese", false),
    ];

    public static IReadOnlyList<TargetLanguage> All => Known;

    public static bool TryParse(string? value, [NotNullWhen(true)] out TargetLanguage? language)
    {
        var text = value?.Trim();
        language = string.IsNullOrEmpty(text)
            ? null
            : Known.FirstOrDefault(l => l.Code.Equals(text, StringComparison.OrdinalIgnoreCase) || l.Name.Equals(text, StringComparison.OrdinalIgnoreCase));
        return language is not null;
    }
}
