using Microsoft.Extensions.Options;
using RagFunctions.Tests.Support;
using RagFunctions.Translation;

namespace RagFunctions.Tests.Translation;

public sealed class TranslationOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task BadMaxParallel_StopsTheAppNamingTheVariable(string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TestApp.StartAsync(new Dictionary<string, string?> { ["TRANSLATION_MAX_PARALLEL"] = value }));

        Assert.Contains("TRANSLATION_MAX_PARALLEL must be a whole number from 1 to 64", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(default {TranslationOptions.DefaultMaxParallel})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraGlossary_AddsTermsKeptInEnglishAndChangesTheVersion()
    {
        var options = new TranslationOptions { ExtraGlossary = " Unitree G1 , Boston Dynamics,," };
        var guarded = new MarkdownProtector(options.Terms).Protect("The Unitree G1 and a ROS 2 robot by Boston Dynamics.");

        Assert.DoesNotContain("Unitree", guarded.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Boston", guarded.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ROS 2", guarded.Text, StringComparison.Ordinal);
        Assert.NotEqual(
            Glossary.Version(new TranslationOptions().Terms, TranslationService.PromptVersion),
            Glossary.Version(options.Terms, TranslationService.PromptVersion));
    }
}
