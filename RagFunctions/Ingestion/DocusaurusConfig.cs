using System.Text.RegularExpressions;

namespace RagFunctions.Ingestion;

/// <summary>
/// What the site's <c>docusaurus.config.{js,mjs,ts,cjs}</c> (in the docs folder's parent, its <c>website/</c> folder, or one folder further up) says about how
/// Markdown is compiled: <c>markdown.format</c>. Docusaurus 3 reads every <c>.md</c> file as MDX unless it says
/// <c>detect</c> (only <c>.mdx</c> files are MDX) or <c>md</c>. Without a config file the default, MDX, holds.
/// </summary>
internal static partial class DocusaurusConfig
{
    public const string Mdx = "mdx";
    public const string Detect = "detect";
    public const string Md = "md";

    private static readonly string[] FileNames = ["docusaurus.config.js", "docusaurus.config.mjs", "docusaurus.config.ts", "docusaurus.config.cjs"];

    /// <summary><see cref="Mdx"/>, <see cref="Detect"/> or <see cref="Md"/>, as the site's config sets it.</summary>
    public static string MarkdownFormat(string docsFolder)
    {
        var folder = new DirectoryInfo(docsFolder);
        var site = folder.Parent;
        foreach (var candidate in new[] { site, site is null ? null : new DirectoryInfo(Path.Combine(site.FullName, "website")), site?.Parent })
        {
            var file = candidate is null ? null : FileNames.Select(name => Path.Combine(candidate.FullName, name)).FirstOrDefault(File.Exists);
            if (file is not null)
            {
                var match = Format().Match(File.ReadAllText(file));
                return match.Success ? match.Groups["format"].Value : Mdx;
            }
        }

        return Mdx;
    }

    [GeneratedRegex(@"\bformat\s*:\s*['""](?<format>mdx|md|detect)['""]")]
    private static partial Regex Format();
}
