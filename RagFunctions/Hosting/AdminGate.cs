using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RagFunctions.Hosting;

internal sealed class AdminOptions
{
    [ConfigurationKeyName(EnvironmentVariables.AdminApiKey)]
    public string? ApiKey { get; set; }
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public const int MinimumLength = 16;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
        => string.IsNullOrEmpty(options.ApiKey) || options.ApiKey.Trim().Length >= MinimumLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{EnvironmentVariables.AdminApiKey} must be at least {MinimumLength} characters (or unset to turn /admin off).");
}

/// <summary>Why the <see cref="AdminGate"/> turned a call away; never the key itself.</summary>
internal enum AdminRefusal
{
    /// <summary><c>ADMIN_API_KEY</c> is unset: admin routes do not exist (404).</summary>
    AdminOff,

    /// <summary>No key in <c>X-Admin-Key</c> or <c>Authorization: Bearer</c> (401).</summary>
    MissingKey,

    /// <summary>A key that is not the configured one (401).</summary>
    WrongKey,
}

/// <summary>
/// Guards every function whose <c>[ApiDoc]</c> says <c>Admin = true</c>, from the <see cref="RequestPipeline"/> before the
/// function runs (no function calls it itself): without <c>ADMIN_API_KEY</c> the routes do not exist (404); with it, the
/// caller must send the key in <c>X-Admin-Key</c> or <c>Authorization: Bearer</c>, compared in constant time.
/// </summary>
internal sealed class AdminGate(IOptions<AdminOptions> options)
{
    public const string HeaderName = "X-Admin-Key";

    /// <summary>Null when the caller may go on; otherwise why not.</summary>
    public AdminRefusal? Check(HttpRequest request)
    {
        var expected = options.Value.ApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return AdminRefusal.AdminOff;
        }

        var given = request.Headers[HeaderName].ToString();
        if (given.Length == 0 && request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = auth["Bearer ".Length..].Trim();
        }

        if (given.Length == 0)
        {
            return AdminRefusal.MissingKey;
        }

        return Matches(given, expected) ? null : AdminRefusal.WrongKey;
    }

    /// <summary>The ProblemDetails a refused caller gets.</summary>
    public static IResult Result(AdminRefusal refusal) => refusal == AdminRefusal.AdminOff
        ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found")
        : TypedResults.Problem($"Send the admin key in the {HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    /// <summary>Hashing first makes the comparison constant-time whatever the lengths.</summary>
    private static bool Matches(string given, string expected)
        => CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
