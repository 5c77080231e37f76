using System.Text.RegularExpressions;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Architecture;

/// <summary>
/// The picture in docs/architecture.md, checked: each capability folder uses only the folders below it, and a class
/// that grows past ~300 lines says why at its top ("Kept whole (over 300 lines): …"). Read from the sources, so a new reference fails here first.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>Each folder and the folders it may use; anything else is a reference in the wrong direction.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Hosting"] = [],
        ["Retrieval"] = ["Hosting"],
        ["Cohere"] = ["Retrieval", "Hosting"],
        ["LanguageModels"] = ["Cohere", "Retrieval", "Hosting"],
        ["Ingestion"] = ["Retrieval", "Hosting"],
        ["Translation"] = ["LanguageModels", "Cohere", "Retrieval", "Ingestion", "Hosting"],
        ["Chat"] = ["Translation", "LanguageModels", "Retrieval", "Ingestion", "Hosting"],
        ["Feedback"] = ["Chat", "Retrieval", "Hosting"],
        ["Evaluation"] = ["Chat", "Retrieval", "Ingestion", "Hosting"],
        ["Health"] = ["Ingestion", "Cohere", "LanguageModels", "Retrieval", "Hosting"],
        ["Site"] = ["Health", "Retrieval", "Hosting"],
        ["Agents"] = ["Chat", "Site", "Retrieval", "Hosting"],
    };

    private const int LongFile = 330;

    [Fact]
    public void EveryFolderUsesOnlyTheFoldersBelowIt()
    {
        var wrong = new List<string>();
        foreach (var (file, folder) in SourceFiles())
        {
            foreach (var used in FoldersUsed(File.ReadAllText(file), TypesByFolder.Value).Where(used => used != folder && !Allowed[folder].Contains(used)))
            {
                wrong.Add($"{Relative(file)} ({folder}) uses {used}");
            }
        }

        Assert.True(wrong.Count == 0, "References against the folder direction:\n" + string.Join('\n', wrong.Distinct()));
    }

    [Fact]
    public void EveryCapabilityFolderIsInThePicture()
    {
        var folders = Directory.GetDirectories(RepoFiles.Path("RagFunctions"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "wwwroot" or "SampleBook" or "Properties"))
            .Where(name => Directory.EnumerateFiles(RepoFiles.Path("RagFunctions", name!), "*.cs", SearchOption.AllDirectories).Any());
        Assert.All(folders, folder => Assert.True(Allowed.ContainsKey(folder!), $"{folder} is missing from the dependency picture"));
    }

    [Fact]
    public void LongFilesSayWhyTheyAreLong()
    {
        var unexplained = SourceFiles()
            .Select(entry => entry.File)
            .Where(file => File.ReadLines(file).Count() > LongFile
                && !File.ReadLines(file).Take(60).Any(line => line.Contains("300 lines", StringComparison.OrdinalIgnoreCase)))
            .Select(Relative)
            .ToList();
        Assert.True(unexplained.Count == 0, $"Over {LongFile} lines without a reason (\"… 300 lines: why\") at the top:\n" + string.Join('\n', unexplained));
    }

    [Fact]
    public void TheCheckSeesReferencesWrittenEveryWay()
    {
        const string source = """
            using RagFunctions.Chat;
            namespace RagFunctions.Translation;
            internal sealed class X(Retrieval.VectorStore.BookChunk chunk, RagFunctions.Feedback.IFeedbackStore store)
            {
                private string Y => chunk.Translation.Text + Health.Status.Ok + Site.BaseUrl;
            }
            """;
        var types = new Dictionary<string, HashSet<string>>
        {
            ["Retrieval"] = ["BookChunk"],
            ["Health"] = ["Status"],
            ["Site"] = ["SiteFunctions"],
        };
        Assert.Equal(["Chat", "Feedback", "Health", "Retrieval"], FoldersUsed(source, types).Order());
    }

    private static IEnumerable<(string File, string Folder)> SourceFiles()
    {
        var root = RepoFiles.Path("RagFunctions");
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
            if (parts.Length > 1 && parts[0] is not ("bin" or "obj"))
            {
                yield return (file, parts[0]);
            }
        }
    }

    private static readonly Lazy<Dictionary<string, HashSet<string>>> TypesByFolder = new(() => SourceFiles()
        .GroupBy(entry => entry.Folder)
        .ToDictionary(
            group => group.Key,
            group => group.SelectMany(entry => TypeDeclaration().Matches(File.ReadAllText(entry.File)).Select(match => match.Groups["name"].Value)).ToHashSet()));

    /// <summary>
    /// Folders named by usings and full names, and by names relative to the app's namespace (<c>Retrieval.X</c>) when
    /// X is a type (or namespace) of that folder: <c>Site.BaseUrl</c> on a record's <c>Site</c> property is not a reference.
    /// </summary>
    internal static HashSet<string> FoldersUsed(string source, IReadOnlyDictionary<string, HashSet<string>> typesByFolder)
    {
        var code = string.Join('\n', source.Split('\n').Where(line => !line.TrimStart().StartsWith("namespace ", StringComparison.Ordinal)
            && !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in FullName().Matches(code))
        {
            used.Add(match.Groups["folder"].Value);
        }

        foreach (Match match in RelativeName().Matches(code))
        {
            var folder = match.Groups["folder"].Value;
            var name = match.Groups["name"].Value;
            if (typesByFolder.TryGetValue(folder, out var types) && (types.Contains(name) || IsSubNamespace(folder, name)))
            {
                used.Add(folder);
            }
        }

        used.IntersectWith(Allowed.Keys);

        return used;
    }

    private static string Relative(string file) => Path.GetRelativePath(RepoFiles.Root, file);

    [GeneratedRegex(@"\bRagFunctions\.(?<folder>[A-Z][A-Za-z]+)")]
    private static partial Regex FullName();

    // "Chat.ChatAnswer" from inside RagFunctions; not after a member access ("x.Translation.Text" is a property).
    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z][A-Za-z]+)\.(?<name>[A-Z]\w*)")]
    private static partial Regex RelativeName();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    private static bool IsSubNamespace(string folder, string name) =>
        Directory.Exists(RepoFiles.Path("RagFunctions", folder, name));
}
