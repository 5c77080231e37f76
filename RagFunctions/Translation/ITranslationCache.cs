using System.Security.Cryptography;
using System.Text;

namespace RagFunctions.Translation;

/// <summary>
/// The persisted cache of translated sections, shared by every instance that shares the index: SQLite next to the
/// embedded index, or a Qdrant collection when <c>QDRANT_URL</c> is set (chosen like the vector store).
/// The in-memory, stampede-safe layer in front of it is HybridCache.
/// </summary>
internal interface ITranslationCache
{
    /// <summary>"sqlite" or "qdrant", for logs.</summary>
    string Provider { get; }

    /// <summary>The translated section, or null when it was never stored.</summary>
    Task<string?> GetAsync(TranslationKey key, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) a translated section.</summary>
    Task SetAsync(TranslationKey key, string translation, CancellationToken cancellationToken);

    /// <summary>Every stored section in <paramref name="language"/> (an ISO code), whatever model translated it.</summary>
    Task<IReadOnlyList<CachedTranslation>> ListAsync(string language, CancellationToken cancellationToken);
}

/// <summary>A stored translation and the hash of the section it translates (<see cref="TranslationKey.ContentHash"/>).</summary>
internal sealed record CachedTranslation(string ContentHash, string Translation)
{
    /// <summary>The translation of the stored key's section (the hash is the key's last part).</summary>
    public static CachedTranslation FromKey(string keyValue, string translation)
        => new(keyValue[(keyValue.LastIndexOf(':') + 1)..], translation);
}

/// <summary>What a translated section depends on: its Markdown, the language, the model and the glossary (with the prompt).</summary>
internal sealed record TranslationKey(string ContentHash, string Language, string Model, string GlossaryVersion)
{
    public static TranslationKey For(string sectionMarkdown, string language, string model, string glossaryVersion)
        => new(Hash(sectionMarkdown), language, model, glossaryVersion);

    /// <summary>The <see cref="ContentHash"/> a section's Markdown has.</summary>
    public static string HashOf(string sectionMarkdown) => Hash(sectionMarkdown);

    /// <summary>One string for both cache layers: <c>translation:v1:ur:model:glossary:hash</c>.</summary>
    public string Value => $"translation:v1:{Language}:{Model}:{GlossaryVersion}:{ContentHash}";

    /// <summary>A deterministic UUID of <see cref="Value"/> (the first 16 bytes of its SHA-256, marked as version 5-like).</summary>
    public Guid Uuid
    {
        get
        {
            Span<byte> bytes = stackalloc byte[32];
            SHA256.HashData(Encoding.UTF8.GetBytes(Value), bytes);
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes[..16], bigEndian: true);
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
