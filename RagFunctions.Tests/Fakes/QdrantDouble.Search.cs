using System.Numerics.Tensors;
using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace RagFunctions.Tests.Fakes;

/// <summary>Vectors, filters and the Query API, computed exactly (no HNSW approximation).</summary>
internal sealed partial class QdrantDouble
{
    /// <summary>Qdrant's RRF constant when the query is plain <c>Fusion.Rrf</c>: a first place in one list scores 1/2.</summary>
    public const uint DefaultRrfK = 2;

    private const ulong DefaultLimit = 10;

    private StoredPoint ToStored(StoredCollection collection, PointStruct point)
    {
        var key = PointKey.From(point.Id ?? throw InvalidArgument("Wrong input: point id is missing"));
        var stored = new StoredPoint(key, key.ToPointId(), point.Payload.Clone());
        switch (point.Vectors?.VectorsOptionsCase)
        {
            case Vectors.VectorsOptionsOneofCase.Vector:
                AddVector(collection, stored, "", point.Vectors.Vector);
                break;
            case Vectors.VectorsOptionsOneofCase.Vectors_:
                foreach (var (name, vector) in point.Vectors.Vectors_.Vectors)
                {
                    AddVector(collection, stored, name, vector);
                }

                break;
            default:
                // The server cannot tell "no vectors" from a missing field; an empty named map is the way to say it.
                throw InvalidArgument($"Wrong input: point {key} has no vectors (send an empty named-vector map for a point without vectors)");
        }

        return stored;
    }

    private static void AddVector(StoredCollection collection, StoredPoint point, string name, Vector vector)
    {
        if (collection.Dense.TryGetValue(name, out var dense))
        {
            var data = DenseData(vector) ?? throw InvalidArgument($"Wrong input: Conversion between sparse and regular vectors failed for vector '{name}'");
            point.Dense[name] = Stored(dense, data, name);
        }
        else if (collection.Sparse.ContainsKey(name))
        {
            point.Sparse[name] = SparseData(vector) ?? throw InvalidArgument($"Wrong input: Conversion between sparse and regular vectors failed for vector '{name}'");
        }
        else
        {
            throw InvalidArgument($"Wrong input: Not existing vector name error: {name}");
        }
    }

    // Clients before 1.10 send the deprecated data/indices fields instead of the dense/sparse oneof; both are read.
#pragma warning disable CS0612
    private static float[]? DenseData(Vector vector) => vector.VectorCase switch
    {
        Vector.VectorOneofCase.Dense => [.. vector.Dense.Data],
        Vector.VectorOneofCase.None when vector.Indices is null => [.. vector.Data],
        Vector.VectorOneofCase.Document or Vector.VectorOneofCase.Image or Vector.VectorOneofCase.Object =>
            throw InvalidArgument("Wrong input: server-side inference (Document/Image/Object) is not available in the Qdrant double"),
        _ => null,
    };

    private static SparseVectorData? SparseData(Vector vector) => vector.VectorCase switch
    {
        Vector.VectorOneofCase.Sparse => Sparse([.. vector.Sparse.Indices], [.. vector.Sparse.Values]),
        Vector.VectorOneofCase.None when vector.Indices is not null => Sparse([.. vector.Indices.Data], [.. vector.Data]),
        Vector.VectorOneofCase.Document or Vector.VectorOneofCase.Image or Vector.VectorOneofCase.Object =>
            throw InvalidArgument("Wrong input: server-side inference (Document/Image/Object) is not available in the Qdrant double"),
        _ => null,
    };
#pragma warning restore CS0612

    private static SparseVectorData Sparse(uint[] indices, float[] values)
    {
        if (indices.Length != values.Length)
        {
            throw InvalidArgument($"Validation error: sparse vector has {indices.Length} indices and {values.Length} values; they must be the same length");
        }

        if (indices.Distinct().Count() != indices.Length)
        {
            throw InvalidArgument("Validation error: sparse vector indices must be unique");
        }

        return new SparseVectorData(indices, values);
    }

