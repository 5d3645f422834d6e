using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>
/// <c>update</c>, <c>delete</c>, <c>$group</c>/<c>$count</c> in <c>aggregate</c> and tailable (await) cursors, answered
/// as mongod 8 answers them where the official drivers depend on it (replies, error codes and messages from the
/// MongoDB manual's command reference: update, delete, aggregate, getMore, find; tailable-cursor rules from mongod's
/// find command, noted where they apply). Matching is the simulator's small filter subset (<see cref="Matches"/>).
/// </summary>
public sealed partial class SimulatedMember
{
    // getMore on an awaitData cursor without maxTimeMS waits up to 1 s (mongod's default for awaitData).
    private static readonly TimeSpan s_defaultAwaitTime = TimeSpan.FromSeconds(1);

    // Modifiers mongod knows and the simulator does not apply: refused loudly rather than answered differently.
    private static readonly HashSet<string> s_mongodModifiersNotSimulated = new(StringComparer.Ordinal)
    {
        "$rename", "$min", "$max", "$mul", "$currentDate", "$addToSet", "$pop", "$pull", "$pullAll", "$bit",
    };

    private static bool Flag(BsonDocument body, string name) =>
        body.TryGetValue(name, out var value) && value.Type == BsonType.Boolean && value.AsBoolean;

    private static List<BsonDocument> Statements(BsonDocument body, SimulatorRequest request, string name)
    {
        var statements = new List<BsonDocument>();
        if (body.TryGetValue(name, out var inline) && inline.Type == BsonType.Array)
        {
            statements.AddRange(inline.AsArray.Select(d => d.AsDocument));
        }

        if (request.Sequences.TryGetValue(name, out var sequence))
        {
            statements.AddRange(sequence);
        }

        return statements;
    }

