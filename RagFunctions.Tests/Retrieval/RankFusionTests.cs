using RagFunctions.Retrieval;

namespace RagFunctions.Tests.Retrieval;

public sealed class RankFusionTests
{
    [Fact]
    public void Fuse_AnItemInBothLists_SumsItsReciprocalRanks()
    {
        var fused = RankFusion.Fuse<string, string>(s => s, (["a", "b"], 1.0), (["b", "c"], 1.0));

        Assert.Equal(["b", "a", "c"], fused.Select(f => f.Item));
        Assert.Equal(1.0 / 62 + 1.0 / 61, fused[0].Score, 12);
        Assert.Equal(1.0 / 61, fused[1].Score, 12);
    }

    [Fact]
    public void Fuse_Weights_ScaleAList_AndTiesKeepTheOrderFirstSeen()
    {
        var fused = RankFusion.Fuse<string, string>(s => s, (["a"], 0.5), (["b"], 0.5), (["c"], 1.0));

        Assert.Equal(["c", "a", "b"], fused.Select(f => f.Item));
        Assert.Equal(0.5 / 61, fused[1].Score, 12);
    }

    [Fact]
    public void Fuse_SameKey_KeepsTheFirstItemSeen()
    {
        var fused = RankFusion.Fuse<(string Id, int List), string>(x => x.Id, ([("a", 1)], 1.0), ([("a", 2)], 1.0));

        Assert.Equal(("a", 1), Assert.Single(fused).Item);
    }
}
