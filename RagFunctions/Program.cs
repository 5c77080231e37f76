using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Agents;
using RagFunctions.Chat;
using RagFunctions.Evaluation;
using RagFunctions.Feedback;
using RagFunctions.Health;
using RagFunctions.Hosting;
using RagFunctions.Ingestion;
using RagFunctions.LanguageModels;
using RagFunctions.Retrieval;
using RagFunctions.Site;
using RagFunctions.Translation;

return await RagHost.RunAsync(args, AppServices.Add, AppServices.Verbs);

/// <summary>The app's capabilities, one line each; both hosts and the command line compose the same services.</summary>
internal static class AppServices
{
    /// <summary>The command-line jobs: <c>ingest</c>, <c>translate</c>, <c>report</c>, <c>eval</c>.</summary>
    public static readonly IReadOnlyList<CommandLine.Verb> Verbs =
        [IngestCommand.Create, TranslateCommand.Create, ReportCommand.Create, EvalCommand.Create];

    public static void Add(IServiceCollection services, IConfiguration configuration) => services
        .AddRagHosting(configuration)
        .AddLanguageModels(configuration)
        .AddRetrieval(configuration)
        .AddIngestion(configuration)
        .AddChat(configuration)
        .AddEvaluation()
        .AddTranslation(configuration)
        .AddFeedback(configuration)
        .AddAgents()
        .AddHealth()
        .AddSite();
}
