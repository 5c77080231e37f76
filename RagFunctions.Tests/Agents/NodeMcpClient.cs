using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Agents;

/// <summary>
/// The reference TypeScript SDK's MCP client (<c>@modelcontextprotocol/sdk</c>, the exact version pinned in
/// <c>Agents/McpNodeClient/package-lock.json</c>), driven by node through <c>client.mjs</c>. The first use in a test run
/// installs it with <c>npm ci</c> into a temp folder named for the lock file's hash (later runs reuse it); without node,
/// npm or the npm registry the test fails saying so — it never skips.
/// </summary>
internal static class NodeMcpClient
{
    private static readonly TimeSpan InstallBound = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunBound = TimeSpan.FromMinutes(2);
    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    private static string Source => RepoFiles.Path("RagFunctions.Tests", "Agents", "McpNodeClient");

    /// <summary>Runs the client against <paramref name="endpoint"/> with the calls in <paramref name="plan"/>; returns what it printed.</summary>
    public static async Task<JsonElement> RunAsync(Uri endpoint, string plan, CancellationToken cancellationToken)
    {
        var folder = await Installed.Value;
        var planFile = Path.Combine(TempDirectory.Create(), "calls.json");
        await File.WriteAllTextAsync(planFile, plan, cancellationToken);
        var (exit, stdout, stderr) = await RunProcessAsync("node", [Path.Combine(folder, "client.mjs"), endpoint.ToString(), planFile], folder, RunBound, cancellationToken);
        Assert.True(exit == 0, $"The node MCP client failed (exit {exit}):\n{stderr}\n{stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static async Task<string> InstallAsync()
    {
        var lockFile = await File.ReadAllBytesAsync(Path.Combine(Source, "package-lock.json"));
        var folder = Path.Combine(Path.GetTempPath(), "ragfunctions-tests", "mcp-node-client-" + Convert.ToHexStringLower(SHA256.HashData(lockFile))[..12]);
        if (!File.Exists(Path.Combine(folder, "node_modules", "@modelcontextprotocol", "sdk", "package.json")))
        {
            // Installed beside a copy of the files, then moved into place: a run stopped halfway leaves nothing half-installed.
            var staging = TempDirectory.Create();
            foreach (var file in new[] { "package.json", "package-lock.json" })
            {
                File.Copy(Path.Combine(Source, file), Path.Combine(staging, file));
            }

            var (exit, stdout, stderr) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], staging, InstallBound, TestContext.Current.CancellationToken);
            if (exit != 0)
            {
                throw new InvalidOperationException(
                    $"npm could not install @modelcontextprotocol/sdk for the node MCP client test (exit {exit}); it needs node 18+, npm and the npm registry:\n{stderr}\n{stdout}");
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.Move(staging, folder);
        }

        // The script is copied on every run: it may change without the lock file changing.
        File.Copy(Path.Combine(Source, "client.mjs"), Path.Combine(folder, "client.mjs"), overwrite: true);
        return folder;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(
        string program, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan bound, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{program}' is not installed or not on PATH: the node MCP client test needs node 18+ and npm ({ex.Message}).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(bound);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {bound.TotalMinutes} minutes.");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
