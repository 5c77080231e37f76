using RagFunctions.Chat;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Retrieval;

namespace RagFunctions.Tests.Chat;

/// <summary>How the extractive answerer reads a section that holds small subsections of its own.</summary>
public sealed class ExtractiveAnswererTests
{
    private static string Answer(string question, params BookChunk[] sections) => ExtractiveAnswerer.Compose(ExtractiveAnswerer.Select(question, sections));

    /// <summary>A paragraph that makes what its heading holds longer than one answer, so that the quote is a window of it.</summary>
    private const string MoreOfTheSection = """
        The rest of this page goes through a longer session from start to finish. A student opens two terminals, starts
        the service in the first one and follows its log output in the second. Each run prints a short report with the
        elapsed time, the number of steps completed and any warnings raised along the way. The report is saved in a dated
        folder, so that results from different days can be put side by side later. When something looks wrong, the advice
        is to change one thing at a time, to write down what was changed and why, and to run the whole session again before
        drawing conclusions. Most problems turn out to be small: a typo in a path, an old terminal that still holds stale
        settings, or a missing dependency that was installed on one machine but not on the other. Keeping a clean checklist
        at hand saves a surprising amount of time during the first weeks of the course, and the same habits carry over to
        larger projects later on.
        """;

    private static readonly string Variables = """
        Jest sets the following environment variables:

        ### NODE_ENV

        Set to 'test' if it's not already set to something else.

        ### JEST_WORKER_ID

        Each worker process is assigned a unique id (index-based that starts with 1). This is set to 1 for all tests when runInBand is set to true.
        """;

