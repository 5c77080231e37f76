using System.Text.RegularExpressions;

namespace RagFunctions.Ingestion;

/// <summary>
/// Which files are pages and where Docusaurus (docs plugin, default options) publishes them:
/// number prefixes, index docs, <c>id</c> and <c>slug</c> front matter.
/// </summary>
internal static partial class DocusaurusRoutes
{
    /// <summary>
    /// A <c>.md</c> or <c>.mdx</c> file is a page unless a folder or the file starts with <c>_</c> (partials)
    /// or <c>.</c> (hidden). <paramref name="relativePath"/> is relative to the docs folder.
    /// </summary>
    public static bool IsPage(string relativePath) => IsMarkdown(relativePath) && NotAPageReason(relativePath) is null;

    /// <summary>A <c>.md</c> or <c>.mdx</c> file.</summary>
    public static bool IsMarkdown(string relativePath)
    {
        var extension = Path.GetExtension(relativePath);
        return extension.Equals(".md", StringComparison.OrdinalIgnoreCase) || extension.Equals(".mdx", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Why a Markdown file is not published as a page (a <c>_</c> partial, hidden), or null when it is.</summary>
    public static string? NotAPageReason(string relativePath)
    {
        var segments = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 || segments.Any(s => s.StartsWith('.')) ? SkipReasons.NotAPage
            : segments.Any(s => s.StartsWith('_')) ? SkipReasons.Partial
            : null;
    }

    /// <summary>
    /// Splits a number prefix off a file or folder name: <c>01-intro</c>, <c>00_intro</c>, <c>1. Intro</c> → <c>intro</c>/<c>Intro</c>.
    /// Date-like and version-like names (<c>2024-01-notes</c>, <c>1.2-beta</c>) are left alone, as Docusaurus does.
    /// </summary>
    public static (string Name, int? Number) ParseNumberPrefix(string name)
    {
        if (IgnoredPrefix().IsMatch(name))
        {
            return (name, null);
        }

        var match = NumberPrefix().Match(name);
        return match.Success && int.TryParse(match.Groups["number"].ValueSpan, out var number)
            ? (match.Groups["name"].Value, number)
            : (name, null);
    }

    public static string StripNumberPrefix(string name) => ParseNumberPrefix(name).Name;

    /// <summary>
    /// The route path of a doc (starting with <c>/</c>, no trailing slash; <c>/</c> is the docs root), following Docusaurus:
    /// an absolute <paramref name="slug"/> wins; an index doc (<c>index</c>, <c>README</c>, or named like its folder) without slug
    /// maps to its folder; otherwise the slug, else the <paramref name="id"/>, else the file name without number prefix,
    /// resolved against the folder path without number prefixes.
    /// </summary>
    public static string RoutePath(string relativePath, string? id = null, string? slug = null)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var lastSlash = path.LastIndexOf('/');
        var folder = lastSlash < 0 ? "" : path[..lastSlash];
        var fileName = Path.GetFileNameWithoutExtension(path);
        slug = string.IsNullOrWhiteSpace(slug) ? null : slug.Trim();

        if (slug is not null && slug.StartsWith('/'))
        {
            return Normalize(slug.Split('/'));
        }

        var folderSegments = folder.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(StripNumberPrefix).ToList();
        if (slug is null && IsIndexDoc(fileName, folder))
        {
            return Normalize(folderSegments);
        }

        var relative = slug ?? (string.IsNullOrWhiteSpace(id) ? StripNumberPrefix(fileName) : id.Trim());
        return Normalize([.. folderSegments, .. relative.Split('/')]);
    }

    /// <summary><c>index</c>, <c>readme</c> or the name of the enclosing folder (as written, prefix included), any case.</summary>
    private static bool IsIndexDoc(string fileName, string folder)
    {
        var folderName = folder.Length == 0 ? null : folder[(folder.LastIndexOf('/') + 1)..];
        return fileName.Equals("index", StringComparison.OrdinalIgnoreCase)
            || fileName.Equals("readme", StringComparison.OrdinalIgnoreCase)
            || fileName.Equals(folderName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Resolves <c>.</c> and <c>..</c>, drops empty segments, joins with a leading slash.</summary>
    private static string Normalize(IEnumerable<string> segments)
    {
        var resolved = new List<string>();
        foreach (var segment in segments)
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            resolved.Add(segment);
        }

        return "/" + string.Join('/', resolved);
    }

    [GeneratedRegex(@"^(?<number>\d+)\s*[-_.]+\s*(?<name>\S.*)$")]
    private static partial Regex NumberPrefix();

    [GeneratedRegex(@"^((\d{2}|\d{4})[-_.]\d{2}([-_.](\d{2}|\d{4}))?|\d+[-_.]\d+)")]
    private static partial Regex IgnoredPrefix();
}
