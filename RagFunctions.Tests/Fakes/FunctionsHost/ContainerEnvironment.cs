using System.Text.RegularExpressions;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Fakes.FunctionsHost;

/// <summary>The environment the Dockerfile gives the Functions host container (its runtime stage's <c>ENV</c>).</summary>
internal static partial class ContainerEnvironment
{
    public static Dictionary<string, string> FromDockerfile()
    {
        var dockerfile = RepoFiles.Read("Dockerfile").Replace("\\\n", " ", StringComparison.Ordinal);
        var runtimeStage = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match instruction in EnvInstruction().Matches(runtimeStage))
        {
            foreach (var pair in instruction.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                variables[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return variables;
    }

    [GeneratedRegex(@"(?m)^ENV (.+)$")]
    private static partial Regex EnvInstruction();
}
