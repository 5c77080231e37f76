using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// The app's whole container, as both hosts compose it, built with <c>ValidateOnBuild</c>: a service whose dependency
/// nobody registers fails here, not at the first request that needs it. Each function class is then created the way
/// the hosts create it, per request from the request's scope.
/// </summary>
public sealed class CompositionTests
{
    public static TheoryData<string> Configurations => ["offline", "cohere", "openai-compatible", "qdrant"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task TheContainer_ValidatesOnBuild_AndCreatesEveryFunction(string configuration)
    {
        var settings = new Dictionary<string, string?> { [EnvironmentVariables.DataDir] = TempDirectory.Create() };
        switch (configuration)
        {
            case "cohere":
                settings["COHERE_API_KEY"] = "test-key-0123456789";
                break;
            case "openai-compatible":
                settings[EnvironmentVariables.LlmBaseUrl] = "http://127.0.0.1:9/v1";
                settings[EnvironmentVariables.LlmModel] = "test-model";
                break;
            case "qdrant":
                settings[EnvironmentVariables.QdrantUrl] = "http://127.0.0.1:6334";
                break;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Host.UseDefaultServiceProvider(options =>
        {
            options.ValidateOnBuild = true;
            options.ValidateScopes = true;
        });
        AppServices.Add(builder.Services, builder.Configuration);

        await using var app = builder.Build();

        await using var scope = app.Services.CreateAsyncScope();
        foreach (var route in FunctionRoutes.Discover(typeof(AppServices).Assembly).Where(r => !r.Method.IsStatic))
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, route.FunctionType));
        }
    }

    /// <summary>
    /// A constructor that takes a service every install registers as <c>X? x = null</c> hides a missing registration
    /// from <c>ValidateOnBuild</c> and carries a branch production never takes. Only what an install may lack (a
    /// language model) may default to null.
    /// </summary>
    [Fact]
    public void NoConstructor_TakesAnAlwaysRegisteredServiceAsOptional()
    {
        var services = new ServiceCollection();
        AppServices.Add(services, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build());
        var registered = services.Select(d => d.ServiceType).ToHashSet();

        var optional = typeof(AppServices).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .SelectMany(c => c.GetParameters())
                .Where(p => p is { HasDefaultValue: true, DefaultValue: null } && registered.Contains(p.ParameterType))
                .Select(p => $"{t.Name}({p.ParameterType.Name}? {p.Name} = null)"))
            .ToArray();

        Assert.Empty(optional);
    }
}
