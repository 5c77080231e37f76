using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagFunctions.Hosting;

/// <summary>The same function classes on plain Kestrel: <c>dotnet run</c>, tests and benchmarks.</summary>
internal static class StandaloneHost
{
    public const string DefaultUrl = "http://localhost:7860";
    public const string CorsPolicy = "frontend";

    /// <param name="settings">When given, the only configuration (tests stay hermetic); otherwise environment variables and arguments.</param>
    public static WebApplication Build(
        string[] args,
        Action<IServiceCollection, IConfiguration> addServices,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.AddCommandLine(args);
        }

        builder.WebHost.UseUrls(ListenUrls(builder.Configuration));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.AddRagConsole(builder.Configuration);
        builder.Logging.AddRagApplicationInsights(builder.Configuration);
        logging?.Invoke(builder.Logging);

        addServices(builder.Services, builder.Configuration);
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicy, policy => { }));
        builder.Services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>, CorsPolicySetup>();

        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Response.Headers[RequestLogScope.HeaderName] = RequestLogScope.RequestId(context);
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(CorsPolicy);
        app.MapFunctions(FunctionRoutes.Discover(typeof(StandaloneHost).Assembly));
        return app;
    }

    /// <summary><c>ASPNETCORE_URLS</c> (or <c>--urls</c>) wins; else <c>PORT</c> on every interface; else localhost:7860.</summary>
    public static string ListenUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            return urls;
        }

        var port = configuration["PORT"];
        if (string.IsNullOrWhiteSpace(port))
        {
            return DefaultUrl;
        }

        return int.TryParse(port, out var number) && number is > 0 and < 65536
            ? $"http://0.0.0.0:{number}"
            : throw new OptionsValidationException("PORT", typeof(string), [$"PORT must be a TCP port number between 1 and 65535, not '{port}'."]);
    }
}
