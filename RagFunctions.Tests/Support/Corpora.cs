namespace RagFunctions.Tests.Support;

/// <summary>
/// The seven real Docusaurus books kept next to the repository (<c>../shared/corpora</c>), read-only: five textbooks on
/// physical AI (a, b, d, e, f) and the docs of Prettier (g) and Jest (h).
/// A missing folder fails the test that needs it, with the path it looked at.
/// </summary>
internal static class Corpora
{
    public const string A = "corpus-a";
    public const string B = "corpus-b";
    public const string D = "corpus-d";
    public const string E = "corpus-e";
    public const string F = "corpus-f";
    public const string G = "corpus-g";
    public const string H = "corpus-h";

    /// <summary>Every book, for tests that run over all of them.</summary>
    public static readonly IReadOnlyList<string> All = [A, B, D, E, F, G, H];

    /// <summary>Site URL + base URL each book is published at.</summary>
    public static string BaseUrl(string corpus) => corpus switch
    {
        A => "https://mohsin-raza-developer.github.io/Physical-AI-Humanoid-Robotics-Textbook/",
        B => "https://physical-ai-robotics.dev/",
        D => "https://physical-ai-humanoid-robotics-textbook-j8dec6teg.vercel.app/",
        E => "https://muhammadHamzaIsmaeel.github.io/physical-ai-book/",
        F => "https://your-project-name.vercel.app/",
        G => "https://prettier.io/",
        H => "https://jestjs.io/",
        _ => throw new ArgumentOutOfRangeException(nameof(corpus), corpus, "Unknown corpus"),
    };

    /// <summary>The docs route: Prettier's and Jest's folders are their unreleased version, served under <c>docs/next</c>.</summary>
    public static string DocsRoute(string corpus) => corpus is G or H ? "docs/next" : "docs";

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
