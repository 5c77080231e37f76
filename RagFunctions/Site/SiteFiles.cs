using System.Reflection;
using System.Text.RegularExpressions;

namespace RagFunctions.Site;

/// <summary>
/// The pages, scripts and styles of the site, embedded in the assembly (no build step, nothing fetched from another
/// origin). A page names an asset as <c>{{v:site.js}}</c>, which becomes the asset's current version.
/// </summary>
internal static partial class SiteFiles
{
    private const string Prefix = "site/";

    private static readonly Lazy<IReadOnlyDictionary<string, StaticFile>> Files = new(Load);

    /// <summary>The file of that name (<c>index.html</c>, <c>site.js</c>, …), or null when there is none.</summary>
    public static StaticFile? Find(string name) => Files.Value.GetValueOrDefault(name);

    public static StaticFile Get(string name) => Find(name) ?? throw new InvalidOperationException($"The site file '{name}' is not embedded.");

    private static Dictionary<string, StaticFile> Load()
    {
        var assembly = typeof(SiteFiles).Assembly;
        var texts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);

        var files = texts.Where(t => !t.Key.EndsWith(".html", StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => StaticFile.FromText(t.Key, t.Value), StringComparer.Ordinal);
        foreach (var (name, text) in texts.Where(t => t.Key.EndsWith(".html", StringComparison.Ordinal)))
        {
            var page = AssetVersion().Replace(text, m => files.TryGetValue(m.Groups[1].Value, out var asset)
                ? asset.Version
                : throw new InvalidOperationException($"{name} names the asset '{m.Groups[1].Value}', which is not embedded."));
            files[name] = StaticFile.FromText(name, page);
        }

        return files;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{v:([\w.-]+)\}\}")]
    private static partial Regex AssetVersion();
}