    /// <summary>
    /// <c>update</c>: each statement <c>{q, u, multi, upsert}</c>; the reply has <c>n</c> (matched plus upserted),
    /// <c>nModified</c> (documents whose content changed), <c>upserted: [{index, _id}]</c> when a statement inserted,
    /// and <c>writeErrors</c> per statement (ordered stops at the first).
    /// </summary>
    private BsonDocument Update(string database, BsonDocument body, SimulatorRequest request)
    {
        var collection = body["update"].AsString;
        var statements = Statements(body, request, "updates");
        if (statements.Count > _set.MaxWriteBatchSize)
        {
            return Error(16, "InvalidLength", $"Write batch sizes must be between 1 and {_set.MaxWriteBatchSize}. Got {statements.Count} operations.");
        }

        var ordered = !body.TryGetValue("ordered", out var o) || o.Type != BsonType.Boolean || o.AsBoolean;
        long n = 0;
        long modified = 0;
        var upserted = new BsonArray();
        var writeErrors = new BsonArray();
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            var filter = statement.TryGetValue("q", out var q) && q.Type == BsonType.Document ? q.AsDocument : new BsonDocument();
            var multi = Flag(statement, "multi");
            var upsert = Flag(statement, "upsert");
            string? error = null;
            int code = 0;
            string codeName = string.Empty;
            if (!statement.TryGetValue("u", out var u) || u.Type != BsonType.Document)
            {
                (code, codeName, error) = u.Type == BsonType.Array
                    ? (9, "FailedToParse", "pipeline-style updates are not simulated")
                    : (9, "FailedToParse", "Update argument must be either an object or an array");
            }
            else
            {
                var update = u.AsDocument;
                var isModifier = update.Count > 0 && update.Elements[0].Name.StartsWith('$');
                if (isModifier && update.Names.FirstOrDefault(s_mongodModifiersNotSimulated.Contains) is { } notSimulated)
                {
                    throw new NotSupportedException($"The simulator does not support the update modifier {notSimulated}.");
                }

                if (isModifier && update.Names.FirstOrDefault(name => name is not ("$set" or "$unset" or "$inc" or "$setOnInsert" or "$push")) is { } unknown)
                {
                    (code, codeName, error) = (9, "FailedToParse", $"Unknown modifier: {unknown}. Expected a valid update modifier or pipeline-style update specified as an array");
                }
                else if (!isModifier && multi)
                {
                    (code, codeName, error) = (9, "FailedToParse", "multi update is not supported for replacement-style update");
                }
                else
                {
                    var matches = _set.Data.Snapshot(database, collection).Where(d => Matches(d, filter)).ToList();
                    if (!multi && matches.Count > 1)
                    {
                        matches = [matches[0]];
                    }

                    foreach (var current in matches)
                    {
                        var next = isModifier ? ApplyUpdate(current, update, inserting: false) : WithIdFirst(current["_id"], update);
                        if (next["_id"] is var newId && !newId.Equals(current["_id"]))
                        {
                            (code, codeName, error) = (66, "ImmutableField", "Performing an update on the path '_id' would modify the immutable field '_id'");
                            break;
                        }

                        n++;
                        if (!next.Equals(current))
                        {
                            _ = _set.Data.Replace(database, collection, current["_id"], next);
                            modified++;
                        }
                    }

                    if (error is null && matches.Count == 0 && upsert)
                    {
                        var seed = new BsonDocument();
                        foreach (var field in filter)
                        {
                            if (!field.Name.StartsWith('$') && !(field.Value.Type == BsonType.Document && field.Value.AsDocument.Count > 0 && field.Value.AsDocument.Elements[0].Name.StartsWith('$')))
                            {
                                SetPath(seed, field.Name, field.Value);
                            }
                            else if (field.Value.Type == BsonType.Document && field.Value.AsDocument.TryGetValue("$eq", out var eq))
                            {
                                SetPath(seed, field.Name, eq);
                            }
                        }

                        var created = isModifier ? ApplyUpdate(seed, update, inserting: true) : Replacement(seed, update);
                        if (!created.Contains("_id"))
                        {
                            created = WithIdFirst(BsonValue.FromObjectId(ObjectId.Create(DateTimeOffset.UtcNow, Environment.ProcessId, Random.Shared.Next(1 << 24))), created);
                        }
                        else
                        {
                            created = WithIdFirst(created["_id"], created);
                        }

                        if (_set.Data.Insert(database, collection, created) is { } duplicate)
                        {
                            (code, codeName, error) = (11000, "DuplicateKey", duplicate);
                        }
                        else
                        {
                            n++;
                            upserted.Add(new BsonDocument { { "index", i }, { "_id", created["_id"] } });
                        }
                    }
                }
            }

            if (error is not null)
            {
                writeErrors.Add(new BsonDocument { { "index", i }, { "code", code }, { "codeName", codeName }, { "errmsg", error } });
                if (ordered)
                {
                    break;
                }
            }
        }

        var reply = new BsonDocument { { "n", (int)n } };
        if (upserted.Count > 0)
        {
            reply.Add("upserted", upserted);
        }

        reply.Add("nModified", (int)modified);
        if (writeErrors.Count > 0)
        {
            reply.Add("writeErrors", writeErrors);
        }

