using System.CommandLine;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Tests.Hosting;

/// <summary>How a command-line job that fails ends: what it says and the exit code.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<Exception, int, string> Failures => new()
    {
        // Ctrl+C, or a wait that ran out: the job says it stopped.
        { new TaskCanceledException("The request timed out."), 130, "Stopped: The request timed out." },
        { new InvalidDataException("The index file is damaged."), 1, "Unhandled exception: System.IO.InvalidDataException: The index file is damaged." },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task JobThatFails_SaysHow_AndExitsNonZero(Exception failure, int expectedExit, string expectedMessage)
    {
        var errors = new StringWriter();

        var exit = await CommandLine.RunAsync(["job"], (_, _) => { }, [Failing(failure)], errors: errors);

        Assert.Equal(expectedExit, exit);
        Assert.Contains(expectedMessage, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSetting_ReachesTheCaller_WhichNamesIt()
        => await Assert.ThrowsAsync<OptionsValidationException>(() => CommandLine.RunAsync(
            ["job"], (_, _) => { }, [Failing(new OptionsValidationException("BOOK_DOCS_DIR", typeof(string), ["BOOK_DOCS_DIR is not a folder."]))], errors: new StringWriter()));

    private static CommandLine.Verb Failing(Exception exception) => _ =>
    {
        var command = new Command("job", "Fails.");
        command.SetAction((_, _) => Task.FromException(exception));
        return command;
    };
}
