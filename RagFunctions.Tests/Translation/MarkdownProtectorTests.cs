using RagFunctions.Tests.Fakes;
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

    /// <summary>Code blocks in every form a book writes them: what comes before the code, the code, what comes after.</summary>
    public static TheoryData<string, string, string, string> CodeBlocks => new()
    {
        { "info string with meta", "", "```python title=\"temp_publisher.py\"\nimport rclpy\nclass MinimalPublisher(Node):\n    # Create the publisher\n    pass\n```", "" },
        { "line highlights", "", "```js {1,3-4} showLineNumbers\nconst node = new Node('talker');\n```", "" },
        { "tildes", "", "~~~bash\nros2 run demo_nodes_cpp talker\n~~~", "" },
        { "four backticks around three", "", "````markdown\n```python\nprint('inner fence')\n```\n````", "" },
        { "longer closing fence", "", "```\nplain code block\n`````", "" },
        { "blank lines inside", "", "```yaml\nname: robot\n\n\nsensors: lidar\n```", "" },
        { "indented fence", "", "  ```bash\n  colcon build --symlink-install\n  ```", "" },
        { "in a list", "- Build the workspace:\n\n", "  ```bash\n  colcon build\n  source install/setup.bash\n  ```", "\n- Then run it." },
        { "in a nested list", "1. First step\n   - Then run:\n", "     ```bash\n     ros2 topic list\n     ```", "" },
        { "in a block quote", "> Try this:\n>\n", "> ```python\n> print('quoted code')\n> ```", "" },
        { "in an admonition", ":::tip Build it\n\n", "```bash\ncolcon build --packages-select demo\n```", "\n\n:::" },
        { "in an admonition without blank lines", ":::note\n", "```bash\nros2 node list\n```", "\n:::" },
        { "in details", "<details>\n<summary>Show the solution</summary>\n\n", "```python\nprint('the answer')\n```", "\n\n</details>" },
        { "in details without blank lines", "<details>\n<summary>Show the solution</summary>\n", "```python\nprint('the answer')\n```", "\n</details>" },
        { "interrupting a paragraph", "Run this\n", "```bash\nros2 launch demo talker.launch.py\n```", "\nand watch the output" },
        { "indented code", "Run this:\n\n", "    ros2 topic list\n    ros2 node info talker", "" },
    };

    [Theory]
    [MemberData(nameof(CodeBlocks))]
    public void Protect_CodeBlocks_ComeBackByteIdenticalFromATranslation(string form, string before, string code, string after)
    {
        foreach (var newline in new[] { "\n", "\r\n" })
        {
            var markdown = $"Some prose before the code.\n\n{before}{code}{after}\n\nSome prose after the code.".ReplaceLineEndings(newline);

            var guarded = Protector.Protect(markdown);
            var restored = MarkdownProtector.Restore(FakeTranslator.Translate(guarded.Text), guarded.Originals);

            var label = $"{form}, {(newline.Length > 1 ? "CRLF" : "LF")}";
            Assert.True(restored is not null, label);
            Assert.DoesNotContain("prose", restored, StringComparison.Ordinal);
            Assert.True(restored.Contains(code.ReplaceLineEndings(newline), StringComparison.Ordinal), $"{label}:\n{restored}");
            foreach (var line in code.Split('\n').Select(l => l.Trim(' ', '>', '`', '~')).Where(l => l.Length > 0))
            {
                Assert.False(guarded.Text.Contains(line, StringComparison.Ordinal), $"{label}: '{line}' is sent to the model");
            }

            Assert.Equal(markdown, MarkdownProtector.Restore(guarded.Text, guarded.Originals));
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Protect_FenceLeftOpenWhereASectionEnds_IsProtectedToTheEnd(string newline)
    {
        var markdown = "Run this:\n\n```bash\nros2 topic echo chatter\nros2 topic hz chatter".ReplaceLineEndings(newline);

        var guarded = Protector.Protect(markdown);

        Assert.DoesNotContain("chatter", guarded.Text, StringComparison.Ordinal);
        Assert.Equal(markdown, MarkdownProtector.Restore(guarded.Text, guarded.Originals));
    }

    [Fact]
    public void GlossaryVersion_ChangesWithTheTerms()
    {
        Assert.NotEqual(Glossary.Version(["ROS 2"], 1), Glossary.Version(["ROS 2", "Nav2"], 1));
        Assert.Equal(Glossary.Version(["A", "B"], 1), Glossary.Version(["B", "A"], 1));
    }
}