        reply.Add("ok", 1.0);
        return reply;
    }

    /// <summary><c>delete</c>: each statement <c>{q, limit}</c> (0 all matches, 1 the first); the reply's <c>n</c> counts the removed documents.</summary>
    private BsonDocument Delete(string database, BsonDocument body, SimulatorRequest request)
    {
        var collection = body["delete"].AsString;
        var statements = Statements(body, request, "deletes");
        if (statements.Count > _set.MaxWriteBatchSize)
        {
            return Error(16, "InvalidLength", $"Write batch sizes must be between 1 and {_set.MaxWriteBatchSize}. Got {statements.Count} operations.");
        }

        var ordered = !body.TryGetValue("ordered", out var o) || o.Type != BsonType.Boolean || o.AsBoolean;
        var n = 0;
        var writeErrors = new BsonArray();
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            var filter = statement.TryGetValue("q", out var q) && q.Type == BsonType.Document ? q.AsDocument : new BsonDocument();
            var limit = Number(statement, "limit");
            if (limit is not (0 or 1))
            {
                writeErrors.Add(new BsonDocument { { "index", i }, { "code", 9 }, { "codeName", "FailedToParse" }, { "errmsg", "The limit field in delete objects must be 0 or 1. Got " + (limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none") } });
                if (ordered)
                {
                    break;
                }

                continue;
            }

            var matches = _set.Data.Snapshot(database, collection).Where(d => Matches(d, filter));
            foreach (var document in limit == 1 ? matches.Take(1) : matches)
            {
                if (_set.Data.Delete(database, collection, document["_id"]))
                {
                    n++;
                }
            }
        }

        var reply = new BsonDocument { { "n", n } };
        if (writeErrors.Count > 0)
        {
            reply.Add("writeErrors", writeErrors);
        }

        reply.Add("ok", 1.0);
        return reply;
    }

    private static BsonDocument Replacement(BsonDocument seed, BsonDocument replacement)
    {
        var result = new BsonDocument();
        if (seed.TryGetValue("_id", out var id) && !replacement.Contains("_id"))
        {
            result.Add("_id", id);
        }

        foreach (var field in replacement)
        {
            result.Add(field.Name, field.Value);
        }

        return result;
    }

    private static BsonDocument WithIdFirst(BsonValue id, BsonDocument document)
    {
        var result = new BsonDocument { { "_id", document.TryGetValue("_id", out var own) ? own : id } };
        foreach (var field in document)
        {
            if (field.Name != "_id")
            {
                result.Add(field.Name, field.Value);
            }
        }

        return result;
    }

    private static BsonDocument ApplyUpdate(BsonDocument current, BsonDocument update, bool inserting)
    {
        var result = current.DeepClone();
        foreach (var modifier in update)
        {
            foreach (var field in modifier.Value.AsDocument)
            {
                switch (modifier.Name)
                {
                    case "$set":
                        SetPath(result, field.Name, field.Value);
                        break;
                    case "$setOnInsert" when inserting:
                        SetPath(result, field.Name, field.Value);
                        break;
                    case "$unset":
                        RemovePath(result, field.Name);
                        break;
                    case "$inc":
                        var before = GetPath(result, field.Name);
                        SetPath(result, field.Name, Add(before, field.Value));
                        break;
                    case "$push":
                        var array = GetPath(result, field.Name) is { Type: BsonType.Array } existing ? new BsonArray(existing.AsArray) : new BsonArray();
                        array.Add(field.Value);
                        SetPath(result, field.Name, array);
                        break;
                }
            }
        }

        return result;
    }

    private static BsonValue Add(BsonValue? left, BsonValue right)
    {
        if (left is not { } l)
        {
            return right;
        }

        return (l.Type, right.Type) switch
        {
            (BsonType.Int32, BsonType.Int32) => (long)l.AsInt32 + right.AsInt32 is var sum && sum is >= int.MinValue and <= int.MaxValue ? (BsonValue)(int)sum : sum,
            (BsonType.Double, _) or (_, BsonType.Double) => BsonNumber(l) + BsonNumber(right),
            _ => (long)BsonNumber(l) + (long)BsonNumber(right),
        };
    }

    private static BsonValue? GetPath(BsonDocument document, string path)
    {
        var parts = path.Split('.');
        BsonValue current = document;
        foreach (var part in parts)
        {
            if (current.Type != BsonType.Document || !current.AsDocument.TryGetValue(part, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    private static void SetPath(BsonDocument document, string path, BsonValue value)
    {
        var parts = path.Split('.');
        var target = document;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (!target.TryGetValue(parts[i], out var next) || next.Type != BsonType.Document)
            {
                next = new BsonDocument();
                target.Set(parts[i], next);
            }

            target = next.AsDocument;
        }

        target.Set(parts[^1], value);
    }

    private static void RemovePath(BsonDocument document, string path)
    {
        var dot = path.LastIndexOf('.');
        var parent = dot < 0 ? document : GetPath(document, path[..dot]) is { Type: BsonType.Document } p ? p.AsDocument : null;
        _ = parent?.Remove(dot < 0 ? path : path[(dot + 1)..]);
    }

    /// <summary>
    /// <c>$group</c>: <c>_id</c> is an expression (a <c>"$field"</c> path, a constant, or a document of expressions);
    /// accumulators <c>$sum</c>, <c>$count</c>, <c>$avg</c>, <c>$first</c>, <c>$last</c>, <c>$min</c>, <c>$max</c> and
    /// <c>$push</c>. Groups come out in the order they were first seen (mongod does not promise an order).
    /// </summary>
    private static List<BsonDocument> Group(IEnumerable<BsonDocument> documents, BsonDocument specification)
    {
        var groups = new List<(BsonValue Key, List<BsonDocument> Members)>();
        foreach (var document in documents)
        {
            var key = Evaluate(document, specification["_id"]) ?? BsonValue.Null;
            var index = groups.FindIndex(g => g.Key.Equals(key));
            if (index < 0)
            {
                groups.Add((key, [document]));
            }
            else
            {
                groups[index].Members.Add(document);
            }
        }

        var results = new List<BsonDocument>();
        foreach (var (key, members) in groups)
        {
            var result = new BsonDocument { { "_id", key } };
            foreach (var field in specification)
            {
                if (field.Name == "_id")
                {
                    continue;
                }

                var accumulator = field.Value.AsDocument.Elements[0];
                var values = members.Select(m => Evaluate(m, accumulator.Value)).ToList();
                BsonValue value = accumulator.Name switch
                {
                    "$sum" => Sum(values.Where(v => v is { IsNumeric: true }).Select(v => v!.Value)),
                    "$count" => members.Count,
                    "$avg" => values.Where(v => v is { IsNumeric: true }).Select(v => BsonNumber(v!.Value)).DefaultIfEmpty(double.NaN).Average() is var avg && double.IsNaN(avg) ? BsonValue.Null : avg,
                    "$first" => values[0] ?? BsonValue.Null,
                    "$last" => values[^1] ?? BsonValue.Null,
                    "$min" => values.OfType<BsonValue>().Where(v => v.Type != BsonType.Null).Aggregate((BsonValue?)null, (a, v) => a is null || Compare(v, a.Value) < 0 ? v : a) ?? BsonValue.Null,
                    "$max" => values.OfType<BsonValue>().Where(v => v.Type != BsonType.Null).Aggregate((BsonValue?)null, (a, v) => a is null || Compare(v, a.Value) > 0 ? v : a) ?? BsonValue.Null,
                    "$push" => new BsonArray(values.Where(v => v is not null).Select(v => v!.Value)),
                    _ => throw new NotSupportedException($"The simulator does not support the accumulator {accumulator.Name}."),
                };
                result.Add(field.Name, value);
            }

            results.Add(result);
        }

        return results;
    }

    // $sum keeps int while it fits, then long, and double as soon as a double is added (as mongod does).
    private static BsonValue Sum(IEnumerable<BsonValue> values)
    {
        long whole = 0;
        double fractional = 0;
        var isDouble = false;
        var isLong = false;
        foreach (var value in values)
        {
            switch (value.Type)
            {
                case BsonType.Double or BsonType.Decimal128:
                    isDouble = true;
                    fractional += BsonNumber(value);
                    break;
                case BsonType.Int64:
                    isLong = true;
                    whole += value.AsInt64;
                    break;
                default:
                    whole += value.AsInt32;
                    break;
            }
        }

        if (isDouble)
        {
            return fractional + whole;
        }

        return !isLong && whole is >= int.MinValue and <= int.MaxValue ? (BsonValue)(int)whole : whole;
    }

    private static BsonValue? Evaluate(BsonDocument document, BsonValue expression)
    {
        if (expression.Type == BsonType.String && expression.AsString.StartsWith('$'))
        {
            return GetPath(document, expression.AsString[1..]);
        }

        if (expression.Type == BsonType.Document)
        {
            var spec = expression.AsDocument;
            if (spec.Count == 1 && spec.Elements[0].Name == "$literal")
            {
                return spec.Elements[0].Value;
            }

            if (spec.Count > 0 && spec.Elements[0].Name.StartsWith('$'))
            {
                throw new NotSupportedException($"The simulator does not evaluate the expression {spec.Elements[0].Name}.");
            }

            var result = new BsonDocument();
            foreach (var field in spec)
            {
                result.Add(field.Name, Evaluate(document, field.Value) ?? BsonValue.Null);
            }

            return result;
        }

        return expression;
    }

    private static List<BsonDocument> CountStage(IEnumerable<BsonDocument> documents, string field)
    {
        var count = documents.Count();
        return count == 0 ? [] : [new BsonDocument(field, count)];
    }

    /// <summary>
    /// <c>find</c> with <c>tailable</c>: only on a capped collection (BadValue otherwise). As mongod's find command does,
    /// the cursor is kept open even when the first batch is empty, unless the collection has no documents at all.
    /// </summary>
    private BsonDocument TailableFind(string database, string collection, BsonDocument filter, int batchSize, bool awaitData)
    {
        var ns = $"{database}.{collection}";
        var target = _set.Data.Find(database, collection);
        if (target is null || !(target.Options.TryGetValue("capped", out var capped) && capped.Type == BsonType.Boolean && capped.AsBoolean))
        {
            return Error(2, "BadValue", $"error processing query: ns={ns} tailable cursor requested on non capped collection");
        }

        var snapshot = _set.Data.Snapshot(database, collection);
        if (snapshot.Count == 0)
        {
            return CursorReply(ns, 0, [], "firstBatch");
        }

        var matching = snapshot.Where(d => Matches(d, filter)).ToList();
        batchSize = batchSize <= 0 ? int.MaxValue : batchSize;
        var first = matching.Take(batchSize).ToList();
        var tail = new SimulatedTail(database, collection, filter, awaitData) { LastScanned = snapshot[^1] };
        var id = _set.OpenTailableCursor(ns, matching.Skip(first.Count).ToList(), tail);
        return CursorReply(ns, id, new BsonArray(first.Select(d => (BsonValue)d)), "firstBatch");
    }

    /// <summary>
    /// <c>getMore</c> on a tailable cursor: what is left, then documents appended after the last one scanned; with
    /// <c>awaitData</c> and nothing new it waits up to <c>maxTimeMS</c> (1 s by default) and answers an empty batch
    /// with the cursor still open. When the capped collection has dropped the cursor's position: CappedPositionLost
    /// (136), as mongod.
    /// </summary>
    private BsonDocument TailableGetMore(long id, SimulatedCursor cursor, BsonDocument body, int batchSize)
    {
        var tail = cursor.Tail!;
        if (!tail.AwaitData && body.Contains("maxTimeMS"))
        {
            return Error(2, "BadValue", "cannot set maxTimeMS on getMore command for a non-awaitData cursor");
        }

        var wait = Number(body, "maxTimeMS") is { } ms ? TimeSpan.FromMilliseconds(ms) : s_defaultAwaitTime;
        var deadline = DateTimeOffset.UtcNow + (tail.AwaitData ? wait : TimeSpan.Zero);
        while (true)
        {
            lock (cursor)
            {
                var snapshot = _set.Data.Snapshot(tail.Database, tail.Collection);
                var position = tail.LastScanned is null ? -1 : snapshot.FindIndex(d => ReferenceEquals(d, tail.LastScanned));
                if (tail.LastScanned is not null && position < 0)
                {
                    _set.CloseCursor(id);
                    return Error(136, "CappedPositionLost", "CollectionScan died due to position in capped collection being deleted. Last seen record id: RecordId(" + id + ")");
                }

                if (position + 1 < snapshot.Count)
                {
                    cursor.Remaining.AddRange(snapshot.Skip(position + 1).Where(d => Matches(d, tail.Filter)));
                    tail.LastScanned = snapshot[^1];
                }

                if (cursor.Remaining.Count > 0 || DateTimeOffset.UtcNow >= deadline)
                {
                    var batch = cursor.Remaining.Take(batchSize).ToList();
                    cursor.Remaining.RemoveRange(0, batch.Count);
                    return CursorReply(cursor.Namespace, id, new BsonArray(batch.Select(d => (BsonValue)d)), "nextBatch");
                }
            }

            Thread.Sleep(10);
        }
    }
}
