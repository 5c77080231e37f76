using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Ingestion;

public sealed class HeadingSluggerTests
{
    [Theory]
    [InlineData("Hello World", "hello-world")]
    [InlineData("What's new?", "whats-new")]
    [InlineData("Q&A (2 min)", "qa-2-min")]
    [InlineData("C++ & Rust", "c--rust")]
    [InlineData("snake_case and kebab-case", "snake_case-and-kebab-case")]
    [InlineData("Step 1: Setup (Ubuntu 22.04)", "step-1-setup-ubuntu-2204")]
    [InlineData("Publishing to a Topic (Python Agent → ROS 2)", "publishing-to-a-topic-python-agent--ros-2")]
    [InlineData("Early Pioneers (1970s–2000s)", "early-pioneers-1970s2000s")]
    [InlineData("🎯 Course Overview", "-course-overview")]
    [InlineData("✅ Compatible Versions", "-compatible-versions")]
    [InlineData("😄-😄 unicode emoji", "--unicode-emoji")]
    [InlineData("Привет non-latin 你好", "привет-non-latin-你好")]
    [InlineData("اردو زبان", "اردو-زبان")]
    [InlineData("apostrophe’s should be trimmed", "apostrophes-should-be-trimmed")]
    [InlineData("I ♥ unicode", "i--unicode")]
    [InlineData("Ⓐ circled", "ⓐ-circled")]
    public void Slugify_MatchesGithubSlugger(string heading, string expected)
    {
        Assert.Equal(expected, HeadingSlugger.Slugify(heading));
    }

    [Fact]
    public void Slug_RepeatedHeadings_AreNumberedLikeGithubSlugger()
    {
        var slugger = new HeadingSlugger();

        string[] anchors = [slugger.Slug("echo"), slugger.Slug("echo"), slugger.Slug("echo 1"), slugger.Slug("echo-1"), slugger.Slug("echo")];

        Assert.Equal(["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2"], anchors);
    }

    [Theory]
    [InlineData("Custom heading {#my-id}", "Custom heading", "my-id")]
    [InlineData("Spaced {#spaced_id}", "Spaced", "spaced_id")]
    [InlineData("Not an id {#two words}", "Not an id {#two words}", "not-an-id-two-words")]
    public void Next_ExplicitId_IsTheAnchorAndLeavesTheText(string heading, string expectedText, string expectedAnchor)
    {
        Assert.Equal((expectedText, expectedAnchor), new HeadingSlugger().Next(heading));
    }

    [Fact]
    public void Next_ExplicitId_DoesNotTakeASlug()
    {
        var slugger = new HeadingSlugger();

        var custom = slugger.Next("Setup {#setup}");
        var generated = slugger.Next("Setup");

        Assert.Equal("setup", custom.Anchor);
        Assert.Equal("setup", generated.Anchor);
    }
}
