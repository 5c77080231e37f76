using RagFunctions.Chat;

namespace RagFunctions.Tests.Chat;

public sealed class ReferenceNamesTests
{
    [Theory]
    [InlineData("`--cache`", "--cache")]
    [InlineData("--bail[=<n>]", "--bail")]
    [InlineData("jest.fn(implementation)", "jest.fn")]
    [InlineData(".toBeCloseTo(number, numDigits?)", "tobecloseto")]
    [InlineData("testEnvironment [string]", "testenvironment")]
    [InlineData("JEST_WORKER_ID", "jest_worker_id")]
    [InlineData("Exit codes", null)]
    [InlineData("ESLint (and other linters)", null)]
    public void Heading_IsTheNameAReferenceEntryOpensWith_OrNoneForAPlainOrAProductsName(string heading, string? name)
        => Assert.Equal(name, ReferenceNames.Heading(heading));

    [Fact]
    public void In_AreTheFlagsAndCodeNamesAQuestionUses()
        => Assert.Equal(
            ["--cache", "jest.fn", "tothrow", "jest_worker_id"],
            ReferenceNames.In("Does the --cache flag work with jest.fn, expect(x).toThrow() and JEST_WORKER_ID in OpenAI's re-run?"));
}
