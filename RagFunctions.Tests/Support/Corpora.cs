namespace RagFunctions.Tests.Support;

/// <summary>
/// The two real Docusaurus books kept next to the repository (<c>../shared/corpora</c>), read-only.
/// A missing folder fails the test that needs it, with the path it looked at.
/// </summary>
internal static class Corpora
{
    public const string A = "corpus-a";
    public const string B = "corpus-b";

    /// <summary>Site URL + base URL each book is published at.</summary>
    public static string BaseUrl(string corpus) => corpus switch
    {
        A => "https://mohsin-raza-developer.github.io/Physical-AI-Humanoid-Robotics-Textbook/",
        B => "https://physical-ai-robotics.dev/",
        _ => throw new ArgumentOutOfRangeException(nameof(corpus), corpus, "Unknown corpus"),
    };

    /// <summary>The book's docs folder.</summary>
    public static string Docs(string corpus)
    {
        var docs = Path.GetFullPath(Path.Combine(RepoFiles.Root, "..", "shared", "corpora", corpus, "docs"));
        if (!Directory.Exists(docs))
        {
            throw new InvalidOperationException(
                $"Corpus '{corpus}' not found at {docs}. The corpus tests need the shared corpora checked out next to the repository (../shared/corpora).");
        }

        return docs;
    }
}
