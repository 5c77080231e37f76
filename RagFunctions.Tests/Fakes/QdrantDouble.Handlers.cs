using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace RagFunctions.Tests.Fakes;

/// <summary>The services: collections and points, answered from memory under the double's lock.</summary>
internal sealed partial class QdrantDouble
{
    private static readonly char[] ForbiddenInCollectionName = ['<', '>', ':', '"', '/', '\\', '|', '?', '*', '\0'];

    private readonly Dictionary<string, StoredCollection> collections = new(StringComparer.Ordinal);
    private ulong operationId;

    /// <summary>What <c>GetCollectionInfo</c> would answer, or null when there is no such collection.</summary>
    public CollectionInfo? DescribeCollection(string name)
    {
        lock (gate)
        {
            return collections.TryGetValue(name, out var collection) ? Describe(collection) : null;
        }
    }

    /// <summary>The stored points of a collection in id order, with payload and vectors (cosine vectors normalised, as Qdrant stores them).</summary>
    public IReadOnlyList<RetrievedPoint> PointsOf(string name)
    {
        lock (gate)
        {
            var collection = Find(name);
            return collection.Points.Values
                .Select(p => ToRetrieved(p, new WithPayloadSelector { Enable = true }, new WithVectorsSelector { Enable = true }))
                .ToArray();
        }
    }

