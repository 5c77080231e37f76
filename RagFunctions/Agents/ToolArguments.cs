using System.Text.Json;
using ModelContextProtocol;

namespace RagFunctions.Agents;

/// <summary>
/// A tool call's arguments, checked against what the tool declares before anything runs: a missing, unknown or wrongly
/// typed argument, or a value out of range, is a JSON-RPC "invalid params" error (-32602) whose message names the
/// argument and says what it must be, so a model can correct the call.
/// </summary>
internal sealed class ToolArguments
{
    private readonly string tool;
    private readonly IDictionary<string, JsonElement> values;

    public ToolArguments(string tool, IDictionary<string, JsonElement>? values, params string[] known)
    {
        this.tool = tool;
        this.values = values ?? new Dictionary<string, JsonElement>();
        if (this.values.Keys.FirstOrDefault(name => !known.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            throw Invalid(known.Length == 0
                ? $"{tool} takes no arguments, but was given '{unknown}'."
                : $"{tool} has no argument '{unknown}'; its arguments are {string.Join(", ", known.Select(k => $"'{k}'"))}.");
        }
    }

    /// <summary>A required string, trimmed, not empty, at most <paramref name="maxLength"/> characters.</summary>
    public string RequiredString(string name, int maxLength)
        => OptionalString(name, maxLength) ?? throw Invalid($"{tool} needs '{name}': a non-empty string.");

    /// <summary>A string when given (null, absent or blank: none), at most <paramref name="maxLength"/> characters.</summary>
    public string? OptionalString(string name, int maxLength)
    {
        if (!values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"'{name}' must be a string, not {Describe(value)}.");
        }

        var text = value.GetString()!.Trim();
        if (text.Length > maxLength)
        {
            throw Invalid($"'{name}' is {text.Length} characters; the limit is {maxLength}.");
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> when given; <paramref name="fallback"/> otherwise.</summary>
    public int OptionalInteger(string name, int min, int max, int fallback)
    {
        if (!values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw Invalid($"'{name}' must be a whole number from {min} to {max}, not {Describe(value)}.");
        }

        return number >= min && number <= max
            ? number
            : throw Invalid($"'{name}' must be from {min} to {max}; it was {number}.");
    }

    public static McpProtocolException Invalid(string message) => new(message, McpErrorCode.InvalidParams);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
