using System.CommandLine;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Tests.Hosting;

/// <summary>How a command-line job that fails ends: what it says and the exit code.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task JobThatRunsOutOfTime_SaysItStopped_AndExits130()
    {
        var errors = new StringWriter();

        var exit = await CommandLine.RunAsync(["job"], (_, _) => { }, [Failing(new TaskCanceledException("The request timed out."))], errors: errors);

        Assert.Equal(130, exit);
        Assert.Contains("Stopped: The request timed out.", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobThatThrows_IsReportedWithItsException_AndExits1()
    {
        var errors = new StringWriter();

        var exit = await CommandLine.RunAsync(["job"], (_, _) => { }, [Failing(new InvalidDataException("The index file is damaged."))], errors: errors);

        Assert.Equal(1, exit);
        Assert.Contains("Unhandled exception: System.IO.InvalidDataException: The index file is damaged.", errors.ToString(), StringComparison.Ordinal);
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
