using RagFunctions.Chat;

namespace RagFunctions.Tests.Chat;

public sealed class QuestionLanguageTests
{
    [Theory]
    [InlineData("ROS 2 میں ٹاپک کیا ہوتا ہے؟", "Urdu")]
    [InlineData("colcon build کیسے کرتے ہیں", "Urdu")]
    [InlineData("ROS 2 mein topic kya hota hai?", "RomanUrdu")]
    [InlineData("services aur actions mein kya farq hai", "RomanUrdu")]
    [InlineData("What is a ROS 2 topic?", "English")]
    [InlineData("colcon buld only one pakage", "English")]
    [InlineData("Is the main loop of a ROS node a while loop?", "English")]
    [InlineData("ka", "English")]
    public void Detect_TellsUrduScriptRomanUrduAndEnglishApart(string question, string expected)
        => Assert.Equal(Enum.Parse<QuestionScript>(expected), QuestionLanguage.Detect(question, null).Script);

    [Theory]
    [InlineData("ROS 2 mein topic kya hota hai?", "ros 2 topic")]
    [InlineData("colcon se sirf ek package kaise build karein?", "colcon package build")]
    [InlineData("service aur action mein kya farq hai", "service action")]
    public void WithoutRomanUrdu_LeavesTheEnglishTermsToSearchWith(string question, string expected)
        => Assert.Equal(expected, QuestionLanguage.WithoutRomanUrdu(question));

    [Fact]
    public void UrduTerms_DropFunctionWordsAndDiacritics()
        => Assert.Equal(["ros", "ٹاپک"], QuestionLanguage.UrduTerms("ROS 2 میں ٹاپِک کیا ہوتا ہے؟").ToArray());

    [Theory]
    [InlineData("ROS 2 میں ٹاپک کیا ہوتا ہے؟", null, true)]
    [InlineData("What is a topic?", "ur", true)]
    [InlineData("What is a topic?", "Urdu", true)]
    [InlineData("ROS 2 میں ٹاپک کیا ہوتا ہے؟", "en", false)]
    [InlineData("What is a topic?", null, false)]
    public void TheRefusalIsInUrdu_WhenTheQuestionIsOrTheRequestAsksForIt(string question, string? requested, bool urdu)
    {
        var language = QuestionLanguage.Detect(question, requested);

        Assert.Equal(urdu, language.AnswersInUrdu);
        Assert.Equal(urdu, language.Refusal(offersSections: true).Any(c => c is >= '\u0600' and <= '\u06FF'));
        Assert.Equal(urdu, language.Refusal(offersSections: false).Any(c => c is >= '\u0600' and <= '\u06FF'));
    }

    [Fact]
    public void RomanUrduQuestion_IsRefusedInRomanUrdu_AndAnsweredInIt()
    {
        var language = QuestionLanguage.Detect("ROS 2 mein topic kya hota hai?", null);

        Assert.StartsWith("Yeh mauzoo", language.Refusal(offersSections: true), StringComparison.Ordinal);
        Assert.Contains("Neeche", language.Refusal(offersSections: true), StringComparison.Ordinal);
        Assert.DoesNotContain("Neeche", language.Refusal(offersSections: false), StringComparison.Ordinal);
        Assert.StartsWith("Roman Urdu", language.AnswerLanguage, StringComparison.Ordinal);
    }
}
