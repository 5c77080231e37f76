using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using RagFunctions.Retrieval;

namespace RagFunctions.LanguageModels;

/// <summary>
/// For chat servers without a documents field: moves the <see cref="GroundingDocument"/>s out of the options into one
/// delimited user message placed just before the question (the last user message), so book text is data the model
/// reads, never part of the system prompt. Markup characters in the book text are escaped, so a passage cannot
/// close the <c>&lt;documents&gt;</c> block.
/// </summary>
internal sealed class DocumentsInPromptChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (withDocuments, rest) = Prepare(messages, options);
        return base.GetResponseAsync(withDocuments, rest, cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (withDocuments, rest) = Prepare(messages, options);
        await foreach (var update in base.GetStreamingResponseAsync(withDocuments, rest, cancellationToken))
        {
            yield return update;
        }
    }

    internal static (IReadOnlyList<ChatMessage> Messages, ChatOptions? Options) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages.ToList();
        var documents = GroundingDocument.From(options);
        if (options?.AdditionalProperties?.ContainsKey(GroundingDocument.OptionsKey) == true)
        {
            options = options.Clone();
            options.AdditionalProperties!.Remove(GroundingDocument.OptionsKey);
        }

        if (documents.Count > 0)
        {
            var question = list.FindLastIndex(m => m.Role == ChatRole.User);
            list.Insert(question < 0 ? list.Count : question, new ChatMessage(ChatRole.User, Format(documents)));
        }

        return (list, options);
    }

    /// <summary><c>&lt;documents&gt;&lt;document id=".." title=".." url=".."&gt;text&lt;/document&gt;...&lt;/documents&gt;</c>.</summary>
    internal static string Format(IReadOnlyList<GroundingDocument> documents)
    {
        var text = new StringBuilder("<documents>\n");
        foreach (var document in documents)
        {
            text.Append("<document id=\"").Append(WebUtility.HtmlEncode(document.Id))
                .Append("\" title=\"").Append(WebUtility.HtmlEncode(document.Title))
                .Append("\" url=\"").Append(WebUtility.HtmlEncode(document.Url))
                .Append("\">\n").Append(WebUtility.HtmlEncode(document.Text)).Append("\n</document>\n");
        }

        return text.Append("</documents>").ToString();
    }
}
