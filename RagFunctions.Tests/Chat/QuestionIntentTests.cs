using RagFunctions.Chat;
using RagFunctions.Retrieval.Text;

namespace RagFunctions.Tests.Chat;

public sealed class QuestionIntentTests
{
    [Theory]
    [InlineData("Should I use @jest/globals or @types/jest for TypeScript types, and how do they differ?", "jest globals", "types jest")]
    [InlineData("feature-based or direct visual SLAM: which one copes better with low-texture scenes?", "feature-based", "direct visual slam")]
    [InlineData("What is the difference between a service and an action?", "service", "action")]
    [InlineData("What changed between Jest 29 and Jest 30, and why does it matter?", "jest 29", "jest 30")]
    [InlineData("compare slam_toolbox and cartographer", "slam_toolbox", "cartographer")]
    [InlineData("When is Unity a better choice than Gazebo?", "unity", "gazebo")]
    [InlineData("When would I use jest.doMock instead of jest.mock?", "jest.domock", "jest.mock")]
    [InlineData("Should I use a service or an action? How do the two differ?", "service", "action")] // the sides are in the sentence before
    [InlineData("How do FP16, 8-bit and 4-bit precision compare on GPU memory?", "fp16, 8-bit", "4-bit precision")] // the sides come before the verb
    [InlineData("how does a revolute joint and a continuous joint differ", "revolute joint", "continuous joint")]
    public void ChoiceOrComparison_HasItsTwoSidesAsParts(string question, string first, string second)
    {
        var intent = QuestionIntent.Of(question);

        Assert.Equal(AskKind.Comparison, intent.Kind);
        Assert.True(intent.SetsSidesAgainstEachOther);
        Assert.Equal(2, intent.Parts.Count);
        Assert.Equal(TextAnalyzer.Terms(first), intent.Parts[0]);
        Assert.Equal(TextAnalyzer.Terms(second), intent.Parts[1]);
    }

    [Theory]
    [InlineData("How do I install or update the ROS 2 packages?")]
    [InlineData("What does a topic or a service carry?")]
    public void AnOrThatOffersNoChoice_IsNotAComparison(string question)
        => Assert.NotEqual(AskKind.Comparison, QuestionIntent.Of(question).Kind);

    [Theory]
    [InlineData("explain morphological computation with an example", "explain morphological computation")]
    [InlineData("What is a ZMP, in simple terms?", "What is a ZMP?")]
    [InlineData("how do i calibrate the camera step by step", "how do i calibrate the camera")]
    [InlineData("wat does nitros do in isaac ros? explane pls", "wat does nitros do in isaac ros? explane")]
    [InlineData("What is an example of a URDF joint?", "What is an example of a URDF joint?")] // asked about, not how to tell it
    public void WithoutManner_LeavesWhatIsAskedAbout(string question, string asked)
        => Assert.Equal(asked, QuestionIntent.WithoutManner(question));

    [Fact]
    public void ExplainWithAnExample_AsksWhatTheSubjectIs()
    {
        var intent = QuestionIntent.Of("explain morphological computation with an example");

        Assert.Equal(AskKind.Definition, intent.Kind);
        Assert.Equal(TextAnalyzer.Terms("morphological computation"), intent.Subject);
    }

    [Theory]
    [InlineData("hw do i see wich nodes and topics are runing from the terminal")] // "how" typed fast
    [InlineData("How can I list the running nodes?")]
    [InlineData("mocked node-fetch but i need the real Response class, how get actual module instead of mock")] // "how" without "do I"
    [InlineData("how make prettier wrap markdown paragraphs")]
    public void HowDoI_IsAHowTo(string question)
        => Assert.Equal(AskKind.HowTo, QuestionIntent.Of(question).Kind);

    [Theory]
    [InlineData("how to use single quotes instead of double quotes in jsx attributes")]
    [InlineData("How do I print tabs rather than spaces?")]
    public void AskingHowToUseOneThingInsteadOfAnother_IsAHowTo(string question)
        => Assert.Equal(AskKind.HowTo, QuestionIntent.Of(question).Kind);

    [Theory]
    [InlineData("What's the default printWidth in Prettier?")]
    [InlineData("What is the maximum speed of the arm?")]
    public void AskingForAValue_IsNotADefinition(string question)
        => Assert.NotEqual(AskKind.Definition, QuestionIntent.Of(question).Kind);

