using RagFunctions.Retrieval.Vocabulary;

namespace RagFunctions.Tests.Retrieval.Vocabulary;

public sealed class SpellingCorrectorTests
{
    private static readonly SpellingCorrector Book = new(
        new Dictionary<string, int>
        {
            ["colcon"] = 12, ["build"] = 40, ["builds"] = 3, ["package"] = 30, ["packages"] = 25, ["services"] = 18, ["actions"] = 15,
            ["difference"] = 2, ["should"] = 9, ["wavelength"] = 1, ["pose"] = 20, ["done"] = 4, ["calibration"] = 6,
        },
        new HashSet<string>(StringComparer.Ordinal) { "drone", "poem", "night" });

    [Theory]
    [InlineData("buld", "build")]
    [InlineData("pakage", "package")]
    [InlineData("servises", "services")]
    [InlineData("actoins", "actions")]
    [InlineData("diffrence", "difference")]
    [InlineData("wavelenght", "wavelength")]
    [InlineData("shoud", "should")]
    [InlineData("calbiraton", "calibration")]
    public void Misspelling_IsCorrectedToTheBooksWord(string typo, string expected) => Assert.Equal(expected, Book.Correct(typo));

    [Theory]
    [InlineData("drone")] // a real word the book does not use is not a misspelt "done"
    [InlineData("poem")]
    [InlineData("sourdough")] // nothing near enough
    [InlineData("wats")] // a stop word: not searched, not corrected
    [InlineData("ros2")] // not letters only
    [InlineData("nav")] // too short to guess
    [InlineData("packages")] // the book's own word
    public void RealWordsAndWordsWithoutAClearCorrection_AreLeftAlone(string word) => Assert.Equal(word, Book.Correct(word));

    [Theory]
    [InlineData("nod", "node")] // a real word, but the book says "node" all the time and never "nod"
    [InlineData("nde", "node")] // three letters: to a word the book uses often
    [InlineData("cat", "cat")] // the book's "cart" is rare: a real word stays
    [InlineData("crt", "crt")] // three letters, and the nearest book word is rare
    [InlineData("teh", "the")] // three letters, no word at all: two neighbours swapped
    [InlineData("top", "top")] // a real word stays, though the book's "pot" is it with two letters swapped
    [InlineData("tge", "tge")] // three letters, no word, and no swap away from a word the book uses often
    public void ShortOrRealWords_AreCorrectedOnlyToWordsTheBookUsesOften(string word, string expected)
    {
        var book = new SpellingCorrector(
            new Dictionary<string, int> { ["node"] = 50, ["cart"] = 2, ["topic"] = 30, ["the"] = 500, ["pot"] = 40 },
            new HashSet<string>(StringComparer.Ordinal) { "nod", "cat", "top" });
        Assert.Equal(expected, book.Correct(word));
    }

    [Fact]
    public void CorrectText_ReplacesOnlyTheMisspeltWords_AndKeepsTheRest()
        => Assert.Equal("Colcon: build only one package, ROS2!", Book.CorrectText("Colcon: buld only one pakage, ROS2!"));

    [Fact]
    public void TwoEditsAreAllowedFromEightLetters_OneBelow()
    {
        Assert.Equal("difference", Book.Correct("diferense")); // nine letters, two edits
        Assert.Equal("bxld", Book.Correct("bxld")); // four letters, two edits from "build": left alone
    }

    [Theory]
    [InlineData("waht", "what")] // two letters swapped, not "want" with a letter typed for another
    [InlineData("wich", "which")] // a letter left out, not "with"
    [InlineData("stoped", "stopped")] // a doubled letter typed once, not "scoped"
    [InlineData("weel", "wheel")] // a letter left out, not "week" with its key's neighbour typed for a letter
    public void AmongEqualEdits_TheLikelierSlipWins_ThoughTheOtherWordIsCommoner(string typo, string expected)
    {
        var book = new SpellingCorrector(
            new Dictionary<string, int> { ["what"] = 5, ["want"] = 50, ["which"] = 5, ["with"] = 50, ["stopped"] = 5, ["scoped"] = 50, ["wheel"] = 5, ["week"] = 50 },
            new HashSet<string>());

        Assert.Equal(expected, book.Correct(typo));
    }

    [Theory]
    [InlineData("talk")] // "task" is one letter typed for another: a reader who says "talk" means it
    [InlineData("buy")]
    [InlineData("devs")] // the plural of a real word is a real word: not a misspelt "dev"
    public void RealWord_IsNotCorrectedToAFrequentBookWordItDoesNotComplete(string word)
    {
        var book = new SpellingCorrector(
            new Dictionary<string, int> { ["task"] = 80, ["but"] = 80, ["dev"] = 80, ["node"] = 80 },
            new HashSet<string>(StringComparer.Ordinal) { "talk", "buy", "dev", "nod" });

        Assert.Equal(word, book.Correct(word));
        Assert.Equal("node", book.Correct("nod"));
    }

    [Fact]
    public void ContractionTypedWithoutItsApostrophe_IsNotAMisspeltBookWord()
    {
        var book = new SpellingCorrector(new Dictionary<string, int> { ["parent"] = 90, ["parameters"] = 40, ["applied"] = 12 }, new HashSet<string>());

        Assert.Equal("parameters arent applied", book.CorrectText("paramters arent aplied"));
    }

    [Fact]
    public void MisspeltSnakeCaseName_IsCorrectedToTheBooksName()
    {
        var book = new SpellingCorrector(new Dictionary<string, int> { ["cv_bridge"] = 4, ["bridge"] = 9, ["use_sim_time"] = 3 }, new HashSet<string>());

        Assert.Equal("cv_bridge", book.Correct("cv_brige"));
        Assert.Equal("use_sim_time", book.Correct("use_sim_tme"));
        Assert.Equal("_private", book.Correct("_private")); // not a name a reader spells
    }

    [Fact]
    public void AmongEqualEdits_TheBooksCommonerWordWins()
        => Assert.Equal("cache", new SpellingCorrector(new Dictionary<string, int> { ["cache"] = 9, ["catch"] = 1 }, new HashSet<string>()).Correct("cach")); // a letter left out of either

    [Theory]
    [InlineData("actions", "actoins", 1)]
    [InlineData("build", "buld", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("same", "same", 0)]
    public void EditDistance_CountsASwapOfNeighboursAsOneEdit(string a, string b, int expected) => Assert.Equal(expected, EditDistance.Restricted(a, b, 3));

    [Fact]
    public void EnglishWords_HoldsCommonWords_AndNotTypos()
    {
        Assert.Contains("drone", EnglishWords.All);
        Assert.Contains("printing", EnglishWords.All);
        Assert.DoesNotContain("pakage", EnglishWords.All);
        Assert.DoesNotContain("servises", EnglishWords.All);
        Assert.True(EnglishWords.All.Count > 15_000, $"{EnglishWords.All.Count} words");
    }
}
