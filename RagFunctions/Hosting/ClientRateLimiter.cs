using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagFunctions.Hosting;

/// <summary>
/// Per-client token buckets (the rate limiters ASP.NET Core's own middleware is built on), one bucket per client and
/// endpoint group, applied by both hosts before a function runs: chat, translate and feedback get
/// <c>RATE_LIMIT_PER_MINUTE</c> each, admin routes a fixed 10; <c>/health</c> and the site's files (the front page,
/// <c>/docs</c>, <c>/openapi.json</c>, <c>/assets/*</c>) are never limited. Past the budget: 429
/// ProblemDetails with <c>Retry-After</c>.
/// </summary>
internal sealed partial class ClientRateLimiter : IAsyncDisposable
{
    public const int AdminPerMinute = 10;

    private readonly PartitionedRateLimiter<(string Group, string Client)>? limiter;
    private readonly RateLimitOptions settings;
    private readonly ILogger<ClientRateLimiter> logger;

    public ClientRateLimiter(IOptions<RateLimitOptions> options, ILogger<ClientRateLimiter> logger)
    {
        settings = options.Value;
        this.logger = logger;
        if (settings.PerMinute > 0)
        {
            limiter = PartitionedRateLimiter.Create<(string Group, string Client), (string, string)>(key =>
                RateLimitPartition.GetTokenBucketLimiter(key, k => Bucket(k.Group == "admin" ? AdminPerMinute : settings.PerMinute)));
        }
    }

    /// <summary>Which bucket a function draws from; null for the ones never limited.</summary>
    public static string? Group(string function) => function switch
    {
        "health" or "home" or "docs" or "openapi" or "assets" or "llms" or "llms-full" or "llms-page" => null,
        "chat" or "stream-chat" => "chat",
        _ when FunctionRoutes.Find(function)?.Doc?.Admin == true => "admin",
        _ => function,
    };

    /// <summary>Null when the request may go on; otherwise the 429 to answer with.</summary>
    public IResult? Acquire(HttpContext http, string function)
    {
        if (limiter is null || Group(function) is not { } group)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire((group, settings.ClientOf(http)));
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var perMinute = group == "admin" ? AdminPerMinute : settings.PerMinute;
        LogLimited(logger, function, perMinute);
        var problem = TypedResults.Problem(
            $"Too many requests: at most {perMinute} a minute to this endpoint from one client. Try again in {RetryAfterResult.Seconds(wait)} s.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests");
        return new RetryAfterResult(problem, wait);
    }

    /// <summary>The client's address as the limiter tells clients apart (through trusted proxies).</summary>
    public string ClientOf(HttpContext http) => settings.ClientOf(http);

    public ValueTask DisposeAsync() => limiter?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>A burst of a minute's budget, then one request back every 60/N seconds.</summary>
    private static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = perMinute,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
        AutoReplenishment = true,
        QueueLimit = 0,
    };

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Rate limited a client on {Function} ({PerMinute} a minute)")]
    private static partial void LogLimited(ILogger logger, string function, int perMinute);
}

/// <summary><c>RATE_LIMIT_PER_MINUTE</c> and <c>TRUSTED_PROXIES</c>: how much one client may ask, and how we tell clients apart.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Loopback and the private ranges: the Functions host, and the Space's or a load balancer's proxy.</summary>
    public const string DefaultTrustedProxies = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

    [ConfigurationKeyName(EnvironmentVariables.RateLimitPerMinute)]
    public int PerMinute { get; set; } = 30;

    [ConfigurationKeyName(EnvironmentVariables.TrustedProxies)]
    public string? TrustedProxies { get; set; } = DefaultTrustedProxies;

    public IReadOnlyList<IPNetwork> Proxies => field ??= ParseProxies(TrustedProxies, out _);

    /// <summary>
    /// The client's address: the socket's, unless that is a trusted proxy; then the nearest address in
    /// <c>X-Forwarded-For</c> (read right to left) that is not itself a trusted proxy.
    /// </summary>
    public string ClientOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        address = Normal(address);
        var hops = http.Request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? "").Split(',')).ToArray();
        for (var i = hops.Length - 1; i >= 0 && IsTrusted(address); i--)
        {
            if (!IPAddress.TryParse(hops[i].Trim(), out var hop))
            {
                break;
            }

            address = Normal(hop);
        }

        return address.ToString();
    }

    public static IReadOnlyList<IPNetwork> ParseProxies(string? value, out string? error)
    {
        error = null;
        var networks = new List<IPNetwork>();
        foreach (var entry in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var single))
            {
                networks.Add(new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                error = $"{EnvironmentVariables.TrustedProxies} must be a comma-separated list of IP addresses or CIDR ranges such as 10.0.0.0/8; '{entry}' is neither.";
            }
        }

        return networks;
    }

    private bool IsTrusted(IPAddress address) => Proxies.Any(network => network.Contains(address));

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        if (options.PerMinute is < 0 or > 100_000)
        {
            return ValidateOptionsResult.Fail($"{EnvironmentVariables.RateLimitPerMinute} must be 0 (no limit) or a number of requests per minute up to 100000.");
        }

        RateLimitOptions.ParseProxies(options.TrustedProxies, out var error);
        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }
}
