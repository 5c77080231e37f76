using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Through the <see cref="RequestPipeline"/> both hosts share, as the worker middleware does under the Functions host.</summary>
    private static Task InvokeAsync(FunctionRoute route, HttpContext context)
        => context.RequestServices.GetRequiredService<RequestPipeline>().RunAsync(context, route.Name, () => RunAsync(route, context));

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
