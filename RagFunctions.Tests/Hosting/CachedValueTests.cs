using RagFunctions.Hosting;

namespace RagFunctions.Tests.Hosting;

public sealed class CachedValueTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_CallersArrivingDuringABuild_ShareThatOneBuild()
    {
        var cached = new CachedValue<string>();
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builds = 0;
        Task<string> Build(CancellationToken _)
        {
            Interlocked.Increment(ref builds);
            return release.Task;
        }

        var first = cached.GetAsync(_ => true, Build, Cancel);
        var second = cached.GetAsync(_ => true, Build, Cancel);
        release.SetResult("built");

        Assert.Equal(["built", "built"], await Task.WhenAll(first, second));
        Assert.Equal(1, builds);
    }

    [Fact]
    public async Task GetAsync_KeepsTheValueWhileCurrent_AndBuildsAgainWhenNotOrForgotten()
    {
        var cached = new CachedValue<string>();
        var builds = 0;
        Task<string> Build(CancellationToken _) => Task.FromResult($"build {++builds}");

        Assert.Equal("build 1", await cached.GetAsync(_ => true, Build, Cancel));
        Assert.Equal("build 1", await cached.GetAsync(_ => true, Build, Cancel));
        Assert.Equal("build 2", await cached.GetAsync(kept => kept != "build 1", Build, Cancel));
        cached.Forget();
        Assert.Equal("build 3", await cached.GetAsync(_ => true, Build, Cancel));
    }
}
