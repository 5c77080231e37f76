using System.Diagnostics;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Evaluation;

/// <summary>The <c>eval</c> verb run as a reader runs it: the app's exe, a data folder and the book it is configured with.</summary>
public sealed class EvalCommandTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Eval_OnAnEmptyConfiguredIndex_IndexesTheConfiguredBookFirst_InsteadOfRefusingEveryQuestion()
    {
        var docs = TempDirectory.Create();
        Directory.CreateDirectory(Path.Combine(docs, "sensors"));
        await File.WriteAllTextAsync(Path.Combine(docs, "sensors", "imu.md"), """
            # Inertial Measurement Units

            An inertial measurement unit combines a three-axis accelerometer and a three-axis gyroscope. It measures
            linear acceleration and angular velocity, commonly at 100 to 1,000 Hz.
            """, Cancel);
        var questions = Path.Combine(TempDirectory.Create(), "questions.jsonl");
        await File.WriteAllTextAsync(questions, """
            {"question": "What does an inertial measurement unit measure?", "kind": "factual", "page": "sensors/imu", "heading": "", "keywords": ["angular velocity"]}
            """ + "\n", Cancel);

        var (exit, stdout, stderr) = await RunAsync(["eval", questions], new()
        {
            ["RAG_DATA_DIR"] = TempDirectory.Create(),
            ["BOOK_DOCS_DIR"] = docs,
            ["BOOK_BASE_URL"] = "https://example.org/",
        });

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("The index was empty: indexed", stdout, StringComparison.Ordinal);
        Assert.Matches(@"│ all\s+│ 1\s+│ 100\.0 %\s+│ 100\.0 %\s+│ 100\.0 %", stdout);
    }

    [Fact]
    public async Task Eval_WithADocsFolderThatIsNotThere_SaysWhichSettingIsWrong_WithoutAStackTrace()
    {
        var questions = Path.Combine(TempDirectory.Create(), "questions.jsonl");
        await File.WriteAllTextAsync(questions, """{"question": "What is a robot?", "kind": "out_of_scope"}""" + "\n", Cancel);

        var (exit, _, stderr) = await RunAsync(["eval", questions], new()
        {
            ["RAG_DATA_DIR"] = TempDirectory.Create(),
            ["BOOK_DOCS_DIR"] = Path.Combine(TempDirectory.Create(), "missing"),
        });

        Assert.Equal(2, exit);
        Assert.Contains("Configuration error: BOOK_DOCS_DIR", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RagFunctions.dll"), .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel).WaitAsync(TimeSpan.FromMinutes(2), Cancel);
        return (process.ExitCode, await stdout, await stderr);
    }
}
