using Microsoft.AspNetCore.Http;

namespace RagFunctions.Hosting;

/// <summary>
/// Why a request cannot be served as sent: its status (400 for a broken rule; 413 or 415 for the body itself), a title,
/// and either one sentence (<see cref="Detail"/>) or each wrong field with its sentence (<see cref="Errors"/>, answered
/// as ValidationProblemDetails). A null title keeps ValidationProblemDetails' own.
/// </summary>
internal sealed record RequestProblem(int StatusCode, string? Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>Fields that break the request's rules, each with what to fix.</summary>
    public static RequestProblem Invalid(IReadOnlyDictionary<string, string[]> errors, string? title = null)
        => new(StatusCodes.Status400BadRequest, title, null, errors);

    /// <summary>A broken rule told in one sentence.</summary>
    public static RequestProblem Invalid(string title, string detail) => new(StatusCodes.Status400BadRequest, title, detail);

    /// <summary>Every sentence on one line: for a command that checks its input as the function does.</summary>
    public string Message => Detail ?? string.Join("; ", Errors?.SelectMany(e => e.Value) ?? []);

    public IResult ToResult() => Errors is null
        ? TypedResults.Problem(Detail, statusCode: StatusCode, title: Title)
        : TypedResults.ValidationProblem(Errors, title: Title);
}

/// <summary>
/// A request body read and checked, the one shape every function's input takes: the value the function works from, or
/// the <see cref="RequestProblem"/> it answers with. <see cref="JsonBody.ReadAsync{T, TValid}"/> reads the body and hands
/// it to the capability's validator, which knows the rules.
/// </summary>
internal readonly record struct Validated<T>(T? Value, RequestProblem? Problem)
    where T : class
{
    public static implicit operator Validated<T>(T value) => new(value, null);

    public static implicit operator Validated<T>(RequestProblem problem) => new(null, problem);
}
