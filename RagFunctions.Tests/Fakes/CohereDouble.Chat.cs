using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace RagFunctions.Tests.Fakes;

internal sealed partial class CohereDouble
{
    public const string AnswerPrefix = "According to the book:";
    public const string NoDocumentsAnswer = "I found nothing in the provided documents to answer with.";
    public const string ThinkingText = "The user wants facts from the documents. I will quote them.";

    /// <summary>Hidden preamble tokens: <c>usage.tokens.input_tokens</c> exceeds the billed input by this much.</summary>
    public const int PreambleTokens = 500;

    private static readonly string[] Roles = ["system", "user", "assistant", "tool"];
    private static readonly string[] CitationModes = ["ENABLED", "DISABLED", "FAST", "ACCURATE", "OFF"];

    /// <summary>How the double cuts an answer into stream deltas: words with the spaces that follow them.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
        => [.. Regex.Matches(text, @"\s*\S+\s*").Select(m => m.Value)];

    /// <summary>The first sentence of a passage, as the double quotes it.</summary>
    public static string FirstSentence(string text)
    {
        var trimmed = Regex.Replace(text, @"\s+", " ").Trim();
        var end = Regex.Match(trimmed, @"[.!?](\s|$)");
        var sentence = end.Success ? trimmed[..(end.Index + 1)] : trimmed;
        return sentence.Length <= 300 ? sentence : sentence[..300];
    }

