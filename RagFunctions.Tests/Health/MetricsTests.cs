using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Health;

public sealed class MetricsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_AreCountedAndTimedPerFunction_OnTheRagFunctionsMeter()
    {
        await using var app = await TestApp.StartAsync();
        var meter = app.Services.GetService(typeof(RagMetrics));
        Assert.NotNull(meter);
        var measurements = new ConcurrentBag<(string Instrument, double Value, string? Function)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RagMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, Function(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, Function(tags))));
        listener.Start();

        using var response = await app.Client.GetAsync("/health", Cancel);
        listener.Dispose();

        Assert.Contains(measurements, m => m is { Instrument: "rag.requests", Value: 1, Function: "health" });
        Assert.Contains(measurements, m => m is { Instrument: "rag.request.duration", Function: "health" } && m.Value >= 0);
    }

    [Fact]
    public async Task Refusals_AreCounted()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var refusals = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // This app's meter only: other tests' apps in this process publish on a meter of the same name.
                if (instrument.Meter.Name == RagMetrics.MeterName && instrument.Name == "rag.refusals"
                    && ReferenceEquals(instrument.Meter.Scope, app.Services.GetService(typeof(System.Diagnostics.Metrics.IMeterFactory))))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref refusals, v));
        listener.Start();

        using var content = new StringContent("""{"question":"What is the best recipe for chocolate cake?"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync("/chat", content, Cancel);

        Assert.Equal(1, Interlocked.Read(ref refusals));
    }

    private static string? Function(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "function")
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
