using System.Net;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// The admin gate is the request pipeline's, driven by each function's <c>[ApiDoc(Admin = true)]</c>: every admin
/// route in the route table refuses a missing or wrong key before its function runs, whatever the function does
/// itself, and every refusal is logged with the client and the route, never the key. The same sweep runs under the
/// Functions host double in <see cref="FunctionsHostTests"/>.
/// </summary>
public sealed class AdminGateTests
{
    internal const string Key = "admin-key-for-tests-0123456789";
    internal const string WrongKey = "wrong-key-that-must-not-be-logged";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Every function the route table holds whose <c>[ApiDoc]</c> marks it as an admin route.</summary>
    internal static IReadOnlyList<FunctionRoute> AdminRoutes
        => FunctionRoutes.Discover(typeof(AdminGate).Assembly).Where(r => r.Doc?.Admin == true).ToArray();

    /// <summary>One request per admin route, method and way of getting the key wrong: none, a wrong header, a wrong bearer.</summary>
    internal static IEnumerable<(FunctionRoute Route, HttpRequestMessage Request, string Client)> Refusable(Func<string> newClient)
    {
        foreach (var route in AdminRoutes)
        {
            foreach (var method in route.Methods)
            {
                foreach (var key in new[] { "none", "header", "bearer" })
                {
                    var client = newClient();
                    var request = new HttpRequestMessage(new HttpMethod(method), route.Path);
                    request.Headers.Add("X-Forwarded-For", client);
                    if (key == "header")
                    {
                        request.Headers.Add(AdminGate.HeaderName, WrongKey);
                    }
                    else if (key == "bearer")
                    {
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WrongKey);
                    }

                    yield return (route, request, client);
                }
            }
        }
    }

    [Fact]
    public void TheRouteTable_HasTheAdminRoutes_AndEveryRouteUnderManageIsAdminMarked()
    {
        var all = FunctionRoutes.Discover(typeof(AdminGate).Assembly);

        Assert.Equal(["admin-ingest", "admin-report", "admin-translate"], AdminRoutes.Select(r => r.Name).Order());
        Assert.All(all.Where(r => r.Route.StartsWith("manage/", StringComparison.Ordinal)), r => Assert.True(r.Doc?.Admin == true, $"{r.Name} is under /manage but not [ApiDoc(Admin = true)]"));
    }

    [Fact]
    public async Task EveryAdminRoute_RefusesAMissingOrWrongKey_With401_AndLogsTheClientAndRoute_NeverTheKey()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [EnvironmentVariables.AdminApiKey] = Key });
        var clients = 0;

        foreach (var (route, request, client) in Refusable(() => $"198.51.100.{++clients}"))
        {
            using (request)
            using (var response = await app.Client.SendAsync(request, Cancel))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{request.Method} {route.Path} answered {(int)response.StatusCode}");
                await Problems.AssertAsync(response, HttpStatusCode.Unauthorized);
            }

            Assert.Contains(app.Logs.Lines, l => l.Contains($"Refused an admin call to {route.Path} from {client}", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(WrongKey, app.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAdminConfigured_EveryAdminRouteIs404_AndTheRefusalIsLogged()
    {
        await using var app = await TestApp.StartAsync();
        var clients = 0;

        foreach (var (route, request, client) in Refusable(() => $"198.51.100.{++clients}"))
        {
            using (request)
            using (var response = await app.Client.SendAsync(request, Cancel))
            {
                await Problems.AssertAsync(response, HttpStatusCode.NotFound);
            }

            Assert.Contains(app.Logs.Lines, l => l.Contains($"Refused an admin call to {route.Path} from {client}: AdminOff", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheRightKey_PassesTheGate_InTheHeaderOrAsABearer()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [EnvironmentVariables.AdminApiKey] = Key });
        using var header = new HttpRequestMessage(HttpMethod.Get, "/manage/report");
        header.Headers.Add(AdminGate.HeaderName, Key);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/manage/report");
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);

        using var byHeader = await app.Client.SendAsync(header, Cancel);
        using var byBearer = await app.Client.SendAsync(bearer, Cancel);

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byBearer.StatusCode);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Refused an admin call", StringComparison.Ordinal));
    }
}
