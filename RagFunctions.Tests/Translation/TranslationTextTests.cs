using RagFunctions.Translation;

namespace RagFunctions.Tests.Translation;

public sealed class TranslationTextTests
{
    [Fact]
    public void FromMarkdown_HeadingsListsLinksAndCode_BecomePlainLines()
    {
        const string markdown = """
            ---
            title: x
            ---
            ## نوڈز {#nodes}

            - پہلا **اہم** نکتہ
            - [رہنما](https://example.com) دیکھیں

            ```python
            def main():
                print("**not bold**")
            ```

            | a | b |
            |---|---|
            | 1 | 2 |
            """;

        var plain = TranslationPlainText.FromMarkdown(markdown);

        Assert.Equal("""
            نوڈز

            • پہلا اہم نکتہ
            • رہنما دیکھیں

            def main():
                print("**not bold**")

            a  b
            1  2
            """, plain);
    }

    [Fact]
    public void Split_LongSliceAtBlankLines_NeverInsideACodeFence()
    {
        var code = "```\nline one\n\nline two\n```";
        var text = string.Join("\n\n", new string('a', 50), code, new string('b', 50));

        var sections = TranslationSections.Split([text], maxChars: 60);

        Assert.Equal([new string('a', 50), code, new string('b', 50)], sections);
        Assert.Equal(text, TranslationSections.Join(sections));
    }

    [Fact]
    public void Split_ShortSlices_StayOneSectionEachAndBlankOnesAreDropped()
    {
        Assert.Equal(["# A\n\ntext", "## B"], TranslationSections.Split(["# A\n\ntext\n", "  \n", "\n## B\n"], 1000));
    }

    [Theory]
    [InlineData("urdu", "ur", true)]
    [InlineData("UR", "ur", true)]
    [InlineData("arabic", "ar", true)]
    [InlineData("hi", "hi", false)]
    public void TargetLanguage_NamesAndCodes_AreAccepted(string given, string code, bool rtl)
    {
        Assert.True(TargetLanguage.TryParse(given, out var language));
        Assert.Equal(code, language.Code);
        Assert.Equal(rtl, language.Rtl);
    }

    [Fact]
    public void TranslationKey_Uuid_IsDeterministicAndDependsOnEveryPart()
    {
        var key = TranslationKey.For("text", "ur", "m", "g");

        Assert.Equal(key.Uuid, TranslationKey.For("text", "ur", "m", "g").Uuid);
        Assert.NotEqual(key.Uuid, TranslationKey.For("text", "ar", "m", "g").Uuid);
        Assert.NotEqual(key.Uuid, TranslationKey.For("text", "ur", "m2", "g").Uuid);
        Assert.NotEqual(key.Uuid, TranslationKey.For("text!", "ur", "m", "g").Uuid);
    }
}
