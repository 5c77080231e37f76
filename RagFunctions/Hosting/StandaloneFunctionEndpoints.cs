using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Hosting;

/// <summary>Serves the function classes on plain Kestrel, the way the Functions worker would invoke them.</summary>
internal static class StandaloneFunctionEndpoints
{
    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder endpoints, IEnumerable<FunctionRoute> routes)
    {
        foreach (var route in routes)
        {
            // The root by its literal path: as a pattern its optional parameter would also match /chat, turning a wrong method there into a 404.
            endpoints.MapMethods(route.Path, route.Methods, context => InvokeAsync(route, context))
                .WithName(route.Name)
                .WithMetadata(route);
        }

        return endpoints;
    }

    private static async Task InvokeAsync(FunctionRoute route, HttpContext context)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RagFunctions.Function");
        using var scope = RequestLogScope.Begin(logger, route.Name, context);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            if (context.RequestServices.GetRequiredService<ClientRateLimiter>().Acquire(context, route.Name) is { } limited)
            {
                await limited.ExecuteAsync(context);
            }
            else
            {
                await RunAsync(route, context);
            }

            status = context.Response.StatusCode;
        }
        catch (Exception ex)
        {
            // 499: the client went away (nginx's convention); otherwise what the exception handler will answer.
            status = context.RequestAborted.IsCancellationRequested ? 499 : ErrorMapping.Status(ex);
            throw;
        }
        finally
        {
            context.RequestServices.GetService<RagMetrics>()?.Request(route.Name, status, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task RunAsync(FunctionRoute route, HttpContext context)
    {
        // Like the worker: a new instance of the function class per invocation, from the request's scope.
        var instance = route.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, route.FunctionType);
        var arguments = route.Method.GetParameters()
            .Select(p => p.ParameterType == typeof(HttpRequest) ? (object)context.Request : context.RequestAborted)
            .ToArray();

        var returned = route.Method.Invoke(instance, arguments);
        IResult? result = returned switch
        {
            Task<IResult> pending => await pending,
            Task pending => await Completed(pending),
            IResult done => done,
            _ => null,
        };

        if (result is not null)
        {
            await result.ExecuteAsync(context);
        }
    }

    private static async Task<IResult?> Completed(Task task)
    {
        await task;
        return null;
    }
}
