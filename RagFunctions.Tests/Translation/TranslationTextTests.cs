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

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void FromMarkdown_CodeInAnyFence_IsKeptVerbatimWithoutItsFences(string newline)
    {
        var markdown = """
            متن

            ````markdown
            ```python
            - item **x**
            ```
            ````

            ~~~bash title="run.sh"
            # not a heading
            ~~~
            """.ReplaceLineEndings(newline);

        Assert.Equal("متن\n\n```python\n- item **x**\n```\n\n# not a heading", TranslationPlainText.FromMarkdown(markdown));
    }

    [Fact]
    public void Split_LongPage_CutsBetweenBlocksNeverInsideACodeBlock()
    {
        var code = "````\nline one\n\n```\nline two\n````";
        var text = string.Join("\n\n", new string('a', 50), code, new string('b', 50));

        var page = TranslationSections.Split(text, maxChars: 60);

        Assert.Equal([new string('a', 50), code, new string('b', 50)], page.Sections);
        Assert.Equal(text, page.Join(page.Sections));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Split_ThenJoinUntranslated_IsTheSameBytesWithBlankLinesKept(string newline)
    {
        var text = "\n\n# A\n\ntext\n  \n\n## B\n\n```python title=\"b.py\"\n\n\nx = 1\n```\n\n".ReplaceLineEndings(newline);

        var page = TranslationSections.Split(text, maxChars: 8);

        Assert.Equal(["# A", "text", "## B", "```python title=\"b.py\"\n\n\nx = 1\n```".ReplaceLineEndings(newline)], page.Sections);
        Assert.Equal(text, page.Join(page.Sections));
    }

    [Fact]
    public void PageMarkdown_JoinsChunksCutFromASourceAsTheyAre_AndEndsAnyOtherChunkWithABlankLine()
    {
        static RagFunctions.Retrieval.VectorStore.BookChunk Chunk(int position, string markdown)
            => new($"c{position}", "p", "p", "Page", "Section", "", ["Page"], position, markdown, markdown, "");

        Assert.Equal(
            "Intro\n```python\nx = 1\n\ny = 2\n```\n",
            TranslationService.PageMarkdown([Chunk(1, "\ny = 2\n```\n"), Chunk(0, "Intro\n```python\nx = 1\n")]));
        Assert.Equal(
            "```python\nx = 1\n```\n\n## Next\n\ntext",
            TranslationService.PageMarkdown([Chunk(0, "```python\nx = 1\n```"), Chunk(1, "## Next\n\ntext")]));
    }

    [Fact]
    public void Split_ShortPage_IsOneSection()
    {
        Assert.Equal(["# A\n\ntext\n  \n\n## B"], TranslationSections.Split("# A\n\ntext\n  \n\n## B\n", 1000).Sections);
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
