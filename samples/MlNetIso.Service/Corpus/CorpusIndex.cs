using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using MlNetIso.Extensions.AI;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Service.Corpus;

/// <summary>
/// The searchable corpus, stored in SQLite: table <c>documents(id, text, vector)</c> with each embedding as a BLOB of
/// little-endian float32 values, and table <c>meta</c> recording which encoder settings and which texts the vectors belong
/// to. <see cref="BuildAsync"/> embeds the corpus once (again only when the encoder, its settings or the texts change) and
/// loads the unit-normalised vectors into memory; <see cref="SearchAsync"/> ranks them by cosine similarity to the query
/// (brute force, one dot product per document) and reads the texts of the best ones from the database.
/// </summary>
public sealed class CorpusIndex(TempScaleEmbeddingGenerator generator, IOptions<ServiceOptions> options, IHostEnvironment environment,
    ILogger<CorpusIndex> logger)
{
    private const int EmbeddingBlock = 256;
    private float[] _vectors = [];
    private long[] _ids = [];

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; } = Path.GetFullPath(options.Value.DatabasePath, environment.ContentRootPath);

    /// <summary>Documents in the index (0 until <see cref="BuildAsync"/> has run).</summary>
    public int Count => _ids.Length;

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = true }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Creates or refreshes the stored corpus and loads its vectors.</summary>
    public async Task BuildAsync(CancellationToken cancellationToken)
    {
        var dataFolder = Path.GetFullPath(options.Value.DataFolder, AppContext.BaseDirectory);
        var texts = CorpusDocuments.Read(dataFolder, options.Value.CorpusDocuments);
        var stamp = Stamp(texts);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using var connection = Open();
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, text TEXT NOT NULL, vector BLOB NOT NULL);
            """, cancellationToken);
        var stored = await ScalarAsync(connection, "SELECT value FROM meta WHERE key = 'index'", cancellationToken);
        if (stored != stamp)
        {
            logger.LogInformation("Indexing {Count} documents with {Model} into {Database}.", texts.Count, generator.ModelId, DatabasePath);
            await IndexAsync(connection, texts, stamp, cancellationToken);
        }
        await LoadAsync(connection, cancellationToken);
        logger.LogInformation("Search corpus ready: {Count} documents, {Dimensions} dimensions.", Count, generator.Dimensions);
    }

    private async Task IndexAsync(SqliteConnection connection, IReadOnlyList<string> texts, string stamp, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction();
        await ExecuteAsync(connection, "DELETE FROM documents; DELETE FROM meta;", cancellationToken, transaction);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO documents (id, text, vector) VALUES ($id, $text, $vector)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var text = insert.Parameters.Add("$text", SqliteType.Text);
        var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
        var document = new EmbeddingGenerationOptions().WithTextKind(EmbeddingTextKind.Document);
        for (var start = 0; start < texts.Count; start += EmbeddingBlock)
        {
            var block = texts.Skip(start).Take(EmbeddingBlock).ToArray();
            var embeddings = await generator.GenerateAsync(block, document, cancellationToken);
            for (var i = 0; i < block.Length; i++)
            {
                id.Value = start + i + 1;
                text.Value = block[i];
                vector.Value = MemoryMarshal.AsBytes(embeddings[i].Vector.Span).ToArray();
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await ExecuteAsync(connection, $"INSERT INTO meta (key, value) VALUES ('index', '{stamp}')", cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task LoadAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var d = generator.Dimensions;
        var ids = new List<long>();
        var vectors = new List<float>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, vector FROM documents ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var blob = (byte[])reader.GetValue(1);
            if (blob.Length != d * sizeof(float))
                throw new InvalidDataException($"'{DatabasePath}': document {reader.GetInt64(0)} has a vector of {blob.Length} bytes; {d * sizeof(float)} expected.");
            var v = MemoryMarshal.Cast<byte, float>(blob).ToArray();
            var norm = TensorPrimitives.Norm(v);
            if (norm > 0) TensorPrimitives.Divide(v, norm, v);
            ids.Add(reader.GetInt64(0));
            vectors.AddRange(v);
        }
        _vectors = [.. vectors];
        _ids = [.. ids];
    }

    /// <summary>The <paramref name="top"/> documents most similar (cosine) to <paramref name="query"/>, best first.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int top, CancellationToken cancellationToken)
    {
        var embedding = await generator.GenerateVectorAsync(query, new EmbeddingGenerationOptions().WithTextKind(EmbeddingTextKind.Query),
            cancellationToken);
        var q = embedding.ToArray();
        var norm = TensorPrimitives.Norm(q);
        if (norm > 0) TensorPrimitives.Divide(q, norm, q);

        var d = q.Length;
        var best = new PriorityQueue<int, float>(top + 1);
        for (var i = 0; i < _ids.Length; i++)
        {
            var score = TensorPrimitives.Dot(_vectors.AsSpan(i * d, d), q);
            if (best.Count < top) best.Enqueue(i, score);
            else if (best.TryPeek(out _, out var lowest) && score > lowest) best.EnqueueDequeue(i, score);
        }
        var ranked = new List<(long Id, float Score)>(best.Count);
        while (best.TryDequeue(out var i, out var score)) ranked.Add((_ids[i], score));
        ranked.Reverse();

        var texts = await TextsAsync(ranked.Select(r => r.Id).ToArray(), cancellationToken);
        return ranked.Select(r => new SearchHit(r.Id, texts[r.Id], r.Score)).ToArray();
    }

    private async Task<Dictionary<long, string>> TextsAsync(long[] ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, string>(ids.Length);
        if (ids.Length == 0) return result;
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var names = ids.Select((_, i) => "$p" + i).ToArray();
        command.CommandText = $"SELECT id, text FROM documents WHERE id IN ({string.Join(", ", names)})";
        for (var i = 0; i < ids.Length; i++) command.Parameters.AddWithValue(names[i], ids[i]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result[reader.GetInt64(0)] = reader.GetString(1);
        return result;
    }

    /// <summary>What the stored vectors depend on: the encoder, its settings and the texts.</summary>
    private string Stamp(IReadOnlyList<string> texts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', texts)));
        var encoder = $"{generator.ModelId}|{Path.GetFileName(Path.GetDirectoryName(generator.ModelPath))}|{generator.Dimensions}|" +
                      $"{generator.Temperature:R}|{generator.Pooling}|{generator.Normalize}|{generator.MaxTokens}|{generator.PrefixOf(EmbeddingTextKind.Document)}";
        return $"{texts.Count}:{Convert.ToHexString(hash)[..16]}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(encoder)))[..16]}";
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
