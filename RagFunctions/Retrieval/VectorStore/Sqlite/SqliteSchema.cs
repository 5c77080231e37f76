namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// The tables of <c>index.db</c>.
/// <list type="bullet">
/// <item><c>meta</c>: key/value: embedding model and dimensions, index name, built_at, schema version, and
/// <c>version</c>, a counter every write transaction bumps so in-memory vectors know when they are stale
/// (in this process or after another process wrote).</item>
/// <item><c>chunks</c>: one row per chunk, the vector as little-endian float32. <c>id</c> is the chunk's key;
/// <c>seq</c> is the integer row id FTS5 needs (an alias of rowid, so it survives <c>VACUUM</c>).</item>
/// <item><c>chunks_fts</c>: FTS5 over heading, page title and text, external content on <c>chunks</c>, kept in step
/// by triggers, so a row and its index entry change in the same transaction.</item>
/// </list>
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    /// <summary>The file as <see cref="SqliteDatabase"/> opens it.</summary>
    public static SqliteSchemaDefinition Definition => new("index", Version, Create, "delete it and run ingest again", "run ingest");

    /// <summary>BM25 column weights, in <c>chunks_fts</c> column order: heading, page title, text.</summary>
    public const string Bm25 = "bm25(chunks_fts, 3.0, 1.5, 1.0)";

    public static readonly string Create = $$"""
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS chunks (
            seq          INTEGER PRIMARY KEY,
            id           TEXT NOT NULL UNIQUE,
            page_url     TEXT NOT NULL,
            url          TEXT NOT NULL,
            page_title   TEXT NOT NULL,
            heading      TEXT NOT NULL,
            anchor       TEXT NOT NULL,
            title_path   TEXT NOT NULL,
            position     INTEGER NOT NULL,
            text         TEXT NOT NULL,
            markdown     TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            vector       BLOB NOT NULL
        );

        CREATE INDEX IF NOT EXISTS chunks_page_url ON chunks (page_url, position);

        CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
            heading, page_title, text,
            content = 'chunks', content_rowid = 'seq',
            tokenize = 'porter unicode61 remove_diacritics 2'
        );

        CREATE TRIGGER IF NOT EXISTS chunks_fts_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts (rowid, heading, page_title, text) VALUES (new.seq, new.heading, new.page_title, new.text);
        END;

        CREATE TRIGGER IF NOT EXISTS chunks_fts_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts (chunks_fts, rowid, heading, page_title, text) VALUES ('delete', old.seq, old.heading, old.page_title, old.text);
        END;

        CREATE TRIGGER IF NOT EXISTS chunks_fts_update AFTER UPDATE ON chunks BEGIN
            INSERT INTO chunks_fts (chunks_fts, rowid, heading, page_title, text) VALUES ('delete', old.seq, old.heading, old.page_title, old.text);
            INSERT INTO chunks_fts (rowid, heading, page_title, text) VALUES (new.seq, new.heading, new.page_title, new.text);
        END;

        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', {{Version}}), ('version', 0);
        """;

    public const string ChunkColumns = "seq, id, page_url, url, page_title, heading, anchor, title_path, position, text, markdown, content_hash";

    public const string Upsert = """
        INSERT INTO chunks (id, page_url, url, page_title, heading, anchor, title_path, position, text, markdown, content_hash, vector)
        VALUES ($id, $page_url, $url, $page_title, $heading, $anchor, $title_path, $position, $text, $markdown, $content_hash, $vector)
        ON CONFLICT (id) DO UPDATE SET
            page_url = excluded.page_url, url = excluded.url, page_title = excluded.page_title, heading = excluded.heading,
            anchor = excluded.anchor, title_path = excluded.title_path, position = excluded.position, text = excluded.text,
            markdown = excluded.markdown, content_hash = excluded.content_hash, vector = excluded.vector
        """;

    public const string BumpVersion = "UPDATE meta SET value = value + 1 WHERE key = 'version'";

    public static class Keys
    {
        public const string SchemaVersion = "schema_version";
        public const string DataVersion = "version";
        public const string EmbeddingModel = "embedding_model";
        public const string EmbeddingDimensions = "embedding_dimensions";
        public const string IndexName = "index_name";
        public const string BuiltAt = "built_at";
    }
}
