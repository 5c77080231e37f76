using System.Net.Http.Json;
using System.Text.Json;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Chat;

/// <summary>What a student gets from the embedded default (no model), on the questions a new user tries first.</summary>
public sealed class ExtractiveAnswerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("What is a ROS 2 topic?", "A topic is a named, typed stream of messages")]
    [InlineData("What is a URDF joint?", "A joint connects exactly one parent link to one child link")]
    [InlineData("What is a ROS 2 node?", "A node is a unit of computation with a name")] // not "ROS 2 is not an operating system …" under a title naming nodes
    public async Task DefinitionQuestion_IsAnsweredWithTheDefiningSentence(string question, string definition)
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var answer = await AskAsync(app, question);

        Assert.Equal("extractive", answer.GetProperty("mode").GetString());
        Assert.StartsWith(definition, answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HowTo_QuotesTheCommandsWithTheirLineBreaksAndIndentationKept()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var answer = (await AskAsync(app, "How do I list the topics of a running ROS 2 system?")).GetProperty("answer").GetString()!;

        Assert.Contains("# Show every topic in the running system, with message types\nros2 topic list -t\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoPartComparison_IsAnsweredWithEachPart_FromItsOwnSection()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var answer = (await AskAsync(app, "What is the difference between a service and an action, and when should I use each?")).GetProperty("answer").GetString()!;

        Assert.StartsWith("A service is a synchronous request-response exchange", answer, StringComparison.Ordinal);
        Assert.Contains("Actions are for long-running goals", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortWordTypos_AreCorrected_AndAnswered()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var answer = await AskAsync(app, "wht is a ros2 nod");

        Assert.Equal("extractive", answer.GetProperty("mode").GetString());
        Assert.Contains("node", answer.GetProperty("standalone_question").GetString(), StringComparison.Ordinal);

        // The "Nodes" section, though "ros2 node list" in other sections outranks it on words.
        Assert.StartsWith("A node is a unit of computation with a name", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuggestedQuestions_NameTopics_NeverExamplesOrQuestions()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        foreach (var question in new[] { "What is the capture point?", "How does ZMP walking work?", "What is xacro?" })
        {
            var suggestions = (await AskAsync(app, question)).GetProperty("suggested_questions").EnumerateArray().Select(s => s.GetString()!).ToArray();
            Assert.DoesNotContain(suggestions, s => s.Contains("about Example", StringComparison.Ordinal) || s.EndsWith("??", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ListQuestion_IsAnsweredFromTheRestOfTheSection_WhenSearchFindsItsOtherPart()
    {
        // A section too long for one chunk: its first part repeats the question's words, the steps are in the second.
        var docs = TempDirectory.Create();
        var opening = string.Join(' ', Enumerable.Repeat(
            "The printing process of a printer plugin turns the syntax tree into a document, and the printing process decides where lines break.", 12));
        File.WriteAllText(Path.Combine(docs, "plugins.md"), $"""
            # Plugins

            ## The printing process

            {opening}

            The process consists of these stages:

            1. Preprocessing of the tree.
            2. Comment attachment.
            3. Recursive printing of every node.

            ## Options

            A plugin may declare options of its own, which the command line then accepts.
            """);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["BOOK_DOCS_DIR"] = docs });
        await app.StartupIngestion;

        var answer = (await AskAsync(app, "What are the steps of the printing process?")).GetProperty("answer").GetString()!;

        Assert.Contains("1. Preprocessing of the tree.\n2. Comment attachment.\n3. Recursive printing of every node.", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelectionThatSaysWhatSomethingIs_IsExplainedFromTheSectionHeadedWithIt_WithoutRepeatingIt()
    {
        var docs = TempDirectory.Create();
        File.WriteAllText(Path.Combine(docs, "overview.md"), """
            # Architecture Overview

            ## Communication

            A topic is a named channel for streaming data. Nodes publish messages to topics, and other nodes subscribe to them.

            ## Services

            A service answers one request with one response, and the client waits for it.
            """);
        File.WriteAllText(Path.Combine(docs, "explained.md"), """
            # Nodes and Topics Explained

            ## What is a Topic?

            Think of topics like radio frequencies: a station broadcasts on 101.5 FM, anyone with a radio can tune in, and the station never knows who is listening.

            ## Parameters

            A parameter is a named setting of a node, such as a camera's frame rate.
            """);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["BOOK_DOCS_DIR"] = docs });
        await app.StartupIngestion;
        const string selected = "A topic is a named channel for streaming data. Nodes publish messages to topics, and other nodes subscribe to them.";

        using var response = await app.Client.PostAsJsonAsync("/chat", new { question = "Explain this in simpler words", selected_text = selected }, Cancel);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("answer").GetString()!;

        Assert.StartsWith("Think of topics like radio frequencies", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("named channel for streaming data", answer, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> AskAsync(TestApp app, string question)
    {
        using var response = await app.Client.PostAsJsonAsync("/chat", new { question }, Cancel);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone();
    }
}
