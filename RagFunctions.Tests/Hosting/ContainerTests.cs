using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// No Docker engine runs here, so the container is checked statically: the Dockerfile's properties,
/// the publish output the Functions host needs, and the files a Space or `func start` reads.
/// </summary>
public sealed partial class ContainerTests
{
    private static readonly string Dockerfile = RepoFiles.Read("Dockerfile");

    /// <summary>How the image publishes the worker (ReadyToRun for linux-x64), and so how the publish test does.</summary>
    private static readonly string[] PublishOptions = ["-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"];

    [Fact]
    public void Dockerfile_BuildsWithTheSdkAndRunsOnTheFunctionsIsolatedImage()
    {
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:\$\{DOTNET\} AS build$", Dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/azure-functions/dotnet-isolated:4-dotnet-isolated\$\{DOTNET\}$", Dockerfile);
        Assert.Matches(@"(?m)^ARG DOTNET=10\.0$", Dockerfile);
        Assert.Contains($"dotnet publish RagFunctions/RagFunctions.csproj {string.Join(' ', PublishOptions)} -o /out", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY --from=build /out /home/site/wwwroot", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_ServesPort7860AsUid1000WithConsoleLogs()
    {
        Assert.Contains("ASPNETCORE_URLS=http://+:7860", Dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^EXPOSE 7860$", Dockerfile);
        Assert.Matches(@"(?m)^USER 1000:1000$", Dockerfile);
        Assert.Contains("AzureFunctionsJobHost__Logging__Console__IsEnabled=true", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("FUNCTIONS_ENABLE_CORS_CONFIGURATION=1", Dockerfile, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^(CMD|ENTRYPOINT)", Dockerfile);
    }

    [Fact]
    public void Dockerfile_IndexesAnOptionalBookFolderAtBuildTimeIntoTheDataFolder()
    {
        Assert.Contains("COPY Dockerfile book* /book/", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("RAG_DATA_DIR=/index EMBEDDINGS_PROVIDER=local dotnet /out/RagFunctions.dll ingest \"$docs\"", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY --from=build --chown=1000:1000 /index /home/data", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("RAG_DATA_DIR=/home/data", Dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("book/", File.ReadAllText(RepoFiles.Path(".dockerignore")), StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_PutsNoSecretsOrLocalSettingsInTheImage()
    {
        var instructions = Dockerfile.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).ToArray();
        foreach (var secret in EnvironmentVariables.Secrets)
        {
            Assert.DoesNotContain(instructions, l => l.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(instructions, l => l.Contains("local.settings.json", StringComparison.Ordinal));
        var ignore = RepoFiles.Read(".dockerignore");
        Assert.Contains("**/local.settings.json", ignore, StringComparison.Ordinal);
        Assert.Contains("**/.env", ignore, StringComparison.Ordinal);
        Assert.Contains("**/bin/", ignore, StringComparison.Ordinal);
        Assert.Contains("**/obj/", ignore, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsFiles_AreIgnoredByGit_AndTheExampleHoldsOnlyPlaceholders()
    {
        var gitignore = RepoFiles.Read(".gitignore").Split('\n');
        Assert.Contains("local.settings.json", gitignore);
        Assert.Contains(".env", gitignore);

        using var example = JsonDocument.Parse(RepoFiles.Read("local.settings.example.json"));
        Assert.False(example.RootElement.GetProperty("IsEncrypted").GetBoolean());
        var values = example.RootElement.GetProperty("Values");
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        foreach (var secret in EnvironmentVariables.Secrets)
        {
            if (values.TryGetProperty(secret, out var value))
            {
                Assert.Matches(@"^(|<.*>)$", value.GetString());
            }
        }
    }

    [Fact]
    public void Readme_StartsWithTheSpaceFrontMatter()
    {
        var readme = RepoFiles.Read("README.md");
        var front = FrontMatter().Match(readme);

        Assert.True(front.Success, "README.md must begin with a --- front matter block.");
        Assert.Matches(@"(?m)^sdk: docker$", front.Value);
        Assert.Matches(@"(?m)^app_port: 7860$", front.Value);
    }

    [Fact]
    public void Readme_DocumentsEveryEnvironmentVariableTheAppReads()
    {
        var readme = RepoFiles.Read("README.md");
        var documented = TableVariable().Matches(readme).Select(m => m.Groups[1].Value).ToHashSet();

        var missing = EnvironmentVariables.All.Where(name => !documented.Contains(name)).ToArray();
        Assert.True(missing.Length == 0, "README configuration table lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Publish_ProducesWhatTheFunctionsHostLoads()
    {
        var output = TempDirectory.Create();
        var start = new ProcessStartInfo("dotnet", ["publish", RepoFiles.Path("RagFunctions", "RagFunctions.csproj"), .. PublishOptions, "-o", output, "--nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(8), TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, await log + await errors);

        foreach (var file in new[] { "RagFunctions.dll", "functions.metadata", "worker.config.json", "extensions.json", "host.json" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"publish output lacks {file}");
        }

        Assert.False(File.Exists(Path.Combine(output, "local.settings.json")));

        // ReadyToRun: the worker's assembly carries native code (a managed-native header), so a cold start JITs less.
        using (var assembly = File.OpenRead(Path.Combine(output, "RagFunctions.dll")))
        using (var pe = new System.Reflection.PortableExecutable.PEReader(assembly))
        {
            Assert.True(pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0, "RagFunctions.dll is not ReadyToRun");
        }

        using var worker = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "worker.config.json"), TestContext.Current.CancellationToken));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet", description.GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("RagFunctions.dll", description.GetProperty("defaultWorkerPath").GetString());
        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "host.json"), TestContext.Current.CancellationToken));
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [GeneratedRegex(@"\A---\n(.*?\n)---\n", RegexOptions.Singleline)]
    private static partial Regex FrontMatter();

    [GeneratedRegex(@"(?m)^\|\s*`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex TableVariable();
}
