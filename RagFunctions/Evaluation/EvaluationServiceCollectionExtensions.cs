using Microsoft.Extensions.DependencyInjection;

namespace RagFunctions.Evaluation;

internal static class EvaluationServiceCollectionExtensions
{
    /// <summary>The evaluation of answers on a question set (<c>eval</c>).</summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddSingleton<BookEvaluation>();
        return services;
    }
}