    /// <summary>The dimension check, and cosine vectors normalised at write like the server does.</summary>
    private static float[] Stored(VectorParams parameters, float[] data, string name)
    {
        if ((ulong)data.Length != parameters.Size)
        {
            throw InvalidArgument($"Wrong input: Vector dimension error: expected dim: {parameters.Size}, got {data.Length}");
        }

        _ = name;
        return parameters.Distance == Distance.Cosine ? Normalize(data) : data;
    }

    private static float[] Normalize(float[] data)
    {
        var length = Math.Sqrt(data.Sum(x => (double)x * x));
        return length == 0 ? data : data.Select(x => (float)(x / length)).ToArray();
    }

    private List<ScoredPoint> Query(StoredCollection collection, QueryPoints request)
    {
        CheckIndexed(collection, request.Filter);
        var scored = Run(collection, request.Query, request.Prefetch, request.Using, request.Filter, request.HasLimit ? request.Limit : DefaultLimit,
            request.HasScoreThreshold ? request.ScoreThreshold : null);
        return scored
            .Skip((int)request.Offset)
            .Select(s => ToScored(s, request.WithPayload ?? new WithPayloadSelector { Enable = false }, request.WithVectors))
            .ToList();
    }

    /// <summary>One query level: prefetches first (each with the parent filter merged in), then this level's query over their results.</summary>
    private List<(StoredPoint Point, float Score)> Run(
        StoredCollection collection, Query? query, RepeatedField<PrefetchQuery> prefetch, string? vectorName, Filter? filter, ulong limit, float? threshold)
    {
        IEnumerable<(StoredPoint Point, float Score)> results;
        if (prefetch.Count > 0)
        {
            var lists = prefetch.Select(p => Run(collection, p.Query, p.Prefetch, p.Using, Merge(filter, p.Filter), p.HasLimit ? p.Limit : DefaultLimit,
                p.HasScoreThreshold ? p.ScoreThreshold : null)).ToList();
            results = query?.VariantCase switch
            {
                Qdrant.Client.Grpc.Query.VariantOneofCase.Fusion when query.Fusion == Fusion.Rrf => Rrf(lists, DefaultRrfK, []),
                Qdrant.Client.Grpc.Query.VariantOneofCase.Rrf => Rrf(lists, query.Rrf.HasK ? query.Rrf.K : DefaultRrfK, [.. query.Rrf.Weights]),
                Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest => Nearest(collection, query.Nearest, vectorName, lists.SelectMany(l => l).Select(s => s.Point).Distinct()),
                null or Qdrant.Client.Grpc.Query.VariantOneofCase.None => lists.SelectMany(l => l).DistinctBy(s => s.Point.Key),
                _ => throw Unsupported($"query {query.VariantCase}"),
            };
        }
        else
        {
            var candidates = collection.Points.Values.Where(p => Matches(filter, p));
            results = query?.VariantCase switch
            {
                Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest => Nearest(collection, query.Nearest, vectorName, candidates),
                null or Qdrant.Client.Grpc.Query.VariantOneofCase.None => candidates.Select(p => (p, 0f)),
                Qdrant.Client.Grpc.Query.VariantOneofCase.Fusion or Qdrant.Client.Grpc.Query.VariantOneofCase.Rrf =>
                    throw InvalidArgument("Bad request: Fusion queries need prefetches"),
                _ => throw Unsupported($"query {query.VariantCase}"),
            };
        }

        return results
            .Where(s => threshold is null || s.Score >= threshold)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Point.Key)
            .Take((int)limit)
            .ToList();
    }

    private static IEnumerable<(StoredPoint Point, float Score)> Rrf(List<List<(StoredPoint Point, float Score)>> lists, uint k, float[] weights)
    {
        if (weights.Length > 0 && weights.Length != lists.Count)
        {
            throw InvalidArgument($"Bad request: RRF has {weights.Length} weights for {lists.Count} prefetches");
        }

        var fused = new Dictionary<PointKey, (StoredPoint Point, float Score)>();
        for (var list = 0; list < lists.Count; list++)
        {
            var weight = weights.Length > 0 ? weights[list] : 1f;
            for (var rank = 0; rank < lists[list].Count; rank++)
            {
                var point = lists[list][rank].Point;
                var score = weight / (rank + (float)k);
                fused[point.Key] = fused.TryGetValue(point.Key, out var seen) ? (point, seen.Score + score) : (point, score);
            }
        }

        return fused.Values;
    }

    private IEnumerable<(StoredPoint Point, float Score)> Nearest(StoredCollection collection, VectorInput input, string? vectorName, IEnumerable<StoredPoint> candidates)
    {
        var name = vectorName ?? "";
        if (collection.Dense.TryGetValue(name, out var dense))
        {
            var query = input.VariantCase switch
            {
                VectorInput.VariantOneofCase.Dense => input.Dense.Data.ToArray(),
                VectorInput.VariantOneofCase.Id => PointVector(collection, input.Id).Dense.GetValueOrDefault(name)
                    ?? throw InvalidArgument($"Wrong input: point {PointKey.From(input.Id)} has no vector '{name}'"),
                VectorInput.VariantOneofCase.Sparse => throw InvalidArgument($"Wrong input: Conversion between sparse and regular vectors failed for vector '{name}'"),
                _ => throw Unsupported($"nearest input {input.VariantCase}"),
            };
            if ((ulong)query.Length != dense.Size)
            {
                throw InvalidArgument($"Wrong input: Vector dimension error: expected dim: {dense.Size}, got {query.Length}");
            }

            if (dense.Distance == Distance.Cosine)
            {
                query = Normalize(query);
            }

            return candidates.Where(p => p.Dense.ContainsKey(name)).Select(p => (p, Dot(query, p.Dense[name]))).ToList();
        }

        if (collection.Sparse.TryGetValue(name, out var sparseParameters))
        {
            var query = input.VariantCase switch
            {
                VectorInput.VariantOneofCase.Sparse => Sparse([.. input.Sparse.Indices], [.. input.Sparse.Values]),
                VectorInput.VariantOneofCase.Id => PointVector(collection, input.Id).Sparse.GetValueOrDefault(name)
                    ?? throw InvalidArgument($"Wrong input: point {PointKey.From(input.Id)} has no vector '{name}'"),
                VectorInput.VariantOneofCase.Dense => throw InvalidArgument($"Wrong input: Conversion between sparse and regular vectors failed for vector '{name}'"),
                VectorInput.VariantOneofCase.Document => throw InvalidArgument("Wrong input: server-side inference (Document) is not available in the Qdrant double"),
                _ => throw Unsupported($"nearest input {input.VariantCase}"),
            };
            var weights = query.Indices.Zip(query.Values).ToDictionary(t => t.First, t => (double)t.Second);
            if (sparseParameters.HasModifier && sparseParameters.Modifier == Modifier.Idf)
            {
                ApplyIdf(collection, name, weights);
            }

            // An inverted index only finds points that share a term with the query.
            return candidates
                .Where(p => p.Sparse.ContainsKey(name))
                .Select(p => (Point: p, Overlap: p.Sparse[name].Indices.Zip(p.Sparse[name].Values).Where(t => weights.ContainsKey(t.First)).ToList()))
                .Where(x => x.Overlap.Count > 0)
                .Select(x => (x.Point, (float)x.Overlap.Sum(t => weights[t.First] * t.Second)))
                .ToList();
        }

        throw InvalidArgument($"Wrong input: Not existing vector name error: {name}");
    }

    /// <summary>Qdrant's IDF: ln(1 + (N − n + 0.5) / (n + 0.5)), N = points with this sparse vector, n = those with the term.</summary>
    private static void ApplyIdf(StoredCollection collection, string name, Dictionary<uint, double> weights)
    {
        var vectors = collection.Points.Values.Where(p => p.Sparse.ContainsKey(name)).Select(p => p.Sparse[name]).ToList();
        foreach (var index in weights.Keys.ToList())
        {
            var n = vectors.Count(v => Array.IndexOf(v.Indices, index) >= 0);
            weights[index] *= Math.Log(1 + ((vectors.Count - n + 0.5) / (n + 0.5)));
        }
    }

    private static StoredPoint PointVector(StoredCollection collection, PointId id)
        => collection.Points.TryGetValue(PointKey.From(id), out var point)
            ? point
            : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: No point with id {PointKey.From(id)} found"));

    private static float Dot(float[] a, float[] b) => TensorPrimitives.Dot(a, b);

    private static Filter? Merge(Filter? parent, Filter? own)
    {
        if (parent is null || own is null)
        {
            return own ?? parent;
        }

        return new Filter { Must = { new Condition { Filter = parent.Clone() }, new Condition { Filter = own.Clone() } } };
    }

    private static bool Matches(Filter? filter, StoredPoint point)
    {
        if (filter is null)
        {
            return true;
        }

        return filter.Must.All(c => Matches(c, point))
               && (filter.Should.Count == 0 || filter.Should.Any(c => Matches(c, point)))
               && !filter.MustNot.Any(c => Matches(c, point))
               && (filter.MinShould is null || filter.MinShould.Conditions.Count(c => Matches(c, point)) >= (int)filter.MinShould.MinCount);
    }

    private static bool Matches(Condition condition, StoredPoint point) => condition.ConditionOneOfCase switch
    {
        Condition.ConditionOneOfOneofCase.Field => Matches(condition.Field, point.Payload),
        Condition.ConditionOneOfOneofCase.HasId => condition.HasId.HasId.Any(id => PointKey.From(id).Equals(point.Key)),
        Condition.ConditionOneOfOneofCase.Filter => Matches(condition.Filter, point),
        Condition.ConditionOneOfOneofCase.IsEmpty => IsEmpty(point.Payload, condition.IsEmpty.Key),
        Condition.ConditionOneOfOneofCase.IsNull => point.Payload.TryGetValue(condition.IsNull.Key, out var v) && v.KindCase == Value.KindOneofCase.NullValue,
        Condition.ConditionOneOfOneofCase.HasVector => point.Dense.ContainsKey(condition.HasVector.HasVector) || point.Sparse.ContainsKey(condition.HasVector.HasVector),
        _ => throw Unsupported($"condition {condition.ConditionOneOfCase}"),
    };

    private static bool Matches(FieldCondition field, MapField<string, Value> payload)
    {
        var values = Values(payload, field.Key);
        if (field.Match is { } match)
        {
            return match.MatchValueCase switch
            {
                Match.MatchValueOneofCase.Keyword => values.Any(v => v.KindCase == Value.KindOneofCase.StringValue && v.StringValue == match.Keyword),
                Match.MatchValueOneofCase.Integer => values.Any(v => v.KindCase == Value.KindOneofCase.IntegerValue && v.IntegerValue == match.Integer),
                Match.MatchValueOneofCase.Boolean => values.Any(v => v.KindCase == Value.KindOneofCase.BoolValue && v.BoolValue == match.Boolean),
                Match.MatchValueOneofCase.Keywords => values.Any(v => v.KindCase == Value.KindOneofCase.StringValue && match.Keywords.Strings.Contains(v.StringValue)),
                Match.MatchValueOneofCase.Integers => values.Any(v => v.KindCase == Value.KindOneofCase.IntegerValue && match.Integers.Integers.Contains(v.IntegerValue)),
                Match.MatchValueOneofCase.ExceptKeywords => !values.Any(v => v.KindCase == Value.KindOneofCase.StringValue && match.ExceptKeywords.Strings.Contains(v.StringValue)),
                Match.MatchValueOneofCase.ExceptIntegers => !values.Any(v => v.KindCase == Value.KindOneofCase.IntegerValue && match.ExceptIntegers.Integers.Contains(v.IntegerValue)),
                _ => throw Unsupported($"match {match.MatchValueCase}"),
            };
        }

        if (field.Range is { } range)
        {
            return values.Where(v => v.KindCase is Value.KindOneofCase.IntegerValue or Value.KindOneofCase.DoubleValue)
                .Select(v => v.KindCase == Value.KindOneofCase.IntegerValue ? v.IntegerValue : v.DoubleValue)
                .Any(x => (!range.HasLt || x < range.Lt) && (!range.HasLte || x <= range.Lte) && (!range.HasGt || x > range.Gt) && (!range.HasGte || x >= range.Gte));
        }

        if (field.HasIsEmpty)
        {
            return IsEmpty(payload, field.Key) == field.IsEmpty;
        }

        if (field.HasIsNull)
        {
            return (payload.TryGetValue(field.Key, out var v) && v.KindCase == Value.KindOneofCase.NullValue) == field.IsNull;
        }

        throw Unsupported($"field condition on '{field.Key}' (geo, values count and datetime conditions)");
    }

    /// <summary>A field's values: the items of a list, or the one value.</summary>
    private static IEnumerable<Value> Values(MapField<string, Value> payload, string key)
        => !payload.TryGetValue(key, out var value) ? []
            : value.KindCase == Value.KindOneofCase.ListValue ? value.ListValue.Values
            : [value];

    private static bool IsEmpty(MapField<string, Value> payload, string key)
        => !payload.TryGetValue(key, out var value)
           || value.KindCase == Value.KindOneofCase.NullValue
           || (value.KindCase == Value.KindOneofCase.ListValue && value.ListValue.Values.Count == 0);

    /// <summary>Strict mode (Qdrant Cloud's default): every payload field a filter reads must have an index.</summary>
    private void CheckIndexed(StoredCollection collection, Filter? filter, bool forUpdate = false)
    {
        if (!StrictMode || filter is null)
        {
            return;
        }

        var missing = FieldKeys(filter).FirstOrDefault(k => !collection.Indexes.ContainsKey(k));
        if (missing is not null)
        {
            var help = forUpdate ? "filtered updates" : "filtered reads";
            throw InvalidArgument(
                $"Bad request: Index required but not found for \"{missing}\" of one of the following types: [keyword]. Help: Create an index for this key or use a different filter ({help}).");
        }
    }

    private static IEnumerable<string> FieldKeys(Filter filter)
        => filter.Must.Concat(filter.Should).Concat(filter.MustNot).Concat(filter.MinShould?.Conditions ?? [])
            .SelectMany(c => c.ConditionOneOfCase switch
            {
                Condition.ConditionOneOfOneofCase.Field => [c.Field.Key],
                Condition.ConditionOneOfOneofCase.Filter => FieldKeys(c.Filter),
                _ => [],
            });

    private static ScoredPoint ToScored((StoredPoint Point, float Score) hit, WithPayloadSelector payload, WithVectorsSelector? vectors)
    {
        var retrieved = ToRetrieved(hit.Point, payload, vectors);
        return new ScoredPoint { Id = retrieved.Id, Payload = { retrieved.Payload }, Vectors = retrieved.Vectors, Score = hit.Score, Version = 1 };
    }

    private static RetrievedPoint ToRetrieved(StoredPoint point, WithPayloadSelector payload, WithVectorsSelector? vectors)
    {
        var result = new RetrievedPoint { Id = point.Id.Clone() };
        foreach (var (key, value) in point.Payload)
        {
            var wanted = payload.SelectorOptionsCase switch
            {
                WithPayloadSelector.SelectorOptionsOneofCase.Enable => payload.Enable,
                WithPayloadSelector.SelectorOptionsOneofCase.Include => payload.Include.Fields.Contains(key),
                WithPayloadSelector.SelectorOptionsOneofCase.Exclude => !payload.Exclude.Fields.Contains(key),
                _ => false,
            };
            if (wanted)
            {
                result.Payload[key] = value.Clone();
            }
        }

        var names = vectors?.SelectorOptionsCase switch
        {
            WithVectorsSelector.SelectorOptionsOneofCase.Enable when vectors.Enable => point.Dense.Keys.Concat(point.Sparse.Keys).ToList(),
            WithVectorsSelector.SelectorOptionsOneofCase.Include => vectors.Include.Names.ToList(),
            _ => [],
        };
        if (names.Count > 0)
        {
            var output = new NamedVectorsOutput();
            foreach (var name in names)
            {
                if (point.Dense.TryGetValue(name, out var dense))
                {
                    output.Vectors[name] = new VectorOutput { Dense = new DenseVector { Data = { dense } } };
                }
                else if (point.Sparse.TryGetValue(name, out var sparse))
                {
                    output.Vectors[name] = new VectorOutput { Sparse = new SparseVector { Indices = { sparse.Indices }, Values = { sparse.Values } } };
                }
            }

            result.Vectors = new VectorsOutput { Vectors = output };
        }

        return result;
    }

    private static RpcException Unsupported(string what) => new(new Status(StatusCode.Unimplemented, $"The Qdrant double does not support {what}"));
}
