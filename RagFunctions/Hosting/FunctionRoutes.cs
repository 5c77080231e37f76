using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace RagFunctions.Hosting;

/// <summary>One HTTP function as its <c>[Function]</c> and <c>[HttpTrigger]</c> attributes declare it.</summary>
internal sealed record FunctionRoute(
    string Name,
    string Route,
    IReadOnlyList<string> Methods,
    AuthorizationLevel AuthLevel,
    Type FunctionType,
    MethodInfo Method)
{
    /// <summary>What the OpenAPI document says about the function; null when the function has no <c>[ApiDoc]</c>.</summary>
    public ApiDocAttribute? Doc => Method.GetCustomAttribute<ApiDocAttribute>();

    /// <summary>The path a client asks for: <c>/</c> for <see cref="FunctionRoutes.Root"/>, else <c>/</c> + the route template.</summary>
    public string Path => Route == FunctionRoutes.Root ? "/" : "/" + Route;
}

/// <summary>
/// The route table, read from the attributes that the Functions host also reads
/// (through the build's <c>functions.metadata</c>). There is no second table to keep in sync.
/// </summary>
internal static class FunctionRoutes
{
    /// <summary>
    /// The Functions host keeps routes starting with these for its own API: a function whose route starts with one
    /// fails to load there ("The specified route conflicts with one or more built in routes"), so neither host allows it.
    /// </summary>
    public static readonly string[] HostReservedPrefixes = ["admin", "runtime"];

    /// <summary>
    /// The route of the site's root. The Functions host does not serve an empty route at <c>/</c> (its own home page
    /// or a 204 answers instead: Azure/Azure-Functions#2473), so the root is an optional parameter that can only be
    /// empty: <c>/</c> matches it in both hosts and nothing else does.
    /// </summary>
    public const string Root = "{root:maxlength(0)?}";

    private static readonly Lazy<IReadOnlyDictionary<string, FunctionRoute>> ByName =
        new(() => Discover(typeof(FunctionRoutes).Assembly).ToDictionary(r => r.Name, StringComparer.Ordinal));

    /// <summary>This app's function of that name; null for a name it does not have.</summary>
    public static FunctionRoute? Find(string name) => ByName.Value.GetValueOrDefault(name);

    public static IReadOnlyList<FunctionRoute> Discover(Assembly assembly)
    {
        var routes = new List<FunctionRoute>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                {
                    continue;
                }

                var trigger = method.GetParameters()
                    .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
                    .FirstOrDefault(a => a is not null);
                if (trigger is null)
                {
                    continue;
                }

                EnsureSupportedSignature(function.Name, method);
                var route = trigger.Route ?? function.Name;
                EnsureNotReserved(function.Name, route);
                routes.Add(new FunctionRoute(
                    function.Name,
                    route,
                    (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray(),
                    trigger.AuthLevel,
                    type,
                    method));
            }
        }

        return routes.OrderBy(r => r.Route, StringComparer.Ordinal).ToArray();
    }

    public static void EnsureNotReserved(string name, string route)
    {
        var path = route.Trim('/');
        if (HostReservedPrefixes.FirstOrDefault(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            throw new InvalidOperationException(
                $"Function '{name}' has the route '{route}', but the Functions host keeps routes starting with '{reserved}' for itself and would not load it.");
        }
    }

    private static void EnsureSupportedSignature(string name, MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.ParameterType != typeof(HttpRequest) && parameter.ParameterType != typeof(CancellationToken))
            {
                throw new InvalidOperationException(
                    $"Function '{name}' takes a {parameter.ParameterType.Name}; functions here take only HttpRequest and CancellationToken so that both hosts can call them.");
            }
        }

        var returns = method.ReturnType;
        if (returns != typeof(IResult) && returns != typeof(Task<IResult>) && returns != typeof(Task))
        {
            throw new InvalidOperationException($"Function '{name}' must return IResult or Task<IResult>.");
        }
    }
}
