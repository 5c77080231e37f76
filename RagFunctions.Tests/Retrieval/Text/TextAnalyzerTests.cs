using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Tests.Retrieval.Text;

public sealed class TextAnalyzerTests
{
    [Theory]
    [InlineData("What does bracketSpacing control?", "What does bracketSpacing (bracket spacing) control?")]
    [InlineData("how precise is toBeCloseTo", "how precise is toBeCloseTo (to be close to)")]
    [InlineData("When would I use jest.doMock instead of jest.mock?", "When would I use jest.doMock instead of jest.mock?")]
    [InlineData("What is ROS 2 and URDF?", "What is ROS 2 and URDF?")]
    [InlineData("Why use GetComponent in Unity?", "Why use GetComponent in Unity?")]
    public void SpellOutNames_FollowsACamelCaseNameWithItsWords_ButNotAMemberOrACapitalisedWord(string text, string expected)
        => Assert.Equal(expected, TextAnalyzer.SpellOutNames(text));

    [Fact]
    public void CamelCaseNames_AreFoldedWithTheirWords()
    {
        var (name, parts) = Assert.Single(TextAnalyzer.CamelCaseNames("What does arrowParens do?"));

        Assert.Equal("arrowparens", name);
        Assert.Equal(["arrow", "parens"], parts);
    }

    [Fact]
    public void Words_FullWidthLettersAndLigatures_AreNormalisedByNfkc()
    {
        Assert.Equal(["ros2", "file", "workflow"], TextAnalyzer.Words("ＲＯＳ２ ﬁle Workﬂow"));
    }

    [Fact]
    public void Words_DecomposedAccent_StaysInTheWordAndMeetsTheComposedForm()
    {
        var decomposed = "Cafe\u0301 menu";

        Assert.Equal(["café", "menu"], TextAnalyzer.Words(decomposed));
        Assert.Equal(TextAnalyzer.Words("café"), TextAnalyzer.Words("cafe\u0301"));
    }

    [Fact]
    public void Words_UrduDiacriticsAndDevanagariVowelSigns_StayInsideTheWord()
    {
        // ٹاپِک carries a zer (U+0650); रोबोटिक्स has vowel signs and a virama: each is one word.
        Assert.Equal(["ٹاپِک", "रोबोटिक्स"], TextAnalyzer.Words("ٹاپِک، रोबोटिक्स!"));
    }

    [Fact]
    public void WithoutArabicMarks_DropsUrduDiacriticsOnly()
    {
        Assert.Equal(TextAnalyzer.Words("ٹاپک"), TextAnalyzer.Words(TextAnalyzer.WithoutArabicMarks("ٹاپِک")));
        Assert.Equal(["रोबोटिक्स", "café"], TextAnalyzer.Words(TextAnalyzer.WithoutArabicMarks("रोबोटिक्स café")));
    }

    [Theory]
    [InlineData("robot🤖arm", new[] { "robot", "arm" })]
    [InlineData("👩‍🔧 gripper 🦾🦾", new[] { "gripper" })]
    [InlineData("\uD835\uDC00\uD835\uDC01c", new[] { "abc" })] // mathematical bold A, B (outside the BMP): NFKC → a, b
    [InlineData("\U00020000\U00020001 robot", new[] { "\U00020000\U00020001", "robot" })] // CJK letters outside the BMP stay whole
    [InlineData("lone\uD800surrogate\uDC00end", new[] { "lone", "surrogate", "end" })]
    [InlineData("\uDC00\uD800", new string[0])]
    public void Words_EmojiAndSurrogates_SeparateWordsWithoutSplittingOrFailing(string text, string[] expected)
    {
        Assert.Equal(expected, TextAnalyzer.Words(text));
    }

    [Fact]
    public void Words_UnderscoresJoinButAreNotWordsAlone_AndOverlongRunsAreDropped()
    {
        var hash = new string('f', TextAnalyzer.MaxWordLength + 1);

        Assert.Equal(["create_publisher", "node"], TextAnalyzer.Words($"create_publisher() ___ {hash} Node"));
    }

    [Fact]
    public void ContentWords_EnglishAndUrduStopWords_AreRemoved()
    {
        Assert.Equal(["robot", "arm", "move"], TextAnalyzer.ContentWords("How does the robot's arm move?"));
        Assert.Equal(["روبوٹ", "بازو", "چلتا"], TextAnalyzer.ContentWords("روبوٹ کا بازو کیسے چلتا ہے؟"));
    }

    [Theory]
    [InlineData("pls explain zmp", "zmp")]
    [InlineData("ELI5 inverse kinematics", "inverse kinematics")]
    [InlineData("thx, how do I build one package?", "build one package")]
    public void ContentWords_ChatFiller_IsRemoved(string question, string content)
        => Assert.Equal(content.Split(' '), TextAnalyzer.ContentWords(question));

    [Fact]
    public void ContentWords_UrduStopWord_IsRemovedAlsoWithoutItsMarks()
    {
        // "گئی" holds a hamza, which WithoutArabicMarks removes: the stop list knows both forms.
        Assert.Empty(TextAnalyzer.ContentWords(TextAnalyzer.WithoutArabicMarks("گئی")));
        Assert.Empty(TextAnalyzer.ContentWords("گئی"));
    }

    [Fact]
    public void Terms_DropOneLetterWordsAndStemEnglish()
    {
        Assert.Equal(["publish", "robot"], TextAnalyzer.Terms("Publishing x 2 robots"));
        Assert.Equal(TextAnalyzer.Terms("node package"), TextAnalyzer.Terms("Nodes packages"));
    }

    [Fact]
    public void ReplaceWords_ReplacesOnlyTheChosenWords_KeepingEverythingElse()
    {
        var text = TextAnalyzer.ReplaceWords("Colcon BULD, only one pakage 🤖!", w => w switch { "buld" => "build", "pakage" => "package", _ => null });

        Assert.Equal("Colcon build, only one package 🤖!", text);
    }

    [Theory]
    [InlineData("\"robot\" OR arm*", "\"robot\" OR \"arm\"")]
    [InlineData("NEAR(\"a\" \"b\") robot_arm:1", "\"near\" OR \"b\" OR \"robot_arm\" OR \"1\"")]
    [InlineData("ＲＯＢＯＴ\") OR (\"x", "\"robot\" OR \"x\"")]
    [InlineData("🤖\uD800\"*", null)]
    public void HostileFtsSyntax_BecomesQuotedWordsOnly(string text, string? expected)
    {
        Assert.Equal(expected, FtsQuery.Build(text));
    }

    [Fact]
    public void KeywordSearchAndSparseVectors_CutTextTheSameWay()
    {
        const string text = "Ｗhat does ROS 2's create_publisher() do? روبوٹ کا بازو 🤖";

        Assert.Equal(TextAnalyzer.ContentWords(text), Bm25SparseEncoder.Tokenize(text));
        Assert.Equal(TextAnalyzer.ContentWords(text).Distinct(), FtsQuery.Terms(text));
    }
}
