using RagFunctions.Translation;

namespace RagFunctions.Tests.Translation;

public sealed class MarkdownProtectorTests
{
    private static readonly MarkdownProtector Protector = new(Glossary.Default);

    private const string Sample = """
        ---
        title: Nodes
        ---

        ## Run a node {#run-a-node}

        Start **ROS 2** with `ros2 run demo talker`, read [the guide](https://docs.ros.org/en/jazzy/ "Guide") and see ![graph](/img/graph.png).
        Math $x^2$ and www.example.com/page, plus a client token __INLINE_CODE_1__.

        <Tabs groupId="os"><TabItem value="linux">

        ```bash
        colcon build --symlink-install
        source install/setup.bash
        ```

        </TabItem></Tabs>

        :::tip Isaac Sim
        Use LiDAR and SLAM in Gazebo.
        :::

        import Foo from '@site/src/Foo';
        """;

    [Fact]
    public void Protect_ThenRestoreUnchanged_IsByteIdentical()
    {
        var guarded = Protector.Protect(Sample);

        Assert.Equal(Sample, MarkdownProtector.Restore(guarded.Text, guarded.Originals));
    }

    [Theory]
    [InlineData("ros2 run demo talker")]
    [InlineData("colcon build --symlink-install")]
    [InlineData("https://docs.ros.org")]
    [InlineData("/img/graph.png")]
    [InlineData("title: Nodes")]
    [InlineData("ROS 2")]
    [InlineData("Isaac Sim")]
    [InlineData("LiDAR")]
    [InlineData("SLAM")]
    [InlineData("Gazebo")]
    [InlineData("__INLINE_CODE_1__")]
    [InlineData("groupId")]
    [InlineData("x^2")]
    [InlineData("www.example.com")]
    [InlineData("{#run-a-node}")]
    [InlineData("@site/src/Foo")]
    public void Protect_HidesWhatMustNotBeTranslated(string kept)
    {
        var guarded = Protector.Protect(Sample);

        Assert.DoesNotContain(kept, guarded.Text, StringComparison.Ordinal);
        Assert.Contains(guarded.Originals, o => o.Contains(kept, StringComparison.Ordinal));
    }

    [Fact]
    public void Protect_LeavesProseAndLinkTextTranslatable()
    {
        var guarded = Protector.Protect(Sample);

        Assert.Contains("Run a node", guarded.Text, StringComparison.Ordinal);
        Assert.Contains("[the guide⟦", guarded.Text, StringComparison.Ordinal);
        Assert.Contains("![graph⟦", guarded.Text, StringComparison.Ordinal);
        Assert.True(guarded.NeedsTranslation);
    }

    [Fact]
    public void Restore_MissingPlaceholder_IsNull()
    {
        var guarded = Protector.Protect("Use `a` and `b`.");

        Assert.Null(MarkdownProtector.Restore("Use ⟦0⟧ and.", guarded.Originals));
    }

    [Fact]
    public void Restore_DuplicatedOrUnknownPlaceholder_IsNull()
    {
        var guarded = Protector.Protect("Use `a` and `b`.");

        Assert.Null(MarkdownProtector.Restore("Use ⟦0⟧ ⟦0⟧ and ⟦1⟧.", guarded.Originals));
        Assert.Null(MarkdownProtector.Restore("Use ⟦0⟧ and ⟦1⟧ ⟦2⟧.", guarded.Originals));
    }

    [Fact]
    public void Restore_ReorderedAndSpacedPlaceholders_AreAccepted()
    {
        var guarded = Protector.Protect("Use `a` and `b`.");

        Assert.Equal("`b` و `a`", MarkdownProtector.Restore("⟦ 1 ⟧ و ⟦0⟧", guarded.Originals));
    }

    [Fact]
    public void Protect_OnlyCode_NeedsNoTranslation()
    {
        Assert.False(Protector.Protect("```python\nprint('hi')\n```").NeedsTranslation);
    }

    [Fact]
    public void Protect_UnclosedFenceAtTheEndOfAChunk_IsProtectedToTheEnd()
    {
        var guarded = Protector.Protect("Run this:\n\n```bash\nros2 topic list\nros2 topic echo /chatter");

        Assert.DoesNotContain("topic", guarded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GlossaryVersion_ChangesWithTheTerms()
    {
        Assert.NotEqual(Glossary.Version(["ROS 2"], 1), Glossary.Version(["ROS 2", "Nav2"], 1));
        Assert.Equal(Glossary.Version(["A", "B"], 1), Glossary.Version(["B", "A"], 1));
    }
}
