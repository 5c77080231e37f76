using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.LanguageModels;

/// <summary>
/// Any OpenAI-compatible chat server (vLLM, Ollama, llama.cpp, LM Studio, OpenAI itself), used when
/// <c>COHERE_API_KEY</c> is not set. The base URL is the one the server documents for OpenAI clients,
/// usually ending in <c>/v1</c>.
/// </summary>
internal sealed class LlmOptions
{
    [ConfigurationKeyName(EnvironmentVariables.LlmBaseUrl)]
    public string? BaseUrl { get; set => field = OptionValues.Blank(value); }

    [ConfigurationKeyName(EnvironmentVariables.LlmModel)]
    public string? Model { get; set => field = OptionValues.Blank(value); }

    /// <summary>Optional: local servers usually take none.</summary>
    [ConfigurationKeyName(EnvironmentVariables.LlmApiKey)]
    public string? ApiKey { get; set => field = OptionValues.Blank(value); }

    /// <summary>Language-model calls this instance may make per UTC day, whichever provider; 0 = no limit.</summary>
    [ConfigurationKeyName(EnvironmentVariables.LlmDailyCallLimit)]
    public int DailyCallLimit { get; set; } = DefaultDailyCallLimit;

    public const int DefaultDailyCallLimit = 1000;

    public bool IsConfigured => BaseUrl is not null && Model is not null;
}

internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        if (options.DailyCallLimit < 0)
        {
            return ValidateOptionsResult.Fail($"{EnvironmentVariables.LlmDailyCallLimit} must be 0 (no limit) or a positive number of calls per day.");
        }

        if (options.BaseUrl is null)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!OptionValues.IsHttpUrl(options.BaseUrl))
        {
            failures.Add($"{EnvironmentVariables.LlmBaseUrl} must be an absolute http(s) URL.");
        }

        if (options.Model is null)
        {
            failures.Add($"{EnvironmentVariables.LlmModel} is required when {EnvironmentVariables.LlmBaseUrl} is set: name the model the server should run.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