    private async Task ChatAsync(HttpContext context, JsonElement request, CancellationToken aborted)
    {
        if (ValidateChat(request) is { } invalid)
        {
            await ErrorAsync(context, 400, "invalid request: " + invalid, aborted);
            return;
        }

        var documents = ReadDocuments(request);
        var mode = request.TryGetProperty("citation_options", out var citationOptions) && citationOptions.TryGetProperty("mode", out var m)
            ? m.GetString()!.ToUpperInvariant()
            : "ACCURATE";
        var answer = Respond?.Invoke(request) is { } responded
            ? new ComposedAnswer(responded, [])
            : Compose(documents, cite: mode is not ("OFF" or "DISABLED"));
        var maxTokens = request.TryGetProperty("max_tokens", out var max) && max.ValueKind == JsonValueKind.Number ? max.GetInt32() : int.MaxValue;
        var tokens = Tokenize(answer.Text);
        var finish = "COMPLETE";
        if (tokens.Count > maxTokens)
        {
            tokens = [.. tokens.Take(maxTokens)];
            var cut = string.Concat(tokens);
            answer = new ComposedAnswer(cut, [.. answer.Citations.Where(c => c.End <= cut.Length)]);
            finish = "MAX_TOKENS";
        }

        var billedInput = CountInputWords(request, documents);
        var stream = request.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        if (stream)
        {
            var placement = StreamCitations != CitationPlacement.AsRequested ? StreamCitations
                : mode == "FAST" ? CitationPlacement.Fast : CitationPlacement.Accurate;
            await StreamAsync(context, answer, tokens, finish, placement, billedInput, aborted);
            return;
        }

        var textIndex = Thinking ? 1 : 0;
        var content = new JsonArray();
        if (Thinking)
        {
            content.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = ThinkingText });
        }

        content.Add(new JsonObject { ["type"] = "text", ["text"] = answer.Text });
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (answer.Citations.Count > 0)
        {
            message["citations"] = new JsonArray([.. answer.Citations.Select(c => c.ToJson(textIndex))]);
        }

        await JsonAsync(context, new JsonObject
        {
            ["id"] = NewId(),
            ["finish_reason"] = finish,
            ["message"] = message,
            ["usage"] = Usage(billedInput, tokens.Count),
        }, aborted);
    }

    private async Task StreamAsync(
        HttpContext context, ComposedAnswer answer, IReadOnlyList<string> tokens, string finish, CitationPlacement placement, int billedInput, CancellationToken aborted)
    {
        var finished = false;
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.StartAsync(aborted);

            await EventAsync(context, "message-start", new JsonObject
            {
                ["id"] = NewId(),
                ["delta"] = new JsonObject
                {
                    ["message"] = new JsonObject
                    {
                        ["role"] = "assistant", ["content"] = new JsonArray(), ["tool_plan"] = "", ["tool_calls"] = new JsonArray(), ["citations"] = new JsonArray(),
                    },
                },
            }, aborted);

            var textIndex = 0;
            if (Thinking)
            {
                await EventAsync(context, "content-start", ContentStart(0, "thinking"), aborted);
                foreach (var piece in Tokenize(ThinkingText))
                {
                    await EventAsync(context, "content-delta", Delta(0, new JsonObject { ["thinking"] = piece }), aborted);
                }

                await EventAsync(context, "content-end", new JsonObject { ["index"] = 0 }, aborted);
                textIndex = 1;
            }

            await EventAsync(context, "content-start", ContentStart(textIndex, "text"), aborted);
            var citationIndex = 0;
            var written = 0;
            var sent = 0;
            var error = StreamError;
            foreach (var token in tokens)
            {
                if (DisconnectAfterTokens == sent)
                {
                    finished = true; // the double hung up, not the caller
                    context.Abort();
                    return;
                }

                if (error is not null && sent == Math.Min(2, tokens.Count))
                {
                    break;
                }

                await EventAsync(context, "content-delta", Delta(textIndex, new JsonObject { ["text"] = token }), aborted);
                written += token.Length;
                sent++;
                while (placement == CitationPlacement.Fast && citationIndex < answer.Citations.Count && answer.Citations[citationIndex].End <= written)
                {
                    await CitationAsync(context, citationIndex, answer.Citations[citationIndex++], textIndex, aborted);
                }

                if (gate is { } hold && sent == holdAfterTokens)
                {
                    streamHeld.TrySetResult();
                    await hold.Task.WaitAsync(aborted);
                }

                if (TokenDelay > TimeSpan.Zero)
                {
                    await Task.Delay(TokenDelay, aborted);
                }
            }

            if (DisconnectAfterTokens == sent)
            {
                finished = true;
                context.Abort();
                return;
            }

            await EventAsync(context, "content-end", new JsonObject { ["index"] = textIndex }, aborted);
            while (error is null && citationIndex < answer.Citations.Count)
            {
                await CitationAsync(context, citationIndex, answer.Citations[citationIndex++], textIndex, aborted);
            }

            var end = new JsonObject { ["finish_reason"] = error is null ? finish : "ERROR", ["usage"] = Usage(billedInput, Math.Max(sent, 1)) };
            if (error is not null)
            {
                end["error"] = error;
            }

            await EventAsync(context, "message-end", new JsonObject { ["delta"] = end }, aborted);
            if (SendDoneMarker)
            {
                await context.Response.WriteAsync("data: [DONE]" + LineEnding + LineEnding, aborted);
                await context.Response.Body.FlushAsync(aborted);
            }

            finished = true;
            streamCompleted.TrySetResult();
        }
        finally
        {
            if (!finished && context.RequestAborted.IsCancellationRequested)
            {
                streamAborted.TrySetResult();
            }
        }
    }

    private static JsonObject ContentStart(int index, string type) => new()
    {
        ["index"] = index,
        ["delta"] = new JsonObject { ["message"] = new JsonObject { ["content"] = new JsonObject { ["type"] = type, [type] = "" } } },
    };

    private static JsonObject Delta(int index, JsonObject content) => new()
    {
        ["index"] = index,
        ["delta"] = new JsonObject { ["message"] = new JsonObject { ["content"] = content } },
    };

    private async Task CitationAsync(HttpContext context, int index, DoubleCitation citation, int textIndex, CancellationToken aborted)
    {
        await EventAsync(context, "citation-start", new JsonObject
        {
            ["index"] = index,
            ["delta"] = new JsonObject { ["message"] = new JsonObject { ["citations"] = citation.ToJson(textIndex) } },
        }, aborted);
        await EventAsync(context, "citation-end", new JsonObject { ["index"] = index }, aborted);
    }

    /// <summary>One SSE event, flushed on its own: <c>event: type</c>, <c>data: {"type": type, ...}</c>, blank line.</summary>
    private async Task EventAsync(HttpContext context, string type, JsonObject data, CancellationToken aborted)
    {
        var payload = new JsonObject { ["type"] = type };
        foreach (var (name, value) in data.ToArray())
        {
            data.Remove(name);
            payload[name] = value;
        }

        var frame = $"event: {type}{LineEnding}data: {payload.ToJsonString()}{LineEnding}{LineEnding}";
        await context.Response.WriteAsync(frame, aborted);
        await context.Response.Body.FlushAsync(aborted);
    }

    private static JsonObject Usage(int billedInput, int output) => new()
    {
        ["billed_units"] = new JsonObject { ["input_tokens"] = billedInput, ["output_tokens"] = output },
        ["tokens"] = new JsonObject { ["input_tokens"] = FloatCount(billedInput + PreambleTokens), ["output_tokens"] = FloatCount(output) },
        ["cached_tokens"] = 0,
    };

    private static string? ValidateChat(JsonElement request)
    {
        if (!request.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return "model must be a non-empty string";
        }

        if (!request.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return "messages must be a non-empty array";
        }

        var position = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !Roles.Contains(role.GetString()))
            {
                return "each message needs a role of system, user, assistant or tool";
            }

            if (role.GetString() == "system" && position > 0)
            {
                return "a system message must be the first message";
            }

            if (role.GetString() is "user" or "system" && (!message.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array)))
            {
                return "message content must be a string or an array of content blocks";
            }

            position++;
        }

        if (request.TryGetProperty("temperature", out var temperature)
            && (temperature.ValueKind != JsonValueKind.Number || temperature.GetDouble() is < 0 or > 1))
        {
            return "temperature must be between 0 and 1";
        }

        if (request.TryGetProperty("citation_options", out var citationOptions) && citationOptions.TryGetProperty("mode", out var mode)
            && (mode.ValueKind != JsonValueKind.String || !CitationModes.Contains(mode.GetString()!.ToUpperInvariant())))
        {
            return "citation_options.mode must be one of ENABLED, DISABLED, FAST, ACCURATE, OFF";
        }

        if (request.TryGetProperty("documents", out var documents))
        {
            if (documents.ValueKind != JsonValueKind.Array)
            {
                return "documents must be an array";
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var document in documents.EnumerateArray())
            {
                string id;
                if (document.ValueKind == JsonValueKind.String)
                {
                    id = $"doc:{index}";
                }
                else if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
                {
                    id = document.TryGetProperty("id", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString()! : $"doc:{index}";
                }
                else
                {
                    return "each document must be a string or an object with a data object";
                }

                if (!ids.Add(id))
                {
                    return $"duplicate document id: {id}";
                }

                index++;
            }
        }

        return null;
    }

    private static List<DoubleDocument> ReadDocuments(JsonElement request)
    {
        var result = new List<DoubleDocument>();
        if (!request.TryGetProperty("documents", out var documents))
        {
            return result;
        }

        var index = 0;
        foreach (var document in documents.EnumerateArray())
        {
            if (document.ValueKind == JsonValueKind.String)
            {
                result.Add(new DoubleDocument($"doc:{index}", new JsonObject { ["snippet"] = document.GetString() }));
            }
            else
            {
                var id = document.TryGetProperty("id", out var given) ? given.GetString()! : $"doc:{index}";
                result.Add(new DoubleDocument(id, JsonNode.Parse(document.GetProperty("data").GetRawText())!.AsObject()));
            }

            index++;
        }

        return result;
    }

    private ComposedAnswer Compose(IReadOnlyList<DoubleDocument> documents, bool cite)
    {
        if (Answer is not null)
        {
            return new ComposedAnswer(Answer, []);
        }

        var quotes = documents.Select(d => (Document: d, Sentence: FirstSentence(d.Text))).Where(q => q.Sentence.Length > 0).Take(3).ToList();
        if (quotes.Count == 0)
        {
            return new ComposedAnswer(NoDocumentsAnswer, []);
        }

        var text = new StringBuilder(AnswerPrefix);
        var citations = new List<DoubleCitation>();
        foreach (var (document, sentence) in quotes)
        {
            text.Append(' ');
            var start = text.Length;
            text.Append(sentence);
            citations.Add(new DoubleCitation(start, text.Length, sentence, document));
        }

        return new ComposedAnswer(text.ToString(), cite ? citations : []);
    }

    private static int CountInputWords(JsonElement request, IReadOnlyList<DoubleDocument> documents)
    {
        var words = 0;
        foreach (var message in request.GetProperty("messages").EnumerateArray())
        {
            if (message.TryGetProperty("content", out var content))
            {
                words += Tokenize(content.ValueKind == JsonValueKind.String ? content.GetString()! : content.GetRawText()).Count;
            }
        }

        return words + documents.Sum(d => Tokenize(d.Text).Count);
    }

    private sealed record ComposedAnswer(string Text, IReadOnlyList<DoubleCitation> Citations);

    /// <summary>A request document: its id (given, or <c>doc:N</c>) and its <c>data</c>.</summary>
    private sealed record DoubleDocument(string Id, JsonObject Data)
    {
        /// <summary>The passage the answer quotes: <c>snippet</c>, <c>text</c> or <c>content</c>, else the first string field.</summary>
        public string Text => (Data["snippet"] ?? Data["text"] ?? Data["content"] ?? Data.Select(p => p.Value).FirstOrDefault(v => v?.GetValueKind() == JsonValueKind.String))
            ?.GetValue<string>() ?? "";

        /// <summary>As Cohere echoes it in a source: the request's data plus the id.</summary>
        public JsonObject ToSourceDocument()
        {
            var document = Data.DeepClone().AsObject();
            document["id"] = Id;
            return document;
        }
    }

    private sealed record DoubleCitation(int Start, int End, string Text, DoubleDocument Document)
    {
        public JsonObject ToJson(int contentIndex) => new()
        {
            ["start"] = Start,
            ["end"] = End,
            ["text"] = Text,
            ["type"] = "TEXT_CONTENT",
            ["content_index"] = contentIndex,
            ["sources"] = new JsonArray(new JsonObject
            {
                ["type"] = "document",
                ["id"] = Document.Id,
                ["document"] = Document.ToSourceDocument(),
            }),
        };
    }
}
