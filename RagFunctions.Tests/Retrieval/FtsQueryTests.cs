using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Tests.Retrieval;

public sealed class FtsQueryTests
{
    [Fact]
    public void Terms_Question_KeepsContentWordsLowerCasedInOrder()
    {
        Assert.Equal(["robot", "gripper", "torque"], FtsQuery.Terms("What is the Robot's GRIPPER torque? And the robot's?"));
    }

    [Fact]
    public void Terms_OtherScripts_AreWords()
    {
        // "کیسے" ("how") is an Urdu stop word, as "how" is an English one.
        Assert.Equal(["روبوٹ", "بازو", "چلتا"], FtsQuery.Terms("روبوٹ کا بازو کیسے چلتا ہے؟"));
        Assert.Equal(["रोबोट", "हाथ"], FtsQuery.Terms("रोबोट हाथ"));
        Assert.Equal(["ros2", "ros", "2"], FtsQuery.Terms("ROS2 (ros 2)"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("what is the")]
    [InlineData("🤖🦾")]
    [InlineData("\"*-:()^{}+")]
    public void Build_NoSearchWords_IsNull(string text)
    {
        Assert.Null(FtsQuery.Build(text));
    }

    [Theory]
    [InlineData("gripper*", "\"gripper\"")]
    [InlineData("NEAR(gripper torque, 2)", "\"near\" OR \"gripper\" OR \"torque\" OR \"2\"")]
    [InlineData("gripper AND OR NOT torque", "\"gripper\" OR \"torque\"")]
    [InlineData("-gripper heading:torque", "\"gripper\" OR \"heading\" OR \"torque\"")]
    [InlineData("\"gripper\" \"", "\"gripper\"")]
    [InlineData("'; DROP TABLE chunks; --", "\"drop\" OR \"table\" OR \"chunks\"")]
    public void Build_SyntaxCharacters_BecomeSeparatorsAndWordsAreQuoted(string text, string expected)
    {
        Assert.Equal(expected, FtsQuery.Build(text));
    }

    [Fact]
    public void Build_ManyOrLongWords_IsBounded()
    {
        var many = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"word{i}"));
        var longWord = new string('x', TextAnalyzer.MaxWordLength + 1);

        Assert.Equal(FtsQuery.MaxTerms, FtsQuery.Terms(many).Count);
        Assert.Equal(["gripper"], FtsQuery.Terms($"{longWord} gripper"));
    }

    [Fact]
    public void Build_AnyInput_IsOnlyQuotedWordsJoinedByOr()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var text = new string(Enumerable.Range(0, 40).Select(_ => (char)random.Next(0, 0x3000)).ToArray());

            var query = FtsQuery.Build(text);

            if (query is not null)
            {
                Assert.Matches(@"^""[\p{L}\p{N}\p{M}_]+""( OR ""[\p{L}\p{N}\p{M}_]+"")*$", query);
            }
        }
    }
}
