using RagFunctions.Chat;

namespace RagFunctions.Tests.Chat;

public sealed class SelectedTextTests
{
    [Theory]
    [InlineData("Explain this in simpler words", "A topic is a named channel for streaming data.", "topic", "Explain topic in simpler words")]
    [InlineData("What does this paragraph mean?", "The zero moment point is where the net moment vanishes.", "zero moment point", "What does zero moment point mean?")]
    [InlineData("Can you give an example?", "Sensors are defined as links plus plugins.", "sensors", "Can you give an example about sensors?")]
    public void AboutItsSubject_PutsWhatTheSelectionDefinesInPlaceOfThis(string question, string selected, string subject, string asked)
        => Assert.Equal((subject, asked), SelectedText.AboutItsSubject(question, selected));

    [Theory]
    [InlineData("Communication between the two happens over DDS, which handles discovery.")] // no "X is …" at its start
    [InlineData("Run colcon build before sourcing the workspace.")]
    public void AboutItsSubject_NothingWhenTheSelectionDefinesNothing(string selected)
        => Assert.Null(SelectedText.AboutItsSubject("Explain this", selected));

    [Fact]
    public void IsIn_FindsTheSelectionsWordsInOrder_MarkupAndCaseAside()
    {
        const string selected = "A topic is a named channel for streaming data. Nodes publish (send) messages to topics.";

        Assert.True(SelectedText.IsIn(selected, "## Topics\n\nA **topic** is a named channel for streaming data. Nodes **publish** (send) messages to topics, and more."));
        Assert.False(SelectedText.IsIn(selected, "Named channel: topics carry streaming data that nodes publish and send as messages."));
    }

    [Theory]
    [InlineData("Nodes publish messages to topics.", true)]
    [InlineData("Think of topics like radio frequencies: anyone can tune in.", false)]
    public void Repeats_WhenMostOfTheSentencesWordsAreTheSelections(string sentence, bool repeats)
        => Assert.Equal(repeats, SelectedText.Repeats("A topic is a named channel. Nodes publish messages to topics, and other nodes subscribe.", sentence));
}
