using RagFunctions.Chat;
using RagFunctions.Evaluation;

namespace RagFunctions.Tests.Evaluation;

public sealed class EvaluationTests
{
    [Fact]
    public void QuestionFile_ReadsEveryField_AndOutOfScopeNeedsNoPage()
    {
        var questions = QuestionFile.Parse(
            [
                """{"question": "What does an IMU measure?", "kind": "factual", "page": "sensors/imu", "heading": "IMU", "keywords": ["acceleration"], "also": ["sensors/overview"]}""",
                "",
                """{"question": "What PID gains for a knee?", "kind": "out_of_scope", "near_miss": true}""",
            ],
            "set.jsonl");

        Assert.Equal(2, questions.Count);
        Assert.Equal(("sensors/imu", "IMU", "acceleration", "sensors/overview"), (questions[0].Page, questions[0].Heading, questions[0].Keywords.Single(), questions[0].Also.Single()));
        Assert.True(questions[0].InScope);
        Assert.False(questions[1].InScope);
        Assert.True(questions[1].NearMiss);
    }

    [Theory]
    [InlineData("not json", "set.jsonl:2: not a JSON object")]
    [InlineData("""{"question": ""}""", "set.jsonl:2: \"question\" must be a non-empty string")]
    [InlineData("""{"question": "q", "kind": "trivia", "page": "p"}""", "set.jsonl:2: \"kind\" must be one of")]
    [InlineData("""{"question": "q", "kind": "howto"}""", "set.jsonl:2: an in-scope question needs \"page\"")]
    public void QuestionFile_BadLine_IsReportedWithItsLineNumber(string line, string message)
    {
        var error = Assert.Throws<FormatException>(() => QuestionFile.Parse(["""{"question": "fine", "kind": "out_of_scope"}""", line], "set.jsonl"));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A node is a process.", "node", 1.0)]
    [InlineData("Nodes are processes.", "node", 0.0)] // whole words: "nodes" is not "node"
    [InlineData("It runs at 500 Hz, i.e. fast.", "500 hz", 1.0)] // case and spacing aside
    [InlineData("Use closed-loop control.", "closed loop", 1.0)] // punctuation aside
    [InlineData("Each worker gets its own id. [1]", "1", 0.0)] // a citation marker is no word of the answer
    public void KeywordCoverage_CountsWholeWordsOnly(string answer, string keyword, double expected)
        => Assert.Equal(expected, BookEvaluation.KeywordCoverage(answer, [keyword]));

    [Theory]
    [InlineData("Which is a service?\na) Topic\nb) Service\nc) Action", "quiz")]
    [InlineData("Correct Answer: b) Services [1]", "quiz")]
    [InlineData("graph TD\n  A --> B [1]", "diagram")]
    [InlineData("┌───┐\n│ A │ [1]", "diagram")]
    [InlineData("Jazzy | Ubuntu 24.04 | May 2029 [1]", "table row")]
    [InlineData("|Jazzy|Ubuntu 24.04|May 2029| [1]", "table row")]
    [InlineData("Read more:\n- Docs: https://example.org/a\n- API: https://example.org/b\nhttps://example.org/c\n[1]", "link list")]
    [InlineData("and then the node publishes. [1]", "starts mid-sentence")]
    [InlineData("It is a set of libraries. [1]", "starts with a dangling pronoun")]
    [InlineData("Topics suit status.\n1. Why use topics for robot status?\n2. What if the dashboard restarts?\n[1]", "exercise")]
    public void NoisyAnswer_NamesWhatMakesItNoise(string answer, string reason) => Assert.Contains(reason, NoisyAnswer.Reasons(answer));

    [Theory]
    [InlineData("A topic is a named, typed stream of messages. [1]")]
    [InlineData("Debugging is hard:\n- Many nodes run at once.\n- Which one is failing?\n[1]")]
    [InlineData("Release | Ubuntu | Support\nHumble | 22.04 | May 2027\nJazzy | 24.04 | May 2029\n[1]")]
    [InlineData("Component | Model | Price | Notes\nThe Brain | Jetson Orin Nano Super | $249 | Capable of 40 TOPS.\nThe Eyes | RealSense D435i | $349 | Includes an IMU.\n[1]")]
    [InlineData("Build one package:\ncolcon build --packages-select my_pkg | tee log.txt\n[1]")]
    [InlineData("A mock that reads the list:\nfunction readdirSync(directoryPath) {\n  return mockFiles[directoryPath] || [];\n}\n[1]")]
    [InlineData("Map the assets:\nmoduleNameMapper: {\n  '\\\\.(gif|ttf|eot|svg)$': '<rootDir>/fileMock.js',\n},\n[1]")]
    [InlineData("Show bag info:\nros2 bag info my_bag\n# Topic information: Topic: /chatter | Type: std_msgs/msg/String | Count: 452\n[1]")]
    [InlineData("Clone the packages:\ngit clone https://github.com/a/one.git\ngit clone https://github.com/a/two.git\ngit clone https://github.com/a/three.git\n[1]")]
    [InlineData("Range Ignore: Disable formatting for generated content.\n<!-- prettier-ignore-start -->\n<!-- GENERATED - END -->\nImportant: keep a blank line.\n[1]")]
    public void NoisyAnswer_AReaderlyAnswer_IsNotNoise(string answer) => Assert.Empty(NoisyAnswer.Reasons(answer));

    [Fact]
    public void GateCalibration_SeparatesEachBooksInScopeFromItsOutOfScope_AtTheMiddleOfTheGap()
    {
        // Two books on different scales of similarity: in scope 0.8–0.9, out of scope 0.4–0.5.
        var samples = new List<GateSample>();
        foreach (var book in new[] { "a", "b" })
        {
            samples.AddRange(new[] { 0.80, 0.85, 0.90 }.Select(r => new GateSample(book, new EvidenceSignals(r, 0, 0, 0), InScope: true)));
            samples.AddRange(new[] { 0.40, 0.45, 0.50 }.Select(r => new GateSample(book, new EvidenceSignals(r, 0, 0, 0), InScope: false)));
        }

        var (weights, threshold) = GateCalibration.Fit(samples);

        Assert.Equal(new GateWeights(0, 0, 0), weights); // nothing but similarity is needed: the lightest fit
        Assert.Equal(0.65, threshold, 3);
    }

    [Fact]
    public void Percentile_IsTheNearestRank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, EvalReport.Percentile(sorted, 0.5));
        Assert.Equal(10, EvalReport.Percentile(sorted, 0.95));
    }
}
