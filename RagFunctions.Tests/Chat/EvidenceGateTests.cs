using RagFunctions.Chat;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.Vocabulary;
using RagFunctions.Tests.Retrieval;

namespace RagFunctions.Tests.Chat;

public sealed class EvidenceGateTests
{
    private static readonly SpellingCorrector Book = new(
        new Dictionary<string, int> { ["experimental"] = 30, ["ternaries"] = 12, ["flag"] = 40, ["cli"] = 25, ["prettier"] = 200 },
        new HashSet<string>());

    [Fact]
    public void LongFlag_TheFoundSectionsDoNotHold_IsAnUnknownName_EvenWhenEachOfItsWordsIsKnown()
    {
        SearchHit[] hits = [new(TestChunks.Chunk("t", "Try the --experimental-ternaries flag to format nested ternaries."), 0.8, 0.8)];

        var unknown = EvidenceGate.Measure("What does the --experimental-cli flag do in Prettier?", hits, Book);
        var documented = EvidenceGate.Measure("What does the --experimental-ternaries flag do in Prettier?", hits, Book);

        Assert.Equal(1, unknown.UnknownName);
        Assert.Equal(0, documented.UnknownName);
    }

    [Fact]
    public void LongFlag_TheBookNamesElsewhere_IsNoUnknownName_ThoughTheFoundSectionsDoNotHoldIt()
    {
        var book = new SpellingCorrector(
            new Dictionary<string, int> { ["bail"] = 3, ["option"] = 40, ["jest"] = 200 }, new HashSet<string>(), new HashSet<string> { "--bail" });
        SearchHit[] hits = [new(TestChunks.Chunk("t", "The bail config option stops Jest after n failures."), 0.8, 0.8)];

        var named = EvidenceGate.Measure("What does the --bail option do?", hits, book);
        var unnamed = EvidenceGate.Measure("What does the --bail-early option do?", hits, book);

        Assert.Equal(0, named.UnknownName);
        Assert.Equal(1, unnamed.UnknownName);
    }

    [Fact]
    public void CamelCaseName_IsFoundInATitleThatSpellsItInWords()
    {
        var book = new SpellingCorrector(
            new Dictionary<string, int> { ["bracketspacing"] = 1, ["bracket"] = 4, ["spacing"] = 3, ["control"] = 20 }, new HashSet<string>());
        SearchHit[] hits = [new(TestChunks.Chunk("t", "Print spaces between brackets in object literals.", heading: "Bracket Spacing"), 0.6, 0.6)];

        var signals = EvidenceGate.Measure("What does bracketSpacing control?", hits, book);

        Assert.True(signals.Titled > 0.5, $"titled {signals.Titled}");
        Assert.Equal(0, signals.UnknownName);
    }
}