    public IReadOnlyList<string> CollectionNames
    {
        get
        {
            lock (gate)
            {
                return [.. collections.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    private void RegisterHandlers()
    {
        On("qdrant.Qdrant/HealthCheck", HealthCheckRequest.Parser, _ => new HealthCheckReply { Title = "qdrant - vector search engine", Version = Version });

        On("qdrant.Collections/CollectionExists", CollectionExistsRequest.Parser, r => new CollectionExistsResponse
        {
            Result = new CollectionExists { Exists = collections.ContainsKey(r.CollectionName) },
            Time = Elapsed,
        });
        On("qdrant.Collections/List", ListCollectionsRequest.Parser, _ => new ListCollectionsResponse
        {
            Collections = { collections.Keys.Order(StringComparer.Ordinal).Select(n => new CollectionDescription { Name = n }) },
            Time = Elapsed,
        });
        On("qdrant.Collections/Get", GetCollectionInfoRequest.Parser, r => new GetCollectionInfoResponse { Result = Describe(Find(r.CollectionName)), Time = Elapsed });
        On("qdrant.Collections/Create", CreateCollection.Parser, Create);
        On("qdrant.Collections/Delete", DeleteCollection.Parser, r => new CollectionOperationResponse { Result = collections.Remove(r.CollectionName), Time = Elapsed });

        On("qdrant.Points/Upsert", UpsertPoints.Parser, Upsert);
        On("qdrant.Points/Delete", DeletePoints.Parser, Delete);
        On("qdrant.Points/Get", GetPoints.Parser, Get);
        On("qdrant.Points/SetPayload", SetPayloadPoints.Parser, SetPayload);
        On("qdrant.Points/CreateFieldIndex", CreateFieldIndexCollection.Parser, CreateFieldIndex);
        On("qdrant.Points/Count", CountPoints.Parser, Count);
        On("qdrant.Points/Scroll", ScrollPoints.Parser, Scroll);
        On("qdrant.Points/Query", QueryPoints.Parser, r => new QueryResponse { Result = { Query(Find(r.CollectionName), r) }, Time = Elapsed });
        On("qdrant.Points/QueryBatch", QueryBatchPoints.Parser, r =>
        {
            var collection = Find(r.CollectionName);
            return new QueryBatchResponse { Result = { r.QueryPoints.Select(q => new BatchResult { Result = { Query(collection, q) } }) }, Time = Elapsed };
        });
    }

    private static double Elapsed => 0.000_1;

    private CollectionOperationResponse Create(CreateCollection request)
    {
        var name = request.CollectionName;
        if (name.Length is 0 or > 255 || name.IndexOfAny(ForbiddenInCollectionName) >= 0)
        {
            throw InvalidArgument($"Validation error in collection_name: \"{name}\" is not a valid collection name");
        }

        if (collections.ContainsKey(name))
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"Wrong input: Collection `{name}` already exists!"));
        }

        var dense = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        switch (request.VectorsConfig?.ConfigCase)
        {
            case VectorsConfig.ConfigOneofCase.Params:
                dense[""] = request.VectorsConfig.Params;
                break;
            case VectorsConfig.ConfigOneofCase.ParamsMap:
                foreach (var (vectorName, parameters) in request.VectorsConfig.ParamsMap.Map)
                {
                    dense[vectorName] = parameters;
                }

                break;
        }

        foreach (var (vectorName, parameters) in dense)
        {
            if (parameters.Size == 0)
            {
                throw InvalidArgument($"Validation error in vectors_config: vector '{vectorName}' size must be at least 1");
            }

            if (parameters.Distance is not (Distance.Cosine or Distance.Dot))
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, $"The Qdrant double supports Cosine and Dot distances, not {parameters.Distance}"));
            }
        }

        var sparse = request.SparseVectorsConfig?.Map.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal) ?? [];
        collections[name] = new StoredCollection(name, request.Clone(), dense, sparse);
        return new CollectionOperationResponse { Result = true, Time = Elapsed };
    }

    private PointsOperationResponse Upsert(UpsertPoints request)
    {
        var collection = Find(request.CollectionName);
        if (request.UpdateFilter is not null)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Conditional upsert (update_filter) is not supported by the Qdrant double"));
        }

        // Validate every point before storing any: a failed upsert changes nothing.
        var points = request.Points.Select(p => ToStored(collection, p)).ToList();
        foreach (var point in points)
        {
            collection.Points[point.Key] = point;
        }

        return Completed(request.Wait);
    }

    private PointsOperationResponse Delete(DeletePoints request)
    {
        var collection = Find(request.CollectionName);
        var doomed = Select(collection, request.Points, forUpdate: true);
        foreach (var key in doomed)
        {
            collection.Points.Remove(key);
        }

        return Completed(request.Wait);
    }

    private GetResponse Get(GetPoints request)
    {
        var collection = Find(request.CollectionName);
        var found = request.Ids.Select(PointKey.From).Distinct()
            .Where(collection.Points.ContainsKey)
            .Select(k => ToRetrieved(collection.Points[k], request.WithPayload ?? new WithPayloadSelector { Enable = false }, request.WithVectors));
        return new GetResponse { Result = { found }, Time = Elapsed };
    }

    private PointsOperationResponse SetPayload(SetPayloadPoints request)
    {
        var collection = Find(request.CollectionName);
        if (request.HasKey)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Nested payload keys are not supported by the Qdrant double"));
        }

        if (request.PointsSelector?.PointsSelectorOneOfCase == PointsSelector.PointsSelectorOneOfOneofCase.Points)
        {
            var missing = request.PointsSelector.Points.Ids.Select(PointKey.From).FirstOrDefault(k => !collection.Points.ContainsKey(k));
            if (missing is not null)
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"Not found: No point with id {missing} found"));
            }
        }

        foreach (var key in Select(collection, request.PointsSelector, forUpdate: true))
        {
            var payload = collection.Points[key].Payload;
            foreach (var (field, value) in request.Payload)
            {
                payload[field] = value.Clone();
            }
        }

        return Completed(request.Wait);
    }

    private PointsOperationResponse CreateFieldIndex(CreateFieldIndexCollection request)
    {
        var collection = Find(request.CollectionName);
        if (!request.HasFieldType)
        {
            throw InvalidArgument("Wrong input: field_type is required to create a payload index");
        }

        collection.Indexes[request.FieldName] = (PayloadSchemaType)((int)request.FieldType + 1);
        return Completed(request.Wait);
    }

    private CountResponse Count(CountPoints request)
    {
        var collection = Find(request.CollectionName);
        CheckIndexed(collection, request.Filter);
        var count = collection.Points.Values.Count(p => Matches(request.Filter, p));
        return new CountResponse { Result = new CountResult { Count = (ulong)count }, Time = Elapsed };
    }

    private ScrollResponse Scroll(ScrollPoints request)
    {
        var collection = Find(request.CollectionName);
        if (request.OrderBy is not null)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Scroll with order_by is not supported by the Qdrant double"));
        }

        CheckIndexed(collection, request.Filter);
        var limit = request.HasLimit ? (int)request.Limit : 10;
        var from = request.Offset is null ? (PointKey?)null : PointKey.From(request.Offset);
        var page = collection.Points.Values
            .Where(p => from is null || p.Key.CompareTo(from) >= 0)
            .Where(p => Matches(request.Filter, p))
            .Take(limit + 1)
            .ToList();
        var response = new ScrollResponse
        {
            Result = { page.Take(limit).Select(p => ToRetrieved(p, request.WithPayload ?? new WithPayloadSelector { Enable = true }, request.WithVectors)) },
            Time = Elapsed,
        };
        if (page.Count > limit)
        {
            response.NextPageOffset = page[limit].Id.Clone();
        }

        return response;
    }

    private HashSet<PointKey> Select(StoredCollection collection, PointsSelector? selector, bool forUpdate)
    {
        switch (selector?.PointsSelectorOneOfCase)
        {
            case PointsSelector.PointsSelectorOneOfOneofCase.Points:
                return [.. selector.Points.Ids.Select(PointKey.From).Where(collection.Points.ContainsKey)];
            case PointsSelector.PointsSelectorOneOfOneofCase.Filter:
                CheckIndexed(collection, selector.Filter, forUpdate);
                return [.. collection.Points.Values.Where(p => Matches(selector.Filter, p)).Select(p => p.Key)];
            default:
                throw InvalidArgument("Wrong input: a points selector (ids or filter) is required");
        }
    }

    private StoredCollection Find(string name)
        => collections.TryGetValue(name, out var collection)
            ? collection
            : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));

    private PointsOperationResponse Completed(bool wait) => new()
    {
        Result = new UpdateResult { OperationId = ++operationId, Status = wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged },
        Time = Elapsed,
    };

    private static CollectionInfo Describe(StoredCollection collection)
    {
        var parameters = new CollectionParams { ShardNumber = 1, ReplicationFactor = 1, WriteConsistencyFactor = 1 };
        if (collection.Dense.TryGetValue("", out var single) && collection.Dense.Count == 1)
        {
            parameters.VectorsConfig = new VectorsConfig { Params = single.Clone() };
        }
        else
        {
            var map = new VectorParamsMap();
            foreach (var (name, vector) in collection.Dense)
            {
                map.Map[name] = vector.Clone();
            }

            parameters.VectorsConfig = new VectorsConfig { ParamsMap = map };
        }

        if (collection.Sparse.Count > 0)
        {
            parameters.SparseVectorsConfig = new SparseVectorConfig();
            foreach (var (name, sparse) in collection.Sparse)
            {
                parameters.SparseVectorsConfig.Map[name] = sparse.Clone();
            }
        }

        var info = new CollectionInfo
        {
            Status = CollectionStatus.Green,
            OptimizerStatus = new OptimizerStatus { Ok = true },
            SegmentsCount = 1,
            PointsCount = (ulong)collection.Points.Count,
            IndexedVectorsCount = 0,
            Config = new CollectionConfig
            {
                Params = parameters,
                HnswConfig = new HnswConfigDiff { M = 16, EfConstruct = 100 },
                OptimizerConfig = new OptimizersConfigDiff(),
                WalConfig = new WalConfigDiff(),
                Metadata = { collection.Definition.Metadata },
            },
        };
        foreach (var (field, type) in collection.Indexes)
        {
            info.PayloadSchema[field] = new PayloadSchemaInfo
            {
                DataType = type,
                Points = (ulong)collection.Points.Values.Count(p => p.Payload.ContainsKey(field)),
            };
        }

        return info;
    }

    private static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private sealed class StoredCollection(
        string name, CreateCollection definition, Dictionary<string, VectorParams> dense, Dictionary<string, SparseVectorParams> sparse)
    {
        public string Name { get; } = name;

        public CreateCollection Definition { get; } = definition;

        public Dictionary<string, VectorParams> Dense { get; } = dense;

        public Dictionary<string, SparseVectorParams> Sparse { get; } = sparse;

        public Dictionary<string, PayloadSchemaType> Indexes { get; } = new(StringComparer.Ordinal);

        /// <summary>In Qdrant's id order: numbers first, then UUIDs as 128-bit values.</summary>
        public SortedDictionary<PointKey, StoredPoint> Points { get; } = [];
    }

    private sealed class StoredPoint(PointKey key, PointId id, MapField<string, Value> payload)
    {
        public PointKey Key { get; } = key;

        public PointId Id { get; } = id;

        public MapField<string, Value> Payload { get; } = payload;

        public Dictionary<string, float[]> Dense { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, SparseVectorData> Sparse { get; } = new(StringComparer.Ordinal);
    }

    private sealed record SparseVectorData(uint[] Indices, float[] Values);

    /// <summary>A point id as Qdrant orders and compares it: numbers before UUIDs; UUIDs canonical and lower-case.</summary>
    private sealed record PointKey(ulong Num, string? Uuid) : IComparable<PointKey>
    {
        public static PointKey From(PointId id) => id.PointIdOptionsCase switch
        {
            PointId.PointIdOptionsOneofCase.Num => new PointKey(id.Num, null),
            PointId.PointIdOptionsOneofCase.Uuid when Guid.TryParse(id.Uuid, out var guid) => new PointKey(0, guid.ToString("D")),
            PointId.PointIdOptionsOneofCase.Uuid => throw InvalidArgument($"Unable to parse UUID: {id.Uuid}"),
            _ => throw InvalidArgument("Wrong input: point id is missing"),
        };

        public PointId ToPointId() => Uuid is null ? new PointId { Num = Num } : new PointId { Uuid = Uuid };

        public int CompareTo(PointKey? other)
        {
            if (other is null)
            {
                return 1;
            }

            return (Uuid, other.Uuid) switch
            {
                (null, null) => Num.CompareTo(other.Num),
                (null, _) => -1,
                (_, null) => 1,
                _ => string.CompareOrdinal(Uuid, other.Uuid),
            };
        }

        public override string ToString() => Uuid ?? Num.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
