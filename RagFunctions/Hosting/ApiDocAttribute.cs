namespace RagFunctions.Hosting;

/// <summary>
/// What the OpenAPI document (<c>GET /openapi.json</c>) says about a function beyond the route and methods its
/// <c>[HttpTrigger]</c> declares. Schemas are generated from the named contract types, never written by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class ApiDocAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    public string? Description { get; set; }

    /// <summary>The group the operation is listed under.</summary>
    public string Tag { get; set; } = ApiTags.Other;

    /// <summary>The JSON body the function reads (through its capability's JSON context); null when it reads none.</summary>
    public Type? Request { get; set; }

    /// <summary>A body to start from in the reference's "try it".</summary>
    public string? RequestExample { get; set; }

    /// <summary>The JSON body of a 200 (through its capability's JSON context).</summary>
    public Type? Response { get; set; }

    /// <summary>Server-sent events: each <c>data:</c> line holds one of these (through its capability's JSON context).</summary>
    public Type[] Events { get; set; } = [];

    /// <summary>The media type of a 200 that is not JSON (a page, a script).</summary>
    public string? ResponseMediaType { get; set; }

    /// <summary>Error statuses beyond those every route or every JSON body implies (400, 413, 415, 429, 500).</summary>
    public int[] Errors { get; set; } = [];

    /// <summary>Query parameters as <c>"name: what it does"</c>.</summary>
    public string[] Query { get; set; } = [];

    /// <summary>Behind <c>ADMIN_API_KEY</c>: the key goes in <c>X-Admin-Key</c> or <c>Authorization: Bearer</c>.</summary>
    public bool Admin { get; set; }

    /// <summary>Errors also carry client A's <c>"success": false</c> and <c>"error"</c> beside the ProblemDetails fields.</summary>
    public bool ClientAErrors { get; set; }
}

/// <summary>The groups of operations, in the order the reference shows them.</summary>
internal static class ApiTags
{
    public const string Chat = "Chat";
    public const string Translation = "Translation";
    public const string Agents = "Agents";
    public const string Health = "Health";
    public const string Admin = "Admin";
    public const string Site = "Site";
    public const string Other = "Other";

    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        (Chat, "Questions about the book, answered from the book with cited sources."),
        (Translation, "Book pages in Urdu (or another supported language)."),
        (Agents, "The book for coding agents: an MCP server and llms.txt, from the same index."),
        (Health, "Liveness, readiness and the state of each dependency."),
        (Admin, "Operator routes behind ADMIN_API_KEY; they do not exist when it is unset."),
        (Site, "The front page, this reference and their files."),
        (Other, "Functions that do not describe themselves yet."),
    ];
}
