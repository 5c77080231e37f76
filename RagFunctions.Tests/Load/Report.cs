using System.Globalization;

namespace RagFunctions.Tests.Load;

/// <summary>
/// Plain-text figures for the terminal. Written to the process's standard output as they come (the test runner does not
/// capture the console), and to the test's output so they also land in the test results.
/// </summary>
internal static class Report
{
    public static void Line(string text = "")
    {
        Console.Out.WriteLine(text);
        Console.Out.Flush();
        TestContext.Current.TestOutputHelper?.WriteLine(text);
    }

    /// <summary>One row per endpoint: requests, req/s, p50, p99, max, failures, and the kinds of success.</summary>
    public static void Endpoints(LoadResult result, IEnumerable<string> endpoints)
    {
        Line($"  {"endpoint",-18} {"requests",8} {"req/s",7} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"failed",6}  answers");
        foreach (var endpoint in endpoints)
        {
            var samples = result.For(endpoint);
            var ok = new LatencyStats(samples.Select(s => s.ElapsedMs));
            var failed = samples.Count(s => s.Outcome.Error is not null);
            var labels = string.Join(", ", samples.Where(s => s.Outcome.Label is not null).GroupBy(s => s.Outcome.Label).Select(g => $"{g.Key} {g.Count()}"));
            Line($"  {endpoint,-18} {samples.Count,8} {samples.Count / result.Elapsed.TotalSeconds,7:F1} {LatencyStats.Ms(ok.P50),8} {LatencyStats.Ms(ok.P99),8} {LatencyStats.Ms(ok.Max),8} {failed,6}  {labels}");
        }

        Line($"  {"all",-18} {result.Samples.Count,8} {result.RequestsPerSecond,7:F1}");
        Failures(result);
    }

    public static void Failures(LoadResult result)
    {
        var failed = result.Failed;
        if (failed.Count == 0)
        {
            Line("  failed requests: none (no 5xx, no other status errors, no exceptions, no degraded answers, no stream errors)");
            return;
        }

        Line($"  failed requests: {failed.Count}, of which 5xx: {failed.Count(f => f.Outcome.Error!.StartsWith("HTTP 5", StringComparison.Ordinal))}");
        foreach (var group in failed.GroupBy(f => (f.Endpoint, f.Outcome.Error)).OrderByDescending(g => g.Count()))
        {
            Line($"    {group.Key.Endpoint}: {group.Key.Error} x {group.Count()}");
        }
    }

    public static void ServerLogs(IEnumerable<ServerProcess> servers)
    {
        foreach (var server in servers)
        {
            Line($"  {server.Name} server log: {server.Warnings} warning lines, {server.Errors} error lines");
            foreach (var error in server.FirstWarnings.Concat(server.FirstErrors))
            {
                Line("    " + error);
            }
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages: above the core count, something else competes for the machine.</summary>
    public static void MachineLoad(string when)
    {
        var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
        Line($"machine load average {when} (1/5/15 min): {load} on {Environment.ProcessorCount} cores");
    }

    public static string Verdict(bool met) => met ? "met" : "NOT MET";

    public static string Number(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
}
