using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RagFunctions.Tests.Quality;

namespace RagFunctions.Tests.Load;

/// <summary>
/// The service's calls as a reader's browser makes them, each checked: a non-2xx status, a degraded answer (the model
/// failed and the extractive fallback answered) or an error event in a stream is a failed call.
/// </summary>
internal sealed partial class RagCalls(HttpClient http)
{
    /// <summary>Urdu: the language the book is translated into.</summary>
    public const string TargetLanguage = "ur";

    private static readonly IReadOnlyList<string> Questions = [.. QuestionSet.InScope.Select(q => q.Question)];

    /// <summary>A sample-book question made distinct by <paramref name="number"/>, so no answer comes from the answer cache.</summary>
    public static string Question(int number) => $"{Questions[number % Questions.Count]} (#{number})";

    /// <summary>The number <see cref="Question"/> put into a text (e.g. a prompt sent upstream), if any.</summary>
    public static int? NumberIn(string text) => QuestionNumber().Match(text) is { Success: true } match
        ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
        : null;

    /// <summary>A page of the sample book, as the reader's browser addresses it.</summary>
    public static string SamplePageUrl => QuestionSet.InScope[0].PageUrl;

    public async Task<Outcome> HealthAsync(Uri server, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(server, "health"), cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return new Outcome(StatusError(response));
    }

    public async Task<Outcome> ChatAsync(Uri server, int number, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri(server, "chat"), Json(new JsonObject { ["question"] = Question(number) }), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return StatusError(response) is { } error ? new Outcome(error) : FromAnswer(body);
    }

    /// <summary><c>/stream-chat</c>, read to its end; the time of the first event is the time to first token.</summary>
    public async Task<Outcome> StreamChatAsync(Uri server, int number, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "stream-chat"))
        {
            Content = Json(new JsonObject { ["question"] = Question(number) }),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (StatusError(response) is { } error)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return new Outcome(error);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        double? firstToken = null;
        string? last = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                firstToken ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                last = line["data: ".Length..];
            }
        }

        if (last is null)
        {
            return new Outcome("stream without events");
        }

        var final = JsonNode.Parse(last)!;
        if (final["error"] is { } streamError)
        {
            return new Outcome("stream error event: " + streamError.GetValue<string>());
        }

        return final["response"] is { } answer
            ? FromAnswer(answer.GetValue<string>()) with { FirstTokenMs = firstToken }
            : new Outcome("stream without a final answer");
    }

    /// <summary><c>/translate</c> of <see cref="SamplePageUrl"/> into Urdu; labelled <c>cached</c> or <c>translated</c>.</summary>
    public async Task<Outcome> TranslateAsync(Uri server, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["page_url"] = SamplePageUrl, ["target_language"] = TargetLanguage };
        using var response = await http.PostAsync(new Uri(server, "translate"), Json(body), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (StatusError(response) is { } error)
        {
            return new Outcome(error);
        }

        var json = JsonNode.Parse(text)!;
        if (json["untranslated_sections"] is JsonArray { Count: > 0 })
        {
            return new Outcome("untranslated sections");
        }

        return new Outcome(null, json["cached"]!.GetValue<bool>() ? "cached" : "translated");
    }

    private static Outcome FromAnswer(string chatJson)
    {
        var answer = JsonNode.Parse(chatJson)!;
        return answer["degraded"]!.GetValue<bool>()
            ? new Outcome("degraded")
            : new Outcome(null, answer["mode"]!.GetValue<string>(), ServerMs: answer["latency_ms"]!.GetValue<double>());
    }

    private static string? StatusError(HttpResponseMessage response)
        => response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [GeneratedRegex(@"\(#(\d+)\)")]
    private static partial Regex QuestionNumber();
}
