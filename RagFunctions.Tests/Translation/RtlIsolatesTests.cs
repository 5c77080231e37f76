using RagFunctions.Translation;

namespace RagFunctions.Tests.Translation;

/// <summary>Directional isolates around code, commands, paths and English runs in right-to-left plain text.</summary>
public sealed class RtlIsolatesTests
{
    [Fact]
    public void CodeLine_IsIsolatedWhole_WithItsIndentation()
        => Assert.Equal("\u2066    def on_timer(self):\u2069", RtlIsolates.Code("    def on_timer(self):"));

    [Fact]
    public void BlankCodeLine_StaysBlank()
        => Assert.Equal("  ", RtlIsolates.Code("  "));

    [Fact]
    public void LineWithoutRightToLeftLetters_IsIsolatedWhole()
        => Assert.Equal("\u2066/opt/ros/jazzy/setup.bash\u2069", RtlIsolates.Prose("/opt/ros/jazzy/setup.bash"));

    [Fact]
    public void EnglishRunInAnUrduSentence_IsIsolated_ItsClosingPunctuationLeftOutside()
        => Assert.Equal(
            "ٹاپک دیکھنے کے لیے \u2066ros2 topic list\u2069 چلائیں، پھر \u2066rclpy.node.Node\u2069: یہ کلاس ہے۔",
            RtlIsolates.Prose("ٹاپک دیکھنے کے لیے ros2 topic list چلائیں، پھر rclpy.node.Node: یہ کلاس ہے۔"));

    [Fact]
    public void CitationMarker_IsNotIsolated()
        => Assert.Equal("ٹاپک ایک سلسلہ ہے [1]۔", RtlIsolates.Prose("ٹاپک ایک سلسلہ ہے [1]۔"));

    [Fact]
    public void Text_WithoutIsolates_IsTheSource()
    {
        const string text = "ٹاپک \u0020ROS 2 میں\n    colcon build --packages-select demo\n\nclass A:";

        Assert.Equal(text, RtlIsolates.Without(RtlIsolates.Text(text)));
    }
}