    [Fact]
    public void PieceUnderASubheading_IsQuotedWithThatHeading()
    {
        var chunk = TestChunks.Chunk("env", Variables, page: "environment-variables", heading: "Environment Variables");

        var answer = Answer("What does the JEST_WORKER_ID variable contain?", chunk);

        Assert.Contains("JEST_WORKER_ID: Each worker process is assigned a unique id", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void SentenceOpeningWithEachAndANoun_ReadsAlone_AtTheStartOfItsSection()
    {
        var chunk = TestChunks.Chunk("env", Variables, page: "environment-variables", heading: "Environment Variables");

        var answer = Answer("Which environment variable tells a test which parallel worker process it runs in, and what number does it start at?", chunk);

        Assert.StartsWith("JEST_WORKER_ID: Each worker process is assigned a unique id (index-based that starts with 1).", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ListUnderASubheading_IsNotLedByASentenceSayingWhatThePageDoes()
    {
        var chunk = TestChunks.Chunk("vla", """
            This section explores how VLA models can be integrated into Physical AI systems.

            ### Integration Challenges

            - Real-time inference requirements
            - Safety and reliability considerations
            """, page: "vla-in-physical-ai", heading: "VLA in Physical AI Systems");

        var answer = Answer("What practical challenges come up when integrating VLA models into a robot?", chunk);

        Assert.Contains("Real-time inference requirements", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("This section explores", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void PieceUnderASubheading_NamesThatHeading_SoItCanBeCitedThere()
    {
        var chunk = TestChunks.Chunk("env", Variables, page: "environment-variables", heading: "Environment Variables");

        var pieces = ExtractiveAnswerer.Select("What does the JEST_WORKER_ID variable contain?", [chunk]);

        Assert.Contains(pieces, p => p.MergedHeading == "JEST_WORKER_ID" && p.Text.Contains("unique id", StringComparison.Ordinal));
        Assert.DoesNotContain(pieces, p => p.MergedHeading is not null && p.MergedHeading != "JEST_WORKER_ID");
    }

    [Fact]
    public void ReadingOn_StopsAtTheNextSubheading()
    {
        var chunk = TestChunks.Chunk("env", Variables, page: "environment-variables", heading: "Environment Variables");

        var answer = Answer("Which value does NODE_ENV get when it is not already set?", chunk);

        Assert.StartsWith("NODE_ENV: Set to 'test'", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("worker", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ListOfSteps_IsQuotedWithoutItsPictureFiles()
    {
        var chunk = TestChunks.Chunk("safety", """
            Before the first run, set up the safety zone:

            - Materials: Safety barriers, clear workspace.
            - Instructions: Establish designated robot operation zones and a readily accessible emergency stop.
            - Photos:
              - static/img/lab/step5_safety_zone.webp
              - static/img/lab/step5_robot.png
            - Video: step5_walkthrough.mp4
            """, page: "lab", heading: "Safety zone");

        var answer = Answer("How do I set up the safety zone before the first run?", chunk);

        Assert.Contains("- Instructions: Establish designated robot operation zones", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(".webp", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(".png", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(".mp4", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Photos", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void RemedyChosenForTheAnswer_ComesWithTheProblemItAnswers()
    {
        var chunk = TestChunks.Chunk("quantization", """
            **Problem:** OpenVLA-7B requires 14 GB VRAM (FP16), but most consumer GPUs have 8-12 GB.

            **Solution:** Quantization - reduce precision from FP16 to INT8 or INT4.
            """, page: "vla-models", heading: "Model Quantization");

        var answer = Answer("How much memory does the model need at full FP16 precision?", chunk);

        Assert.StartsWith("Problem: OpenVLA-7B requires 14 GB VRAM (FP16)", answer, StringComparison.Ordinal);
        Assert.Contains("Solution: Quantization", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("What does arrowParens do?")]
    [InlineData("What does the arrowParens option control?")]
    public void OptionAskedByItsName_IsAnsweredByWhatItsSectionSaysItDoes_NotByTheTableThatSpellsTheName(string question)
    {
        var arrows = TestChunks.Chunk("arrows", """
            _First available in v1.9.0, default value changed from avoid to always in v2.0.0_

            Include parentheses around a sole arrow function parameter.

            Valid options:

            - `"always"` - Always include parens. Example: `(x) => x`
            - `"avoid"` - Omit parens when possible. Example: `x => x`

            | Default    | CLI Override                    | API Override                    |
            | ---------- | ------------------------------- | ------------------------------- |
            | `"always"` | `--arrow-parens <always/avoid>` | `arrowParens: "<always/avoid>"` |
            """, page: "options", heading: "Arrow Function Parentheses");
        var chains = TestChunks.Chunk("chains", """
            Prettier breaks a chain of arrow functions after each arrow when it does not fit, and keeps the parens of each
            parameter list. An arrow chain with one parameter per arrow is printed on one line when it fits.
            """, page: "rationale", heading: "Arrow Chains");

        var answer = Answer(question, chains, arrows);

        Assert.StartsWith("Include parentheses around a sole arrow function parameter.", answer, StringComparison.Ordinal);
        Assert.Contains("Always include parens", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("First available", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallSubsection_IsQuotedWhole_NotOnlyItsBestPiece()
    {
        var entry = TestChunks.Chunk("graceful", """
            The number of milliseconds Jest waits for a worker process to exit gracefully after the tests finish, before it
            force-kills it. Defaults to 500.

            Increase this value if your test environment needs more time to tear down:

            ```js
            module.exports = {
              workerGracefulExitTimeout: 2000,
            };
            ```
            """, page: "configuration", heading: "workerGracefulExitTimeout [number]");

        var answer = Answer("My test environment needs more time to tear down. What should I increase?", entry);

        Assert.StartsWith("The number of milliseconds Jest waits for a worker process", answer, StringComparison.Ordinal);
        Assert.Contains("Defaults to 500.", answer, StringComparison.Ordinal);
        Assert.Contains("module.exports = {\n  workerGracefulExitTimeout: 2000,\n};", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallSubsection_QuotedWhole_LeavesOutAListingThatOnlyShowsItsUse_WhenTheQuestionIsNotAHowTo()
    {
        var api = TestChunks.Chunk("api", """
            The cloud API is priced by the minute of audio:

            - About $0.006 per minute
            - No local GPU required

            ```python
            from openai import OpenAI

            client = OpenAI()
            with open("command.wav", "rb") as audio_file:
                transcript = client.audio.transcriptions.create(model="whisper-1", file=audio_file)
                print(transcript.text)
            ```

            Audio is sent to the provider's servers.
            """, page: "whisper", heading: "Cloud API");

        var answer = Answer("How much does the cloud speech API cost per minute?", api);

        Assert.StartsWith("The cloud API is priced by the minute of audio:\n- About $0.006 per minute", answer, StringComparison.Ordinal);
        Assert.Contains("Audio is sent to the provider's servers.", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("from openai import OpenAI", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeAboveTheBestPiece_ComesWithTheLineThatIntroducesIt()
    {
        var launch = TestChunks.Chunk("arguments", """
            You can pass launch arguments when you start the launch file:

            ```bash
            ros2 launch demo talker_launch.py topic_name:=my_topic
            ```

            The nodes then publish and subscribe on my_topic instead of chatter.
            """, page: "launch", heading: "Launch arguments");

        var answer = Answer("Which topic do the nodes publish and subscribe on?", launch);

        Assert.Equal(
            "You can pass launch arguments when you start the launch file:\nros2 launch demo talker_launch.py topic_name:=my_topic\nThe nodes then publish and subscribe on my_topic instead of chatter. [1]",
            answer);
    }

    [Fact]
    public void ShortAnswer_ReadsOnInItsSection_ToTheFigure_AndStopsAfterTheFirstBlock()
    {
        var chunk = TestChunks.Chunk("closure", """
            A grasp has form closure when the geometry of the contacts alone prevents the object from moving, like a peg in
            a tight hole. It has force closure when the contact forces, within friction limits, can resist any external
            force and torque on the object. Friction is modelled with the Coulomb model: a contact can push along the
            surface normal and resist sliding up to μ times the normal force.

            The allowed contact forces form a friction cone with half-angle atan(μ); for μ = 0.5 the half-angle is about
            26.6 degrees.

            ```python
            half_angle = math.atan(mu)
            ```

            Grasp planners sample many candidate grasps and rank them by a quality measure.

            """ + MoreOfTheSection, page: "grasping", heading: "Force Closure and Friction Cones");

        var answer = Answer("What is force closure in grasping?", chunk);

        Assert.StartsWith("A grasp has form closure", answer, StringComparison.Ordinal);
        Assert.Contains("friction cone with half-angle atan(μ)", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Grasp planners", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void CaptionThatOpensASection_IsQuotedWithTheHeadingItDescribes()
    {
        var ode = TestChunks.Chunk("ode", """
            **Default physics engine in Gazebo Classic**

            **Strengths**:
            - Fast for simple scenarios
            - Stable and well-tested
            """, page: "gazebo-basics", heading: "1. ODE (Open Dynamics Engine)");
        var bullet = TestChunks.Chunk("bullet", """
            Bullet is popular in games and reinforcement learning, and Gazebo can switch to it for contact-rich scenes.
            """, page: "gazebo-basics", heading: "2. Bullet");

        var answer = Answer("Which physics engine does Gazebo Classic use by default?", ode, bullet);

        Assert.StartsWith("1. ODE (Open Dynamics Engine): Default physics engine in Gazebo Classic", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void TableRowWithTheQuestionsRarestWord_ComesAfterTheLineThatSharesMoreWords()
    {
        var chunk = TestChunks.Chunk("gravity", """
            Edit the world file to change gravity settings:

            ```bash
            nano starter/falling_cube.sdf
            ```

            Find the `<gravity>` tag and try these values:

            | Experiment | Gravity (m/s²) | Expected Behavior |
            |------------|----------------|-------------------|
            | Earth | 0 0 -9.8 | Normal fall speed |
            | Moon | 0 0 -1.62 | Slow, floating fall |
            | Mars | 0 0 -3.71 | Moderate fall speed |
            """, page: "physics-lab", heading: "Modify Gravity");

        var worlds = TestChunks.Chunk("worlds", """
            A world file describes the scene: the ground, the lights and the models. Every world file has a physics block
            with a value for the step size, and the simulator reads the world file again on each start.
            """, page: "worlds", heading: "World Files");

        var answer = Answer("What gravity value should I put in the world file to simulate Mars?", chunk, worlds);

        Assert.StartsWith("Edit the world file to change gravity settings:", answer, StringComparison.Ordinal);
        Assert.Contains("Mars | 0 0 -3.71 | Moderate fall speed", answer, StringComparison.Ordinal);
        Assert.Contains("Experiment | Gravity (m/s²) | Expected Behavior", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemChosenForTheAnswer_ComesWithItsRemedy()
    {
        var chunk = TestChunks.Chunk("troubleshooting", """
            **Cause:** The shell has not sourced the ROS 2 setup script, so ros2 is not on the PATH. Every new terminal starts
            with the environment of your login shell, which knows nothing of the ROS 2 install until a setup script adds its
            folders. The same happens inside an IDE's terminal, a tmux pane started before the install, or a cron job, each of
            which reads its own start-up files and none of which has run the script.

            **Solution:** Run source /opt/ros/jazzy/setup.bash, or add it to your ~/.bashrc.

            Other problems are listed on the next page of this guide, with their own causes and remedies for each platform we support.
            """, page: "troubleshooting", heading: "Command not found");

        var answer = Answer("Why is ros2 not on the PATH of my shell?", chunk);

        Assert.Contains("Solution: Run source /opt/ros/jazzy/setup.bash", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void LessonGoal_IsNeverQuoted()
    {
        var chunk = TestChunks.Chunk("week", """
            Goal: Master ROS 2 fundamentals and create your first digital twin humanoid.

            ROS 2 replaces the ROS 1 master with DDS discovery, so nodes find each other without a central process.
            """, page: "weeks", heading: "Weeks 3-5");

        var answer = Answer("What changed between ROS 1 and ROS 2 fundamentals?", chunk);

        Assert.StartsWith("ROS 2 replaces the ROS 1 master with DDS discovery", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Objective")]
    [InlineData("Lab Objectives")]
    [InlineData("Goals")]
    public void SectionThatStatesWhatALabAimsAt_IsNeverQuoted(string heading)
        => Assert.Empty(PassageUnits.Read(TestChunks.Chunk("aim", "Implement request-response communication using ROS 2 services.", page: "lab-03", heading: heading)));

    [Fact]
    public void SectionNamedForAGoalOfTheRobot_IsQuoted()
        => Assert.NotEmpty(PassageUnits.Read(TestChunks.Chunk("goal", "A goal pose is where the navigation stack should bring the robot.", page: "nav", heading: "Goal Poses")));

    [Fact]
    public void CodeOutsideAFence_IsNotQuotedAsProse()
    {
        // The middle of a listing too long for one chunk reaches the answerer without its fence.
        var chunk = TestChunks.Chunk("verify", """
                    # Check version
                    import omni.isaac.version as version
                    print(f"Isaac Sim Version: {version.get_version()}")

            If the import fails, run the script with the bundled Python interpreter, python.sh, not the system Python.
            """, page: "isaac", heading: "Verify the installation");

        var answer = Answer("How do I check the Isaac Sim version when the import fails?", chunk);

        Assert.StartsWith("If the import fails, run the script with the bundled Python interpreter", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("print(", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void DefinitionQuestion_AsksAboutTheWordsBeforeIn_AndAnAsideDoesNotHideTheDefinition()
    {
        var vla = TestChunks.Chunk("vla", "A vision-language-action (VLA) model is a neural network that takes camera images and an instruction and outputs robot actions.", page: "vla", heading: "VLA models");
        var chunking = TestChunks.Chunk("chunking", "Action chunking, popularized by the ACT policy in 2023, makes the model predict a sequence of future actions at once. Chunking reduces the number of expensive model calls.", page: "vla", heading: "Action Chunking");

        var answer = Answer("What is action chunking in VLA models?", vla, chunking);

        Assert.StartsWith("Action chunking, popularized by the ACT policy in 2023, makes the model predict", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBestPiece_LeadsTheAnswer_EvenFromALowerRankedSection()
    {
        var listing = TestChunks.Chunk("scoping", "A describe block can hold its own hooks, which run around the tests of that block only.", page: "setup", heading: "Scoping");
        var order = TestChunks.Chunk("order", "Jest executes all describe handlers in a test file before it executes any of the actual tests, so console.log calls inside describe blocks print first.", page: "setup", heading: "Order of Execution");

        var answer = Answer("Why do console.log calls inside describe blocks print before the tests run?", listing, order);

        Assert.StartsWith("Jest executes all describe handlers", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultValueQuestion_IsAnsweredFromTheTableWithADefaultColumn()
    {
        var width = TestChunks.Chunk("width", """
            Specify the line length that the printer will wrap on.

            | Default | CLI Override          | API Override         |
            | ------- | --------------------- | -------------------- |
            | `80`    | `--print-width <int>` | `printWidth: <int>`  |

            The printWidth option is more of a guideline to the formatter than a hard rule.
            """, page: "options", heading: "Print Width");

        var answer = Answer("What's the default printWidth?", width);

        Assert.Contains("Default | CLI Override | API Override\n80 | --print-width <int> | printWidth: <int>", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void WhyQuestion_GetsTheReason_NotTheLineThatIntroducesAnExample()
    {
        var chunk = TestChunks.Chunk("wrap", """
            toThrow checks that a function throws.

            For example, to check that toThrow passes when parseConfig throws an error on an empty file, we could write:

            ```js
            expect(() => parseConfig('')).toThrow();
            ```

            The call must be wrapped in a function, otherwise the error escapes before expect can catch it.
            """, page: "expect", heading: "toThrow");

        var answer = Answer("Why does expect(parseConfig('')).toThrow() fail even though parseConfig throws an error?", chunk);

        // The entry is short: it is quoted whole, but for the line that introduces the example and the example.
        Assert.Equal("toThrow checks that a function throws.\n\nThe call must be wrapped in a function, otherwise the error escapes before expect can catch it. [1]", answer);
    }

    [Fact]
    public void ReferenceEntryQuotedFromItsMiddle_IsLabelledWithTheNameItLeavesOut()
    {
        var chunk = TestChunks.Chunk("close", """
            Use toBeCloseTo to compare floating point numbers for approximate equality.

            The optional numDigits argument limits the number of digits to check after the decimal point. For the default value 2, the test criterion is Math.abs(expected - received) < 0.005.

            """ + MoreOfTheSection, page: "expect", heading: ".toBeCloseTo(number, numDigits?)");

        var answer = Answer("How many digits after the decimal point are checked when I don't pass a precision?", chunk);

        Assert.StartsWith(".toBeCloseTo(number, numDigits?): The optional numDigits argument limits", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void WhyQuestion_DoesNotBorrowAnotherSectionsCode()
    {
        var reason = TestChunks.Chunk("reason", "Without a semicolon at the start of the line, a line that begins with a bracket joins the line above it, so the leading semicolon keeps every line independent.", page: "rationale", heading: "Semicolons");
        var config = TestChunks.Chunk("config", """
            A configuration file that turns semicolons off:

            ```json
            { "semi": false, "line": "start" }
            ```
            """, page: "configuration", heading: "Configuration file");

        var answer = Answer("Why is there a semicolon at the start of a line when semi is false?", reason, config);

        Assert.StartsWith("Without a semicolon at the start of the line", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("\"semi\": false", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceEntryOpeningWithItsVerb_IsQuotedAfterItsHeading()
    {
        var restore = TestChunks.Chunk("restore", """
            Does everything that cache.clear() does, and also closes the file the cache was read from.

            Plugins are loaded again on the next read.
            """, page: "cache-api", heading: "cache.dispose()");

        var answer = Answer("what does cache.dispose do?", restore);

        Assert.StartsWith("cache.dispose(): Does everything that cache.clear() does", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoSidesSetAgainstEachOther_AreToldApartInWords_NotWithASidesListing()
    {
        var actions = TestChunks.Chunk("actions", """
            Actions suit long-running goals that report progress and can be cancelled.

            ```python
            # The goal-based interface with progress updates
            class Navigator(Node):
                def __init__(self):
                    super().__init__('navigator')
                    self.client = ActionClient(self, NavigateToPose, 'navigate_to_pose')

                def go(self, goal):
                    self.client.send_goal_async(goal, feedback_callback=self.on_progress)
            ```
            """, page: "actions", heading: "Actions");
        var services = TestChunks.Chunk("services", "A service is a one-shot request/response call: the client waits for the answer.", page: "services", heading: "Services");

        var answer = Answer("Should I use a one-shot request/response call or the goal-based interface with progress updates? How do the two differ?", actions, services);

        Assert.Contains("A service is a one-shot request/response call", answer, StringComparison.Ordinal);
        Assert.Contains("Actions suit long-running goals that report progress", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("send_goal_async", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void EndOfAListingSplitAcrossChunks_IsNoPiece_ButTheTextAfterItIs()
    {
        // The second chunk of a listing too long for one chunk: its closing fence, but not its opening one.
        var chunk = TestChunks.Chunk("server", """
                    goal_handle.succeed()

                    result = Fibonacci.Result()
                    self.get_logger().info(f'Goal succeeded: {result.sequence}')
                    return result

            def main(args=None):
                rclpy.init(args=args)
                rclpy.spin(FibonacciActionServer())
            ```

            The server keeps running until you press Ctrl+C.
            """, page: "actions", heading: "Action server");

        var units = PassageUnits.Read(chunk);

        // A method's body from its middle is no listing to quote: the section that holds the whole listing quotes it whole.
        Assert.DoesNotContain(units, u => u.Kind == UnitKind.Code || u.Text.Contains("goal_handle", StringComparison.Ordinal));
        Assert.Equal(["The server keeps running until you press Ctrl+C."], units.Select(u => u.Text));
    }

    [Fact]
    public void CodeShownAsWhatNotToDo_IsNotAPiece_ButCodeThatAlsoShowsTheRightWayIs()
    {
        var chunk = TestChunks.Chunk("callbacks", """
            That means this test will not work as intended:

            ```js
            // Don't do this!
            test('the data is peanut butter', () => {
              fetchData(callback);
            });
            ```

            Use a single argument called `done`:

            ```js
            test('the data is peanut butter', done => {
              fetchData(callback);
            });
            ```

            Declare a parameter before reading it:

            ```python
            # Wrong: get before declare
            self.speed = self.get_parameter('speed').value

            # Correct: declare then get
            self.declare_parameter('speed', 1.0)
            self.speed = self.get_parameter('speed').value
            ```
            """, page: "async", heading: "Callbacks");

        var code = PassageUnits.Read(chunk).Where(u => u.Kind == UnitKind.Code).Select(u => u.Text).ToArray();

        Assert.Equal(2, code.Length);
        Assert.StartsWith("test('the data is peanut butter', done =>", code[0], StringComparison.Ordinal);
        Assert.StartsWith("# Wrong: get before declare", code[1], StringComparison.Ordinal);
    }

    [Fact]
    public void CodeWithCommentsThatLookLikeArrows_IsCode_ButADrawingIsNot()
    {
        var chunk = TestChunks.Chunk("transmission", """
            A transmission links a joint to its motor:

            ```xml
            <!-- Joint this transmission controls -->
            <joint name="elbow"/>
            <!-- Motor driving the joint -->
            <actuator name="elbow_motor"/>
            ```

            An arrow diagram is a picture:

            ```
            camera --> detector --> planner
            planner --> controller
            ```

            A program with an arrow in a comment is code:

            ```python
            # Use TensorRT for YOLOv8 (2-3x speedup)
            from ultralytics import YOLO
            model = YOLO('yolov8l.pt')
            model.export(format='engine')
            trt_model = YOLO('yolov8l.engine')

            # Latency: 16ms → 6ms on RTX 4070 Ti
            ```

            A drawing is a picture:

            ```
            ┌────────┐
            │ Camera │ → YOLO
            └────────┘
            ```
            """, page: "urdf", heading: "Transmissions");

        var code = PassageUnits.Read(chunk).Where(u => u.Kind == UnitKind.Code).Select(u => u.Text).ToArray();

        Assert.Equal(2, code.Length);
        Assert.StartsWith("<!-- Joint this transmission controls -->", code[0], StringComparison.Ordinal);
        Assert.StartsWith("# Use TensorRT for YOLOv8", code[1], StringComparison.Ordinal);
    }

    [Fact]
    public void FirstSentenceThatPointsAtItsHeading_AfterAVersionNote_IsQuotedWithTheHeading()
    {
        var chunk = TestChunks.Chunk("ignore", """
            Prettier can leave parts of a file alone.

            ### Range Ignore

            _available in v1.12.0+_

            This type of ignore is aimed to disable formatting for auto-generated content.

            ```markdown
            <!-- prettier-ignore-start -->
            | MY | AUTO-GENERATED | TABLE |
            <!-- prettier-ignore-end -->
            ```
            """, page: "ignore", heading: "Markdown");

        var answer = Answer("How do I stop Prettier from formatting an auto-generated table?", chunk);

        Assert.Contains("Range Ignore: This type of ignore", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ListingThatOpensInTheChunk_IsLeftAsItIs()
    {
        var chunk = TestChunks.Chunk("server", """
            Write the server:

            ```
            rclpy.init()
            """, page: "actions", heading: "Action server");

        Assert.Equal(chunk.Markdown, StrayCode.Readable(chunk.Markdown));
    }

    [Fact]
    public void LineOfCodeAmongProse_IsNotASentence_ButProseWithInlineCodeIs()
    {
        var chunk = TestChunks.Chunk("log", """
            self.get_logger().info(f'Published: "{msg.data}"')

            This will let us inspect the calls, using publisher.mock.calls: expect(publisher.publish).toHaveBeenCalled();
            """, page: "topics", heading: "Publishing");

        var sentences = PassageUnits.Read(chunk).Where(u => u.Kind == UnitKind.Sentence).Select(u => u.Text).ToArray();

        Assert.DoesNotContain(sentences, s => s.StartsWith("self.get_logger()", StringComparison.Ordinal));
        Assert.Contains(sentences, s => s.StartsWith("This will let us inspect the calls", StringComparison.Ordinal));
    }

    [Fact]
    public void ListQuestion_IsAnsweredWithTheListItsIntroductionNames_OverAListThatOnlyMentionsItsWords()
    {
        var joints = TestChunks.Chunk("joints", """
            Joints connect a parent link to a child link.

            Joint types:

            - Fixed: no motion
            - Revolute: rotation about one axis, within limits
            - Prismatic: sliding along one axis
            """, page: "urdf", heading: "Connecting the pieces");
        var overview = TestChunks.Chunk("overview", """
            URDF lists the robot's parts:

            - Links: rigid bodies with visual and collision properties
            - Joints: connections between links that allow some types of motion
            - Frames: the URDF coordinate frames attached to each link
            """, page: "urdf", heading: "What is URDF?");

        var answer = Answer("What joint types does URDF support?", joints, overview);

        Assert.StartsWith("Joints connect a parent link to a child link.\n\nJoint types:\n- Fixed: no motion\n- Revolute", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void PluralSubjectWithItsVerb_IsTheDefinition_NotALineThatIntroducesAListAboutIt()
    {
        var matter = TestChunks.Chunk("matter", """
            Without transmissions:

            - Controllers don't know which joints are actuated
            - You can't control the robot
            """, page: "urdf", heading: "Why transmissions matter");
        var defined = TestChunks.Chunk("defined", """
            Transmissions define the relationship between actuators and joints. They tell the controllers which joints can be controlled.
            """, page: "urdf", heading: "Transmission elements");

        var answer = Answer("What do transmissions do in a URDF file?", matter, defined);

        Assert.StartsWith("Transmissions define the relationship between actuators and joints.", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadingWithAnExplicitAnchor_IsTheSectionsOwn_NotASubsectionToLabelWith()
    {
        var qos = TestChunks.Chunk("qos", "", page: "communication", heading: "Quality of Service") with
        {
            Markdown = "## Quality of Service {#qos}\n\nDDS gives each publisher and subscriber a Quality of Service profile, a set of policies that trade reliability against latency.\n",
        };

        var answer = Answer("What does a Quality of Service profile give each publisher?", qos);

        Assert.StartsWith("DDS gives each publisher and subscriber a Quality of Service profile", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Checklist_IsQuotedWithoutItsBoxes()
    {
        var chunk = TestChunks.Chunk("demo", """
            During the demo:

            - [ ]  Explain what the robot will do before commanding
            - [x] Speak clearly and at a moderate pace
            """, page: "capstone", heading: "During the demo");

        var units = PassageUnits.Read(chunk);

        Assert.Equal("- Explain what the robot will do before commanding\n- Speak clearly and at a moderate pace", Assert.Single(units, u => u.Kind == UnitKind.List).Text);
        Assert.Contains(units, u => u.Kind == UnitKind.Item && u.Text == "- Explain what the robot will do before commanding");
    }

    [Fact]
    public void TabsThatSayOneThingPerPackageManager_OnlyTheFirstTabIsQuoted()
    {
        var chunk = TestChunks.Chunk("install", """
            Install husky with your package manager:

            <Tabs groupId="package-manager">
            <TabItem value="npm">

            ```bash
            npm install --save-dev husky
            ```

            </TabItem>
            <TabItem value="yarn">

            ```bash
            yarn add --dev husky
            ```

            If you use Yarn 2, see its own guide.

            </TabItem>
            </Tabs>

            Then add the hook.
            """, page: "hooks", heading: "Git hooks");

        var units = PassageUnits.Read(chunk);

        Assert.Equal("npm install --save-dev husky", Assert.Single(units, u => u.Kind == UnitKind.Code).Text);
        Assert.Equal(["Install husky with your package manager:", "Then add the hook."], units.Where(u => u.Kind == UnitKind.Sentence).Select(u => u.Text));
    }

    [Fact]
    public void FencesMarkedAsTabs_OnlyTheFirstIsQuoted()
    {
        var chunk = TestChunks.Chunk("esm", """
            List the other extensions that should run as native ES modules:

            ```js tab title="jest.config.js"
            module.exports = {extensionsToTreatAsEsm: ['.ts']};
            ```

            ```ts tab title="jest.config.ts"
            export default {extensionsToTreatAsEsm: ['.ts']};
            ```

            ```js
            console.log('a fence of its own');
            ```
            """, page: "configuration", heading: "extensionsToTreatAsEsm");

        var code = PassageUnits.Read(chunk).Where(u => u.Kind == UnitKind.Code).Select(u => u.Text);

        Assert.Equal(["module.exports = {extensionsToTreatAsEsm: ['.ts']};", "console.log('a fence of its own');"], code);
    }

    [Fact]
    public void MiddleOfAListingLongerThanTwoChunks_IsNotQuoted()
    {
        var middle = TestChunks.Chunk("server", """"
            def send_goal(self, goal, feedback_callback=None):
                """
                Send a goal and wait for the result.

                Args:
                    goal: Goal message
                    feedback_callback: Optional callback for feedback
                Returns: Result message
                """
                return self._client.send_goal_async(goal)
            """", page: "actions", heading: "Generic action client");

        Assert.Empty(PassageUnits.Read(middle));
    }

    [Fact]
    public void NestedList_IsNotTakenForTheMiddleOfAListing()
    {
        var nested = TestChunks.Chunk("parts", """
            - Links:
              - visual geometry
              - collision geometry
              - inertial properties
            """, page: "urdf", heading: "Parts of a robot");

        Assert.NotEmpty(PassageUnits.Read(nested));
    }

    [Theory]
    [InlineData("By the end of this guide, you will:")]
    [InlineData("By the end of this lesson, you will be able to:")]
    [InlineData("In this chapter, you learned:")]
    [InlineData("In this guide, you:")]
    [InlineData("To summarize, we have learned to:")]
    [InlineData("Congratulations on reaching the final chapter of Module 4! You've learned:")]
    public void WhatAGuideSetsOutToTeach_OrSaysItTaught_AndItsList_AreNeverQuoted(string goals)
    {
        var chunk = TestChunks.Chunk("setup", $"""
            {goals}

            - Install the simulator on Ubuntu 22.04
            - Verify the installation with a test script

            The simulator needs an RTX GPU with 8 GB of memory.
            """, page: "setup", heading: "Setting up the simulator");

        var units = PassageUnits.Read(chunk);

        Assert.Equal(["The simulator needs an RTX GPU with 8 GB of memory."], units.Select(u => u.Text));
    }

    [Fact]
    public void ListItemTooLongToQuoteAsOneLine_IsQuotedByItsOwnFirstParagraph()
    {
        var why = string.Join(' ', Enumerable.Repeat("A powerful GPU with ample VRAM loads large scenes and runs vision-language-action models at once.", 6));
        var chunk = TestChunks.Chunk("hardware", $"""
            - **GPU (The Bottleneck):** NVIDIA RTX 4070 Ti (12GB VRAM) or higher.
                - **Why:** {why}
                - **Ideal:** RTX 3090 or 4090 (24GB VRAM) allows for smoother training.
            - **CPU:** Intel Core i7 (13th Gen+) or AMD Ryzen 9.
            """, page: "hardware", heading: "The Digital Twin Workstation");

        var items = PassageUnits.Read(chunk).Where(u => u.Kind == UnitKind.Item).Select(u => u.Text);

        Assert.Equal(["- GPU (The Bottleneck): NVIDIA RTX 4070 Ti (12GB VRAM) or higher.", "- CPU: Intel Core i7 (13th Gen+) or AMD Ryzen 9."], items);
    }

    [Theory]
    [InlineData("**Next**: Now that you understand nodes, we'll explore **Page 2: Core Concepts**, the building blocks of ROS 2.")]
    [InlineData("In the next lesson, we'll explore the building blocks of ROS 2 in simulation.")]
    public void ParagraphThatPointsToAnotherPage_IsNeverQuoted(string navigation)
    {
        var chunk = TestChunks.Chunk("blocks", $"""
            {navigation}

            Nodes, topics, messages and services are the building blocks of ROS 2.
            """, page: "architecture", heading: "Building blocks");

        Assert.Equal(["Nodes, topics, messages and services are the building blocks of ROS 2."], PassageUnits.Read(chunk).Select(u => u.Text));
    }

    [Theory]
    [InlineData("Reflection Questions", "1. Why use topics for robot status?\n2. What happens if the dashboard node restarts?\n\nTopics suit robot status.")]
    [InlineData("Robot status", "1. Why use topics for robot status?\n2. What happens if the dashboard node restarts?\n\nTopics suit robot status.")]
    public void ListOfQuestions_OrASectionOfReflectionQuestions_IsNeverQuoted(string heading, string text)
    {
        var chunk = TestChunks.Chunk("status", text, page: "lab", heading: heading);

        var units = PassageUnits.Read(chunk);

        Assert.DoesNotContain(units, u => u.Text.Contains('?', StringComparison.Ordinal));
    }

    [Fact]
    public void ItalicQuotationStandingAlone_IsAMotto_AndNeverQuoted_ButAQuotedCommandIs()
    {
        var chunk = TestChunks.Chunk("motto", """
            *"Nodes are the workers, topics are the broadcasts, services are the conversations."*

            "bring me the blue cup"

            A node is a process that publishes and subscribes to topics.
            """, page: "architecture", heading: "Summary");

        var units = PassageUnits.Read(chunk).Select(u => u.Text).ToArray();

        Assert.DoesNotContain(units, u => u.Contains("workers", StringComparison.Ordinal));
        Assert.Contains("\"bring me the blue cup\"", units);
    }

    [Fact]
    public void SentenceThatSaysWhatAPageWillTeach_IsNeverQuoted()
    {
        var chunk = TestChunks.Chunk("intro", """
            By the end of this page, you'll understand how a sensor node publishes data.

            A sensor node publishes each reading as a message on a topic.
            """, page: "examples", heading: "Simple examples");

        var units = PassageUnits.Read(chunk);

        Assert.Equal(["A sensor node publishes each reading as a message on a topic."], units.Select(u => u.Text));
    }

    [Fact]
    public void LinesThatEachOpenWithAMark_AreAList_NotOneRunOnSentence()
    {
        var chunk = TestChunks.Chunk("nodes", """
            A node has four characteristics:

            ✅ Independent: each node runs as its own process
            ✅ Single-purpose: one node, one job
            ❌ Not a library: nodes never call each other's functions
            """, page: "nodes", heading: "Node characteristics");

        var answer = Answer("What characteristics does a node have?", chunk);

        Assert.Contains("✅ Independent: each node runs as its own process\n✅ Single-purpose: one node, one job\n❌ Not a library", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsOfATableWithoutItsHeader_AreNeverQuoted()
    {
        // The end of a table too long for one chunk.
        var chunk = TestChunks.Chunk("tiers", """
            | Complexity     | Low - Moderate | Moderate - High | Very High |
            | Maintenance    | Low            | Moderate        | High      |

            The premium tier needs an expert to maintain it.
            """, page: "tiers", heading: "Three tiers");

        var units = PassageUnits.Read(chunk);

        Assert.Equal(["The premium tier needs an expert to maintain it."], units.Select(u => u.Text));
    }

    [Fact]
    public void Comparison_GetsTheTableThatSetsItsSidesAgainstEachOther_ButATwoPartQuestionDoesNot()
    {
        var patterns = TestChunks.Chunk("patterns", """
            ROS 2 provides two more communication patterns:

            1. Services: synchronous request and response
            2. Actions: asynchronous goals with feedback and cancellation
            """, page: "services-actions", heading: "Services and Actions");
        var table = TestChunks.Chunk("table", """
            | Feature | Service | Action |
            |---------|---------|--------|
            | Duration | Instant | Long-running |
            | Feedback | None | Periodic progress updates |
            """, page: "services-actions", heading: "Choosing between them");

        var compared = Answer("When should I use an action rather than a service?", patterns, table);
        var twoParts = Answer("What are services, and what are actions?", patterns, table);

        Assert.Contains("Feedback | None | Periodic progress updates", compared, StringComparison.Ordinal);
        Assert.Contains("Services: synchronous request and response", compared, StringComparison.Ordinal);
        Assert.DoesNotContain("Periodic progress updates", twoParts, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_LeadsWithTheSectionHeadedAsAComparisonOfItsSides_ThoughItWasRankedBelow()
    {
        var sdf = TestChunks.Chunk("sdf", """
            SDF files describe whole worlds for the simulator: lights, terrain, several robots and their sensors. While URDF
            is best for single robots, SDF shines for creating simulation environments with many models in them.
            """, page: "urdf-sdf", heading: "When to Use SDF");
        var compared = TestChunks.Chunk("compared", """
            | Aspect | URDF | SDF |
            |--------|------|-----|
            | Scope | Single robot | Complete world |
            | Structure | Tree (no loops) | Graph (loops allowed) |
            """, page: "urdf-sdf", heading: "URDF vs SDF: Side-by-Side Comparison");
        var twoSides = TestChunks.Chunk("tools", """
            URDF models can be loaded into SDF-based simulators, and SDF files can include URDF models.
            """, page: "urdf-sdf", heading: "Working with both");

        var answer = Answer("What's the difference between URDF and SDF?", sdf, twoSides, compared);

        Assert.StartsWith("Aspect | URDF | SDF", answer, StringComparison.Ordinal);
        Assert.Contains("Scope | Single robot | Complete world", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void AChaptersSummary_RankedFirst_GivesWayToTheSectionThatTeaches()
    {
        var summary = TestChunks.Chunk("summary", """
            We explored why policies trained in simulation often fail on real robots and how to close the gap.
            """, page: "sim-to-real", heading: "Summary");
        var teaching = TestChunks.Chunk("gap", """
            Policies trained in simulation often fail on real robots because the simulator never models their friction, motor
            delays and sensor noise.
            """, page: "sim-to-real", heading: "The Reality Gap");

        var answer = Answer("Why do policies trained in simulation fail on real robots?", summary, teaching);

        Assert.StartsWith("Policies trained in simulation often fail on real robots because", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Summary", "How do I launch the robot?", true)]
    [InlineData("5.4 Key Takeaways", "How do I launch the robot?", true)]
    [InlineData("Module 2 - What's Next", "How do I launch the robot?", true)]
    [InlineData("What You'll Learn", "How do I launch the robot?", true)]
    [InlineData("Summary", "Summarize the chapter on launch files", false)]
    [InlineData("Next Steps", "What are the next steps after week 3?", false)]
    [InlineData("Launch Files", "How do I launch the robot?", false)]
    [InlineData("Summary Statistics of a Rosbag", "How do I launch the robot?", true)]
    public void RecapSections_AreTheChaptersSummariesAndPreviews_UnlessTheQuestionAsksForOne(string heading, string question, bool recap)
        => Assert.Equal(recap, PassageUnits.IsRecapSection(TestChunks.Chunk("section", "Some text.", heading: heading), question));

    [Fact]
    public void WhyQuestion_NamingAnEntryInPassing_IsAnsweredByTheSectionThatSaysWhy()
    {
        var entry = TestChunks.Chunk("entry", """
            This ensures that a value matches the most recent snapshot. You can provide an optional hint string argument that
            is appended to the test name.
            """, page: "expect", heading: ".toMatchSnapshot(propertyMatchers?, hint?)");
        var why = TestChunks.Chunk("ci", """
            No, snapshots are not written automatically when Jest runs in a CI system without --updateSnapshot: a new
            snapshot test fails there, since it should have been committed with the code.
            """, page: "snapshot-testing", heading: "Are snapshots written automatically on CI systems?");

        var answer = Answer("Why does a new toMatchSnapshot test fail on our CI server but pass locally?", entry, why);

        Assert.StartsWith("No, snapshots are not written automatically", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ComparisonWithItsSidesBeforeTheVerb_GetsTheTableThatSetsThemSideBySide()
    {
        var criteria = TestChunks.Chunk("criteria", """
            1. Latency: real-time interaction requires < 3s response
            2. Cost: high-frequency use can be expensive
            3. Privacy: some applications require a local model
            """, page: "planning", heading: "Selection criteria");
        var table = TestChunks.Chunk("providers", """
            | Provider | Model | Latency | Cost |
            |----------|-------|---------|------|
            | OpenAI | GPT-4o | 1-3s | $5-15/M tokens |
            | Ollama | Llama 3 | 0.5-2s | Free (local) |
            | Google | Gemini | 1-3s | $1-7/M tokens |
            """, page: "planning", heading: "Providers");

        var answer = Answer("How do GPT-4o, Claude, a local Llama model and Gemini compare in response time and price?", criteria, table);

        Assert.Contains("OpenAI | GPT-4o | 1-3s | $5-15/M tokens", answer, StringComparison.Ordinal);
        Assert.Contains("Google | Gemini | 1-3s", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ListOfLinksThatEachSayWhatTheyAre_IsQuoted_ButFurtherReadingIsNot()
    {
        var projects = TestChunks.Chunk("projects", """
            - [prettier_d](https://example.com/d) runs the formatter as a server to avoid startup delay
            - [csharpier](https://example.com/cs) is a port of the formatter for C#
            - [spotless](https://example.com/sp) lets you run the formatter from gradle
            """, page: "related", heading: "Misc");
        var reading = TestChunks.Chunk("reading", """
            - [ROS 2 docs](https://docs.ros.org) – official reference
            - [Nav2](https://nav2.org)
            - [Gazebo tutorials](https://gazebosim.org)
            """, page: "nav", heading: "Navigation");

        Assert.Contains(PassageUnits.Read(projects), u => u.Text.Contains("csharpier is a port of the formatter for C#", StringComparison.Ordinal));
        Assert.Empty(PassageUnits.Read(reading));
    }

    [Theory]
    [InlineData("{% endraw %}")]
    [InlineData("{`#!/usr/bin/env python3\nIsaac Sim installation check: prints the version")]
    public void TemplateTagsAndJsxLiterals_AreNeverQuoted(string markup)
    {
        var chunk = TestChunks.Chunk("verify", $"""
            {markup}

            The verification script prints the Isaac Sim version.
            """, page: "isaac", heading: "Verify");

        Assert.Equal(["The verification script prints the Isaac Sim version."], PassageUnits.Read(chunk).Select(u => u.Text));
    }

    [Fact]
    public void ComponentWrittenOverSeveralLines_ItsPropertiesAndTheListingItHolds_AreNeverQuoted_ButAFencedExampleIs()
    {
        var chunk = TestChunks.Chunk("install", """"
            <InstallationStep
              title="Install Isaac Sim via Launcher"
              platforms={{
                ubuntu: {
                  instructions: `1. Open the **Exchange** tab
            2. Choose the installation directory`,
                  commands: [
                    { emojiPrefix: '📦', command: '# no terminal commands required' },
                  ],
                },
              }}
            />

            <CodeBlock
              language="python"
            >
            {`#!/usr/bin/env python3
            """
            Checks the installation.

            - Fails fast on missing dependencies
            """`}
            </CodeBlock>

            The Launcher installs Isaac Sim and its dependencies.

            ```jsx
            <Step
              title="An example of a component"
            />
            ```
            """", page: "isaac", heading: "Install");

        var units = PassageUnits.Read(chunk);

        Assert.Equal("The Launcher installs Isaac Sim and its dependencies.", units[0].Text);
        Assert.Equal(UnitKind.Code, units[1].Kind);
        Assert.Contains("<Step", units[1].Text, StringComparison.Ordinal);
        Assert.Equal(2, units.Count);
    }

    [Fact]
    public void ShortLabelWhoseBlockIsNotQuoted_IsLeftOut()
    {
        var chunk = TestChunks.Chunk("workspace", """
            A workspace is a top-level directory that holds one or more packages and manages their build.

            Standard Workspace Structure:

            ```mermaid
            graph TD
              ws --> src
            ```

            The src folder holds the packages you edit and keep in version control.
            """, page: "workspaces", heading: "Workspaces");

        var answer = Answer("What is a ROS 2 workspace and which folder do I keep in version control?", chunk);

        Assert.Contains("A workspace is a top-level directory", answer, StringComparison.Ordinal);
        Assert.Contains("The src folder holds the packages", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Standard Workspace Structure", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ListItemHoldingCode_KeepsTheCodesLines()
    {
        var chunk = TestChunks.Chunk("fix", """
            1. Rebuild the workspace:
               ```bash
               cd ~/ros2_ws
               colcon build --packages-select my_package
               ```
            2. Source the workspace before running the node again, in every new terminal you open.
            """, page: "faq", heading: "No packages found");

        var item = PassageUnits.Read(chunk).First(u => u.Kind == UnitKind.Item);

        Assert.Equal("1. Rebuild the workspace:\nCode (bash):\ncd ~/ros2_ws\ncolcon build --packages-select my_package", item.Text);
    }

    [Fact]
    public void SentenceOpeningAHeadingThatNamesTheSubject_Answers_AfterItsHeading()
    {
        var packages = TestChunks.Chunk("packages", "You can cherry pick specific features and use them as standalone packages.", page: "packages", heading: "Packages");
        var worker = TestChunks.Chunk("worker", """
            Module used for parallelization of tasks. Exports a class that runs a module's methods in forked processes.
            """, page: "packages", heading: "pool-runner");

        var answer = Answer("What does the standalone pool-runner package do?", packages, worker);

        Assert.Contains("pool-runner: Module used for parallelization of tasks.", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("This printer is a fork of recast's printer with its algorithm replaced by the one described by Wadler.", true)]
    [InlineData("This chapter explored how the printer is a fork of recast's printer with an algorithm by Wadler.", false)]
    public void ThisOpeningASection_PointsAtItsHeading_AndIsQuotedAfterIt_UnlessItTalksAboutTheBook(string opening, bool quoted)
    {
        var details = TestChunks.Chunk("details", $"""
            {opening}

            The basic idea is that the printer takes an AST and returns an intermediate representation of the output.
            """, page: "technical-details", heading: "Technical Details");

        var answer = Answer("Which algorithm is the printer based on?", details);

        Assert.Equal(quoted, answer.StartsWith($"Technical Details: {opening}", StringComparison.Ordinal));
        Assert.DoesNotContain("This chapter", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ThisOpeningAChunkThatGoesOnWithASection_PointsBackToTheChunkBefore_AndIsNotQuoted()
    {
        var continued = TestChunks.Chunk("details", """
            This printer is a fork of recast's printer with its algorithm replaced by the one described by Wadler.

            The basic idea is that the printer takes an AST and returns an intermediate representation of the output.
            """, page: "technical-details", heading: "Technical Details");
        continued = continued with { Text = "Technical Details\n\n…the part before ends here.\n\n" + continued.Text };

        var answer = Answer("Which algorithm is the printer based on?", continued);

        Assert.DoesNotContain("This printer is a fork", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void SentenceFromTheMiddleOfAParagraph_ComesWithTheSentencesBeforeIt_BackToOneThatDoesNotPointBack()
    {
        var names = TestChunks.Chunk("names", """
            You can optionally provide a name for your mock functions, which will be displayed in the test error output. Use mockName if you want to quickly identify the failing mock.
            """, page: "mock-functions", heading: "Mock Names");
        var pointing = TestChunks.Chunk("pointing", """
            The runner starts the workers first. This keeps the main process free. Use mockName if you want to quickly identify the failing mock.
            """, page: "runner", heading: "Workers");

        var pointingTwice = TestChunks.Chunk("twice", """
            The runner starts the workers first. This keeps the main process free. It also saves memory. Use mockName if you want to quickly identify the failing mock.

            """ + MoreOfTheSection, page: "runner", heading: "Workers");

        var leadIn = TestChunks.Chunk("lead-in", """
            Mock names are shown in the test error output.

            Combined, these features let you use mockName to quickly identify the failing mock.
            """, page: "mock-functions", heading: "Mock Names");

        var opened = Answer("What is mockName good for?", names);
        var twoBack = Answer("What is mockName good for?", pointing);
        var alone = Answer("What is mockName good for?", pointingTwice);

        Assert.StartsWith("You can optionally provide a name for your mock functions", opened, StringComparison.Ordinal);
        Assert.StartsWith("The runner starts the workers first. This keeps the main process free. Use mockName", twoBack, StringComparison.Ordinal);
        Assert.StartsWith("Use mockName if you want", alone, StringComparison.Ordinal);
        Assert.StartsWith("Mock names are shown", Answer("What is mockName good for?", leadIn), StringComparison.Ordinal);
    }

    [Fact]
    public void ListIntroducedByAChainOfSentencesThatPointBack_ComesWithTheSentenceTheyPointTo()
    {
        var staged = TestChunks.Chunk("staged", """
            Git-format-staged runs any formatter that reads file content from stdin. It works on the git object database directly. This procedure gives several guarantees:

            1. Changes in commits are always formatted.
            2. Unstaged changes are never staged while formatting.
            """, page: "precommit", heading: "git-format-staged");

        var answer = Answer("What guarantees does git-format-staged give for commits and unstaged changes?", staged);

        Assert.StartsWith("Git-format-staged runs any formatter", answer, StringComparison.Ordinal);
        Assert.Contains("1. Changes in commits are always formatted.", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void DefinitionQuestion_IsNotAnsweredWithAnotherKindOfItsSubject()
    {
        var forward = TestChunks.Chunk("forward", """
            Forward kinematics (FK) is a chain of rigid transforms. Multiplying them from the base to the tip gives the pose of the tip.
            """, page: "kinematics", heading: "Forward Kinematics");
        var inverse = TestChunks.Chunk("inverse", """
            Inverse kinematics (IK) runs the other way and is much harder. A target may have no solution, a finite number of solutions, or infinitely many.
            """, page: "kinematics", heading: "Inverse Kinematics");

        var answer = Answer("What is inverse kinematics?", forward, inverse);

        Assert.StartsWith("Inverse kinematics (IK) runs the other way", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Forward kinematics (FK) is", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void DefinitionOfAnAbbreviation_IsWhereTheBookSpellsItOut_NotASentenceWhereItIsAnObject()
    {
        var limits = TestChunks.Chunk("limits", """
            URDF can only describe a tree: every link except the root has exactly one parent joint. The Simulation Description Format (SDF), used natively by Gazebo, fills these gaps. Gazebo converts URDF to SDF automatically when a model is spawned.
            """, page: "urdf", heading: "URDF Limitations and SDF");
        var lead = TestChunks.Chunk("lead", """
            Before a robot can be simulated, the software needs a precise description of its body. In ROS this description is written in the Unified Robot Description Format (URDF), an XML dialect. The same file feeds RViz2 for visualization.
            """, page: "urdf", heading: "Describing a Robot with URDF");

        var answer = Answer("What is a URDF?", limits, lead);

        Assert.Contains("In ROS this description is written in the Unified Robot Description Format (URDF), an XML dialect.", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Gazebo converts URDF to SDF", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void DefinitionUnderTheSubjectsHeading_IsNeverASentenceThatPointsBackToWhatTheAnswerLeavesOut()
    {
        var entry = TestChunks.Chunk("before-each", """
            ```js
            beforeEach(() => globalDatabase.clear());
            ```

            Here the beforeEach ensures that the database is reset for each test.

            If beforeEach is inside a describe block, it runs for each test in the describe block.
            """, page: "api", heading: "beforeEach(fn, timeout)");

        var answer = Answer("what's beforeEach for", entry);

        Assert.StartsWith("If beforeEach is inside a describe block", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceEntryHeadedWithTheNameTheQuestionUses_Answers_ThoughALongerEntryMentioningItRanksFirst()
    {
        var location = TestChunks.Chunk("location", """
            Path to the cache file location used by --cache flag. If you don't explicit --cache-location, Prettier saves the cache file in node_modules.
            """, page: "cli", heading: "--cache-location");
        var cache = TestChunks.Chunk("cache", """
            If this option is enabled, the following values are used as cache keys and the file is formatted only if one of them is changed.
            """, page: "cli", heading: "--cache");

        var answer = Answer("What does the --cache flag do?", location, cache);

        Assert.StartsWith("--cache: If this option is enabled, the following values are used as cache keys", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ThirdSentenceOfAParagraph_ComesWithTheTwoThatOpenIt()
    {
        var safety = TestChunks.Chunk("safety", """
            The software in this book is not safety-rated. Messages can be delayed or lost. Certified safety functions belong in a safety PLC that acts on its own.

            Software still adds useful layers on top of the certified ones.
            """, page: "safety", heading: "Safety in Software");

        var answer = Answer("Where do certified safety functions belong?", safety);

        Assert.StartsWith("The software in this book is not safety-rated. Messages can be delayed or lost. Certified safety functions", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Plugins", "Plugins are ways of adding new languages or formatting rules to the formatter.", "What are plugins for?")]
    [InlineData("CLI", "Use the format command to run the formatter from the command line.", "How do I run the formatter from the command line?")]
    public void SentenceUnderAPlainHeading_GetsNoLabel(string heading, string sentence, string question)
    {
        // A plural noun opening a sentence is not a verb; an acronym is not a name the sentence leaves out.
        var chunk = TestChunks.Chunk("plain", sentence, page: "plain", heading: heading);

        var answer = Answer(question, chunk);

        Assert.StartsWith(sentence[..20], answer, StringComparison.Ordinal);
    }

    [Fact]
    public void WhyQuestion_IsAnsweredByTheSentenceThatExplains_NotByCodeThatHoldsItsWords()
    {
        var order = TestChunks.Chunk("order", """
            ```js
            describe('outer block', () => {
              console.log('describe block calls print');
              test('first', () => console.log('test calls print'));
            });
            ```

            Jest runs every describe handler of a file first, so console.log output from them comes before the tests run.
            """, page: "setup", heading: "Order of execution");

        var answer = Answer("Why do console.log calls in describe blocks print before the tests?", order);

        Assert.StartsWith("Jest runs every describe handler of a file first", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceEntryHeadedWithASignature_IsLabelledWithTheWholeHeading()
    {
        var retry = TestChunks.Chunk("retry", "Runs failed tests n-times until they pass or until the maximum number of retries is exhausted.", page: "api", heading: "runner.retryTimes(numRetries, options?)");

        var answer = Answer("How can I re-run a failed test a few times?", retry);

        Assert.StartsWith("runner.retryTimes(numRetries, options?): Runs failed tests n-times", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void WhyQuestion_WhoseBestPieceIsCode_LeadsWithTheSentenceThatSaysWhy()
    {
        var scoping = TestChunks.Chunk("scoping", """
            ```js
            describe('block', () => {
              console.log('describe block calls print');
              test('first', () => console.log('test calls print first'));
            });
            ```
            """, page: "setup", heading: "Scoping");
        var order = TestChunks.Chunk("order", "Jest runs every describe handler of a file before it runs any test, because it collects the tests first.", page: "setup", heading: "Order of execution");

        var answer = Answer("Why do console.log calls in describe blocks print before the tests?", scoping, order);

        Assert.StartsWith("Jest runs every describe handler", answer, StringComparison.Ordinal);
        Assert.Contains("describe('block'", answer, StringComparison.Ordinal);
    }
}
