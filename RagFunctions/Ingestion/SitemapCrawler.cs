using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Ingestion;

/// <summary>A fetched page of the live site.</summary>
internal sealed record FetchedPage(Uri Url, string Html);

/// <summary>
/// Reads the live site through its sitemap. Only the sitemap's own host is ever fetched: other hosts in the sitemap
/// are skipped, redirects are followed only within the host, and connections to private, loopback or link-local
/// addresses are refused unless the sitemap itself is on such an address (a local development site).
/// Bounded concurrency, per-request timeouts and retries (the resilience handler), and a size cap per page.
/// </summary>
internal sealed partial class SitemapCrawler(HttpClient http, ILogger<SitemapCrawler> logger)
{
    public const string HttpClientName = "sitemap";
    public const int MaxPageBytes = 2 * 1024 * 1024;
    public const int MaxPages = 2000;
    private const int Concurrency = 4;
    private const int MaxRedirects = 3;

    /// <summary>Pages listed by the sitemap (and by sitemaps it indexes) whose path starts with <paramref name="pathPrefix"/>.</summary>
    public async Task<IReadOnlyList<FetchedPage>> CrawlAsync(Uri sitemap, string pathPrefix, CancellationToken cancellationToken)
    {
        var urls = await ListAsync(sitemap, sitemap, depth: 0, cancellationToken);
        var wanted = urls
            .Where(u => u.AbsolutePath.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(u => u.GetLeftPart(UriPartial.Path).TrimEnd('/'))
            .Take(MaxPages)
            .ToArray();

        var pages = new FetchedPage?[wanted.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, wanted.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    pages[i] = new FetchedPage(wanted[i], await GetTextAsync(wanted[i], sitemap, ct));
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    LogPageSkipped(logger, wanted[i].AbsoluteUri, ex.Message);
                }
            });
        return pages.OfType<FetchedPage>().ToArray();
    }

    private async Task<IReadOnlyList<Uri>> ListAsync(Uri url, Uri sitemap, int depth, CancellationToken cancellationToken)
    {
        var document = XDocument.Parse(await GetTextAsync(url, sitemap, cancellationToken));
        var locations = document.Descendants().Where(e => e.Name.LocalName == "loc").Select(e => e.Value.Trim());
        var result = new List<Uri>();
        foreach (var location in locations)
        {
            if (!Uri.TryCreate(location, UriKind.Absolute, out var target) || !SameSite(target, sitemap))
            {
                continue;
            }

            var isSitemap = document.Root?.Name.LocalName == "sitemapindex";
            if (isSitemap && depth == 0)
            {
                result.AddRange(await ListAsync(target, sitemap, depth + 1, cancellationToken));
            }
            else if (!isSitemap)
            {
                result.Add(target);
            }
        }

        return result;
    }

    private async Task<string> GetTextAsync(Uri url, Uri sitemap, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = new Uri(url, location);
                if (hop >= MaxRedirects || !SameSite(next, sitemap))
                {
                    throw new HttpRequestException($"redirect from {url} to {next} not followed (other host or too many hops)");
                }

                url = next;
                continue;
            }

            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxPageBytes)
            {
                throw new InvalidDataException($"{url} is larger than {MaxPageBytes / 1024 / 1024} MB");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxPageBytes)
                {
                    throw new InvalidDataException($"{url} is larger than {MaxPageBytes / 1024 / 1024} MB");
                }

                buffer.Write(chunk, 0, read);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private static bool SameSite(Uri url, Uri sitemap)
        => url.Scheme is "http" or "https" && string.Equals(url.Host, sitemap.Host, StringComparison.OrdinalIgnoreCase) && url.Port == sitemap.Port;

    /// <summary>
    /// The connection guard for the crawler's handler: the resolved address must be public unless the sitemap's own
    /// host is local (then only that kind of address is allowed).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowLocal, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowLocal || !IsLocal(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to private or local addresses; not fetched.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
        {
            return true;
        }

        var b = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork && (
            b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127));
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Skipped {Url}: {Reason}")]
    private static partial void LogPageSkipped(ILogger logger, string url, string reason);
}
