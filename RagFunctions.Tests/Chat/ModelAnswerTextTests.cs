using RagFunctions.Chat;

namespace RagFunctions.Tests.Chat;

/// <summary>A model's answer is shown as plain text, made plain by the same rule as the book's text.</summary>
public sealed class ModelAnswerTextTests
{
    [Fact]
    public void FromModel_MarkdownAnswerWithMarkers_IsPlainTextWithMarkersKept()
    {
        const string answer = """
            ## Listing topics

            Run **`ros2 topic list`** to see every topic [1]. See [the guide](https://docs.ros.org/guide) for *more* [2].

            - `-t` shows each message type
            - __rqt_graph__ draws the graph

            ```bash
            ros2 topic list -t
            ```
            """;

        var plain = PlainText.FromModel(answer);

        Assert.Equal("""
            Listing topics

            Run ros2 topic list to see every topic [1]. See the guide for more [2].

            - -t shows each message type
            - rqt_graph draws the graph

            Code (bash):
            ros2 topic list -t
            """, plain);
    }

    [Fact]
    public void FromModel_PlainSentences_AreUnchanged()
    {
        const string answer = "A topic is a named bus [1].\nNodes publish to it and subscribe to it [2].";

        Assert.Equal(answer, PlainText.FromModel(answer));
    }
}
