using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.VectorStore.Qdrant;

namespace RagFunctions.Tests.Retrieval.Qdrant;

public sealed class QdrantStoreOptionsTests
{
    [Theory]
    [InlineData("http://localhost:6334", "localhost", 6334, false)]
    [InlineData("http://localhost", "localhost", 6334, false)]
    [InlineData("https://xyz.cloud.qdrant.io", "xyz.cloud.qdrant.io", 6334, true)]
    [InlineData("https://xyz.cloud.qdrant.io:6334/", "xyz.cloud.qdrant.io", 6334, true)]
    [InlineData("https://qdrant.example.com:443", "qdrant.example.com", 443, true)]
    [InlineData("http://qdrant.internal:80", "qdrant.internal", 80, false)]
    [InlineData("http://10.0.0.5:7000", "10.0.0.5", 7000, false)]
    [InlineData(" http://localhost:6334 ", "localhost", 6334, false)]
    public void Endpoint_Url_ResolvesHostPortAndTlsWithGrpcPortByDefault(string url, string host, int port, bool https)
    {
        var endpoint = new QdrantStoreOptions { Url = url }.Endpoint;

        Assert.Equal(new QdrantEndpoint(host, port, https), endpoint);
        Assert.Equal(port, endpoint.Address.Port);
        Assert.Equal($"{host}:{port}", endpoint.ToString());
    }

    [Fact]
    public void Endpoint_Ipv6Loopback_KeepsBracketsInMessagesAndTheAddress()
    {
        var endpoint = new QdrantStoreOptions { Url = "http://[::1]:6334" }.Endpoint;

        Assert.Equal("[::1]:6334", endpoint.ToString());
        Assert.Equal("http://[::1]:6334/", endpoint.Address.ToString());
    }

    [Theory]
    [InlineData("localhost:6334")]
    [InlineData("grpc://localhost:6334")]
    [InlineData("ftp://localhost")]
    [InlineData("not a url")]
    public void Validate_NotAnHttpUrl_NamesQdrantUrl(string url)
    {
        var failure = Assert.Single(Validate(new QdrantStoreOptions { Url = url }));

        Assert.StartsWith("QDRANT_URL must be an absolute http(s) URL", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:6333")]
    [InlineData("https://xyz.cloud.qdrant.io:6333")]
    public void Validate_RestPort6333_ExplainsThatGrpcIs6334(string url)
    {
        var failure = Assert.Single(Validate(new QdrantStoreOptions { Url = url }));

        Assert.Contains("QDRANT_URL uses port 6333, Qdrant's REST port", failure, StringComparison.Ordinal);
        Assert.Contains("gRPC, which Qdrant serves on port 6334", failure, StringComparison.Ordinal);
        Assert.Contains(":6334", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:6334/qdrant", "gRPC has no path")]
    [InlineData("http://localhost:6334?x=1", "gRPC has no path")]
    [InlineData("https://user:secret@xyz.cloud.qdrant.io:6334", "QDRANT_API_KEY")]
    [InlineData("", "QDRANT_URL is not set")]
    public void Validate_OtherBadUrls_SayWhatToChange(string url, string expected)
    {
        var failure = Assert.Single(Validate(new QdrantStoreOptions { Url = url }));

        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my book")]
    [InlineData("a/b")]
    [InlineData("x:y")]
    [InlineData("what?")]
    public void Validate_CollectionNameQdrantRefuses_NamesCollectionName(string name)
    {
        var failure = Assert.Single(Validate(new QdrantStoreOptions { Url = "http://localhost:6334", CollectionName = name }));

        Assert.StartsWith("COLLECTION_NAME must be 1 to 255 characters", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositiveTimeout_Fails()
    {
        var failure = Assert.Single(Validate(new QdrantStoreOptions { Url = "http://localhost:6334", GrpcTimeout = TimeSpan.Zero }));

        Assert.Contains("timeout", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_CollectionBookTenSecondsNoKey()
    {
        var options = new QdrantStoreOptions { Url = "http://localhost:6334", ApiKey = "  ", CollectionName = "" };

        Assert.Empty(Validate(options));
        Assert.Equal("book", options.Collection);
        Assert.Null(options.Key);
        Assert.Equal(TimeSpan.FromSeconds(10), options.GrpcTimeout);
        Assert.True(options.IsConfigured);
        Assert.False(new QdrantStoreOptions().IsConfigured);
    }

    [Fact]
    public void AddQdrantStore_Port6333_FailsAtStartNamingTheVariable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QDRANT_URL"] = "http://localhost:6333",
            ["QDRANT_API_KEY"] = "qk-never-shown",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddQdrantStore(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QdrantStoreOptions>>().Value);

        Assert.Contains("QDRANT_URL uses port 6333", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("qk-never-shown", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Validate(QdrantStoreOptions options)
        => new QdrantStoreOptionsValidator().Validate(null, options).Failures?.ToArray() ?? [];
}