    [Theory]
    [InlineData("Which languages can Prettier format out of the box?")]
    [InlineData("What log severity levels does ROS 2 have?")]
    [InlineData("What are the main types of joints?")]
    public void AskingForSeveralThings_IsAListQuestion(string question)
        => Assert.Equal(AskKind.List, QuestionIntent.Of(question).Kind);

    [Theory]
    [InlineData("What graphics card do I need?")]
    [InlineData("Which class does the node inherit from?")]
    [InlineData("What does the robot do when it falls?")]
    public void AskingForOneThing_IsNotAListQuestion(string question)
        => Assert.NotEqual(AskKind.List, QuestionIntent.Of(question).Kind);

    [Theory]
    [InlineData("What do transmissions do in a URDF file?", "transmissions")]
    [InlineData("wat does nitros do in isaac ros", "nitros")]
    [InlineData("What does ZMP stand for?", "zmp")]
    [InlineData("tell me about URDF joints", "urdf joints")]
    [InlineData("What does bracketSpacing control?", "bracketSpacing bracket spacing")]
    public void AskingWhatSomethingDoes_IsADefinitionOfIt(string question, string subject)
    {
        var intent = QuestionIntent.Of(question);

        Assert.Equal(AskKind.Definition, intent.Kind);
        Assert.Equal(TextAnalyzer.Terms(subject), intent.Subject);
    }

    [Fact]
    public void QuestionAfterWhatHappened_IsReadFromTheSentenceThatAsks_WithTheWordsOfBoth()
    {
        var intent = QuestionIntent.Of("My snapshot test fails after an intentional UI change. How do I re-record the snapshots?");

        Assert.Equal(AskKind.HowTo, intent.Kind);
        Assert.Contains("ui", intent.Terms);
    }

    [Theory]
    [InlineData("my test passes a callback to fetchData but jest finishes before the callback runs, how do i make it wait")]
    [InlineData("jest is really slow on docker and CI servers; how do i speed it up")]
    public void HowToAfterWhatHappened_InOneSentence_IsAHowTo(string question)
        => Assert.Equal(AskKind.HowTo, QuestionIntent.Of(question).Kind);

    [Theory]
    [InlineData("What is a topic, and how do I publish to one?")]
    [InlineData("When I compare floats, how many digits does Jest check?")]
    public void ClauseAfterAComma_IsNotReadAlone_WhenTheQuestionOpensAsking_OrItDoesNotAskHow(string question)
        => Assert.NotEqual(AskKind.HowTo, QuestionIntent.Of(question).Kind);

    [Fact]
    public void TwoQuestionsAfterWhatHappened_EachHaveTheWordsOfWhatHappened()
    {
        var intent = QuestionIntent.Of("My fake-timer test aborts after running 100000 timers. Why does this happen and what should I call instead?");

        Assert.Equal(AskKind.Comparison, intent.Kind);
        Assert.Equal(2, intent.Parts.Count);
        Assert.All(intent.Parts, part => Assert.Contains(TextAnalyzer.Stem("timers"), part));
        Assert.Contains(TextAnalyzer.Stem("happen"), intent.Parts[0]);
        Assert.Contains(TextAnalyzer.Stem("call"), intent.Parts[1]);
    }

    [Theory]
    [InlineData("Once I've written my node and added the entry point, what commands do I run to build and start it?")]
    [InlineData("After installing, which command should I use to check the version?")]
    public void AskingWhichCommandsToRun_AfterWhatWasDone_IsAHowTo(string question)
        => Assert.Equal(AskKind.HowTo, QuestionIntent.Of(question).Kind);

    [Fact]
    public void SecondQuestionOpeningWithAPreposition_IsAPartOfItsOwn()
    {
        var intent = QuestionIntent.Of("What is the default trailingComma value, and in which release did it change?");

        Assert.Equal(AskKind.Comparison, intent.Kind);
        Assert.False(intent.SetsSidesAgainstEachOther);
        Assert.Contains(TextAnalyzer.Stem("release"), intent.Parts[1]);
        Assert.DoesNotContain(TextAnalyzer.Stem("release"), intent.Parts[0]);
    }
}
