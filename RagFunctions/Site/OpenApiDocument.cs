using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using RagFunctions.Health;
using RagFunctions.Hosting;

namespace RagFunctions.Site;

/// <summary>
/// <c>GET /openapi.json</c>: OpenAPI 3.1 for the route table both hosts serve (the <c>[Function]</c>/<c>[HttpTrigger]</c>
/// attributes), so a new function is listed without anyone remembering to. What each operation reads and writes comes
/// from its <c>[ApiDoc]</c>; the schemas are exported from the contract types by System.Text.Json.
/// </summary>
internal static partial class OpenApiDocument
{
    private const string ProblemSchema = "ProblemDetails";
    private const string ValidationProblemSchema = "ValidationProblemDetails";
    private const string TranslationProblemSchema = "TranslationProblemDetails";
    private const string AdminKeyScheme = "adminKey";
    private const string AdminBearerScheme = "adminBearer";

    /// <summary>The document as served, built once for the API's JSON (whose contexts hold the contract types).</summary>
    private static readonly ConditionalWeakTable<JsonSerializerOptions, StaticFile> Documents = [];

    private static readonly Dictionary<int, string> ErrorMeaning = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is not valid: malformed JSON, a wrong type, or a field out of range (a ValidationProblem names each field in `errors`).",
        [StatusCodes.Status401Unauthorized] = "The admin key is missing or wrong.",
        [StatusCodes.Status404NotFound] = "Not found.",
        [StatusCodes.Status409Conflict] = "Another run of this operation is in progress.",
        [StatusCodes.Status413PayloadTooLarge] = "The body is longer than this endpoint reads.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body is not sent as `Content-Type: application/json` (UTF-8).",
        [StatusCodes.Status429TooManyRequests] = "Too many requests from this client to this endpoint (RATE_LIMIT_PER_MINUTE); wait as `Retry-After` says.",
        [StatusCodes.Status500InternalServerError] = "An unexpected error; the detail says only that it was logged, with the `request_id`.",
        [StatusCodes.Status502BadGateway] = "The language model failed.",
        [StatusCodes.Status503ServiceUnavailable] = "A dependency (the book index, the language model) is unavailable or not configured; try again later.",
    };

    /// <summary>The document as served; <paramref name="json"/> is the API's JSON, with every capability's contracts.</summary>
    public static StaticFile File(JsonSerializerOptions json)
        => Documents.GetValue(json, options => StaticFile.FromText(
            "openapi.json", Build(FunctionRoutes.Discover(typeof(OpenApiDocument).Assembly), options).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));

    public static JsonObject Build(IReadOnlyList<FunctionRoute> routes, JsonSerializerOptions json)
    {
        var schemas = new SchemaSet(json);
        var paths = new JsonObject();
        foreach (var route in routes.OrderBy(r => r.Path, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (var method in route.Methods)
            {
                item[method.ToLowerInvariant()] = Operation(route, method, schemas);
            }

            paths[route.Path] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Physical AI & Humanoid Robotics book assistant",
                ["version"] = HealthStatus.Version,
                ["description"] = "Grounded, cited answers about the book (`/chat`, `/stream-chat`), Urdu translations of its pages "
                                  + "(`/translate`) and health (`/health`). Errors are RFC 9457 ProblemDetails (`application/problem+json`) "
                                  + "carrying a `request_id`; a 429 says in `Retry-After` when to try again.",
            },
            ["tags"] = new JsonArray([.. ApiTags.All.Select(t => new JsonObject { ["name"] = t.Name, ["description"] = t.Description })]),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.Components,
                ["securitySchemes"] = new JsonObject
                {
                    [AdminKeyScheme] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = AdminGate.HeaderName, ["description"] = "ADMIN_API_KEY" },
                    [AdminBearerScheme] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "ADMIN_API_KEY as a bearer token" },
                },
            },
        };
    }

    private static JsonObject Operation(FunctionRoute route, string method, SchemaSet schemas)
    {
        var doc = route.Doc ?? new ApiDocAttribute(route.Name);
        var isHead = method == "HEAD";
        var operation = new JsonObject
        {
            ["operationId"] = OperationId(route, method),
            ["summary"] = isHead ? doc.Summary + " (headers only)" : doc.Summary,
            ["tags"] = new JsonArray(doc.Tag),
        };
        if (doc.Description is { } description)
        {
            operation["description"] = description;
        }

        var parameters = new JsonArray();
        foreach (Match parameter in PathParameter().Matches(route.Path))
        {
            parameters.Add(new JsonObject { ["name"] = parameter.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var query in doc.Query)
        {
            var (name, meaning) = query.Split(':', 2, StringSplitOptions.TrimEntries) is [var n, var m] ? (n, m) : (query, "");
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = meaning, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (doc.Admin)
        {
            operation["security"] = new JsonArray(new JsonObject { [AdminKeyScheme] = new JsonArray() }, new JsonObject { [AdminBearerScheme] = new JsonArray() });
        }

        if (doc.Request is { } request)
        {
            var media = new JsonObject { ["schema"] = schemas.Ref(request) };
            if (doc.RequestExample is { } example)
            {
                media["example"] = JsonNode.Parse(example);
            }

            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = media } };
        }

        operation["responses"] = Responses(route, doc, isHead, schemas);
        return operation;
    }

    /// <summary>The function's name for its main method; <c>name-head</c>, <c>name-get</c>, … for the others (unique in the document).</summary>
    private static string OperationId(FunctionRoute route, string method)
        => method == route.Methods.FirstOrDefault(m => m != "HEAD") ? route.Name : route.Name + "-" + method.ToLowerInvariant();

    private static JsonObject Responses(FunctionRoute route, ApiDocAttribute doc, bool isHead, SchemaSet schemas)
    {
        var responses = new JsonObject { ["200"] = Success(doc, isHead, schemas) };
        if (doc.ResponseMediaType is not null)
        {
            responses["304"] = new JsonObject { ["description"] = "Not modified: the `If-None-Match` ETag is current." };
        }

        var errors = new SortedSet<int>(doc.Errors);
        if (doc.Request is not null)
        {
            errors.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        }

        if (doc.Admin)
        {
            errors.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound]);
        }

        if (ClientRateLimiter.Group(route.Name) is not null)
        {
            errors.UnionWith([StatusCodes.Status429TooManyRequests, StatusCodes.Status500InternalServerError]);
        }

        foreach (var status in errors)
        {
            var schema = doc.ClientAErrors ? TranslationProblemSchema
                : status == StatusCodes.Status400BadRequest && doc.Request is not null ? ValidationProblemSchema
                : ProblemSchema;
            var meaning = status == StatusCodes.Status404NotFound && doc.Admin
                ? "ADMIN_API_KEY is not set: the admin routes do not exist."
                : ErrorMeaning.GetValueOrDefault(status, ReasonPhrases.GetReasonPhrase(status));
            var response = new JsonObject { ["description"] = meaning };
            if (!isHead)
            {
                response["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = schemas.Problem(schema) } };
            }

            if (status == StatusCodes.Status429TooManyRequests)
            {
                response["headers"] = new JsonObject
                {
                    ["Retry-After"] = new JsonObject { ["description"] = "Seconds to wait before the next request.", ["schema"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 } },
                };
            }

            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        return responses;
    }

    private static JsonObject Success(ApiDocAttribute doc, bool isHead, SchemaSet schemas)
    {
        if (isHead)
        {
            return new JsonObject { ["description"] = "As GET, without the body." };
        }

        var content = new JsonObject();
        if (doc.Events.Length > 0)
        {
            content["text/event-stream"] = new JsonObject
            {
                ["schema"] = new JsonObject
                {
                    ["description"] = "Each event is one `data: <JSON>` line and a blank line (`\\n\\n`): tokens, then one final event.",
                    ["oneOf"] = new JsonArray([.. doc.Events.Select(schemas.Ref)]),
                },
            };
        }
        else if (doc.Response is { } response)
        {
            content["application/json"] = new JsonObject { ["schema"] = schemas.Ref(response) };
        }
        else if (doc.ResponseMediaType is { } media)
        {
            content[media] = new JsonObject { ["schema"] = new JsonObject { ["type"] = media == "application/json" ? "object" : "string" } };
        }

        return content.Count == 0
            ? new JsonObject { ["description"] = "OK" }
            : new JsonObject { ["description"] = "OK", ["content"] = content };
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex PathParameter();

    /// <summary>The component schemas, each exported once from its type, and references to them.</summary>
    private sealed class SchemaSet(JsonSerializerOptions json)
    {
        private static readonly JsonSchemaExporterOptions Exporter = new() { TreatNullObliviousAsNonNullable = true };

        public JsonObject Components { get; } = [];

        public JsonObject Ref(Type type) => Ref(type.Name, () => Export(Contract(type)
            ?? throw new InvalidOperationException($"{type.Name} is named in an [ApiDoc] but no capability's JSON context serializes it.")));

        /// <summary>From the source-generated contexts only: a type none of them lists is a mistake, not a reflection fallback.</summary>
        private JsonTypeInfo? Contract(Type type)
            => json.TypeInfoResolverChain.OfType<JsonSerializerContext>().Select(c => c.GetTypeInfo(type)).FirstOrDefault(t => t is not null);

        /// <summary>
        /// ProblemDetails as ASP.NET Core writes them, with the <c>request_id</c> every error of ours carries; the
        /// translation errors add client A's <c>success</c> and <c>error</c>.
        /// </summary>
        public JsonObject Problem(string name) => name switch
        {
            ValidationProblemSchema => Ref(name, () => WithRequestId(Export(ProblemJsonContext.Default.HttpValidationProblemDetails))),
            TranslationProblemSchema => Ref(name, () => new JsonObject
            {
                ["allOf"] = new JsonArray(Problem(ProblemSchema), new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("success", "error"),
                    ["properties"] = new JsonObject
                    {
                        ["success"] = new JsonObject { ["const"] = false },
                        ["error"] = new JsonObject { ["type"] = "string", ["description"] = "The detail again, where client A reads it." },
                    },
                }),
            }),
            _ => Ref(ProblemSchema, () => WithRequestId(Export(ProblemJsonContext.Default.ProblemDetails))),
        };

        private JsonObject Ref(string name, Func<JsonNode> export)
        {
            if (!Components.ContainsKey(name))
            {
                Components[name] = null;
                Components[name] = export();
            }

            return new JsonObject { ["$ref"] = "#/components/schemas/" + name };
        }

        private static JsonNode Export(JsonTypeInfo type) => type.GetJsonSchemaAsNode(Exporter);

        /// <summary>The extensions every error of ours adds to the standard fields.</summary>
        private static JsonNode WithRequestId(JsonNode schema)
        {
            var properties = schema["properties"]!;
            properties["request_id"] = new JsonObject { ["type"] = "string", ["description"] = "The X-Request-Id of the request, for the logs." };
            properties["trace_id"] = new JsonObject { ["type"] = "string", ["description"] = "The W3C trace id of the request." };
            return schema;
        }
    }
}

/// <summary>The ProblemDetails types as ASP.NET Core serializes them, for their schemas.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ProblemJsonContext : JsonSerializerContext;
