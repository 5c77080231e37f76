using System.Text;
using Microsoft.AspNetCore.Http;
using RagFunctions.Chat;
using RagFunctions.Hosting;

namespace RagFunctions.Tests.Hosting;

public sealed class JsonBodyTests
{
    private const int Cap = 64;

    [Theory]
    [InlineData(Cap, true, 200)]
    [InlineData(Cap + 1, true, 413)]
    [InlineData(Cap, false, 200)]
    [InlineData(Cap + 1, false, 413)]
    public async Task BodyAtTheCap_IsRead_OneBytePast_Is413_WithOrWithoutContentLength(int size, bool sendLength, int expected)
    {
        var json = """{"question":"?"}""";
        var bytes = Encoding.UTF8.GetBytes(json.Replace("?", new string('a', size - json.Length + 1), StringComparison.Ordinal));
        Assert.Equal(size, bytes.Length);

        var body = await ReadAsync(bytes, sendLength ? bytes.Length : null);

        Assert.Equal(expected, body.Problem?.StatusCode ?? 200);
        Assert.Equal(expected == 200, body.Value is not null);
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }, 200)] // a UTF-8 byte order mark
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'q', (byte)'u', (byte)'e', (byte)'s', (byte)'t', (byte)'i', (byte)'o', (byte)'n', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' }, 400)]
    [InlineData(new byte[] { (byte)'{', (byte)'}', (byte)'x' }, 400)]
    [InlineData(new byte[0], 400)]
    public async Task BytesThatAreNotOneUtf8JsonObject_Are400(byte[] bytes, int expected)
    {
        var body = await ReadAsync(bytes, bytes.Length);

        Assert.Equal(expected, body.Problem?.StatusCode ?? 200);
    }

    [Theory]
    [InlineData(20, 200)]
    [InlineData(40, 400)]
    public async Task JsonNestedPastTheDepthLimit_Is400_EvenInAnIgnoredField(int depth, int expected)
    {
        var nested = Encoding.UTF8.GetBytes("""{"question":"q","agent_id":""" + new string('[', depth) + new string(']', depth) + "}");

        var body = await ReadAsync(nested, nested.Length, maxBytes: 1024);

        Assert.Equal(expected, body.Problem?.StatusCode ?? 200);
    }

    private static Task<Validated<ChatRequest>> ReadAsync(byte[] bytes, long? contentLength, int maxBytes = Cap)
    {
        var http = new DefaultHttpContext();
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = contentLength;
        http.Request.Body = new MemoryStream(bytes);
        return JsonBody.ReadAsync(http.Request, ChatJsonContext.Api.ChatRequest, maxBytes, TestContext.Current.CancellationToken);
    }
}
