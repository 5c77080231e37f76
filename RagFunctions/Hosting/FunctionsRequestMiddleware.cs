using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace RagFunctions.Hosting;

/// <summary>Under the Functions host: each HTTP invocation runs through the <see cref="RequestPipeline"/> both hosts share.</summary>
internal sealed class FunctionsRequestMiddleware(RequestPipeline pipeline) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
        => context.GetHttpContext() is { } http
            ? pipeline.RunAsync(http, context.FunctionDefinition.Name, () => next(context))
            : next(context);
}
