using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>A test run leaves no index folders behind in the temp folder.</summary>
public sealed class TempFolderTests
{
    [Fact]
    public void TestFolders_AreUnderThisRunsRoot_WhichIsDeletedWhenTheRunEnds()
    {
        var folder = TempDirectory.Create();

        Assert.StartsWith(TempDirectory.RunRoot + Path.DirectorySeparatorChar, folder, StringComparison.Ordinal);
        Assert.Contains($"run-{Environment.ProcessId}-", TempDirectory.RunRoot, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFoldersOfAnEndedRun_AreSwept_WhileThoseOfARunStillGoingStay()
    {
        var ended = Path.Combine(TempDirectory.Parent, $"run-{int.MaxValue}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(ended, "index"));
        File.WriteAllText(Path.Combine(ended, "index", "index.db"), "x");
        var ours = TempDirectory.Create();

        TempDirectory.DeleteStaleRuns();

        Assert.False(Directory.Exists(ended));
        Assert.True(Directory.Exists(ours));
    }
}
