namespace RagFunctions.Translation;

/// <summary>What the translator tells the model, and how its answer is read back.</summary>
internal static class TranslationPrompt
{
    public static string Instructions(TargetLanguage language, bool retry)
        => $"""
            You translate technical documentation from English into {language.Name}. Translate the user's Markdown text and answer with the translation only: no preface, no notes, no code fence around it.
            Keep the Markdown structure: headings, list markers, table pipes, emphasis and line breaks.
            Tokens like ⟦0⟧ stand for code, links and technical terms. Copy every token exactly once, unchanged, where it belongs in the sentence. Never translate, drop, repeat or invent tokens.
            """ + (retry ? "\nYour previous answer lost or repeated a token: this time keep each ⟦n⟧ exactly once." : "");

    /// <summary>
    /// A model that wraps its whole answer in a code fence: the fence is not part of the translation (the section's own
    /// code is behind placeholders, so the model's text never starts with one of its fences).
    /// </summary>
    public static string Unwrap(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal) && trimmed.EndsWith("```", StringComparison.Ordinal) && trimmed.Length > 6)
        {
            var firstLine = trimmed.IndexOf('\n', StringComparison.Ordinal);
            if (firstLine > 0)
            {
                return trimmed[(firstLine + 1)..^3].Trim();
            }
        }

        return trimmed;
    }
}
