using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Hosting;

// Catalog extension classes live in the Microsoft.ML namespace, as ML.NET's own OnnxCatalog and TextCatalog do, so
// `using Microsoft.ML;` finds the extension; the options and enums stay in MlNetIso.Transforms.Embedding.
namespace Microsoft.ML;

/// <summary>Catalog entry points of the TempScale text-embedding transform (<c>mlContext.Transforms.Text.…</c>).</summary>
public static class TempScaleEmbeddingCatalog
{
    /// <summary>
    /// Embeds the text column <paramref name="inputColumnName"/> with an ONNX-exported BERT-family encoder whose
    /// self-attention runs at temperature τ, softmax((QKᵀ/√d + M)/τ) (TempScale, Zhou et al., arXiv 2410.24200),
    /// into the <c>Vector&lt;Single, d&gt;</c> column <paramref name="outputColumnName"/>.
    /// </summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">Name of the embedding column.</param>
    /// <param name="inputColumnName">Name of the text column; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="options">All settings; see <see cref="TempScaleEmbeddingOptions"/>.</param>
    public static TempScaleEmbeddingEstimator ApplyTempScaleEmbedding(this TransformsCatalog.TextTransforms catalog,
        string outputColumnName, string? inputColumnName, TempScaleEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TempScaleEmbeddingEstimator(CatalogEnvironment.Get(catalog), outputColumnName, inputColumnName, options);
    }

    /// <summary>
    /// Embeds a text column with an ONNX encoder at attention temperature <paramref name="temperature"/>
    /// (TempScale); the common settings as parameters, the others at their defaults (<see cref="TempScaleEmbeddingOptions"/>).
    /// </summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">Name of the embedding column.</param>
    /// <param name="modelPath">A built-in encoder name (e.g. <c>all-MiniLM-L6-v2</c>), the encoder's <c>model.onnx</c> or its folder;
    /// <c>vocab.txt</c> is read from the same folder.</param>
    /// <param name="inputColumnName">Name of the text column; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="temperature">Attention temperature τ &gt; 0; 1 leaves the encoder unchanged.</param>
    /// <param name="pooling">Pooling of the token states; null = the model's own (sentence-transformers files), else mean.</param>
    /// <param name="normalize">Whether to L2-normalise the embeddings; null = the model's own, else true.</param>
    /// <param name="maxTokens">Longest sequence, specials included; null = the model's max_seq_length, else its positions (else 512).</param>
    /// <param name="longText">Truncate long texts, or embed overlapping windows and average them.</param>
    /// <param name="batchSize">Sequences per ONNX Runtime call.</param>
    public static TempScaleEmbeddingEstimator ApplyTempScaleEmbedding(this TransformsCatalog.TextTransforms catalog,
        string outputColumnName, string modelPath, string? inputColumnName = null, float temperature = 1f,
        EmbeddingPooling? pooling = null, bool? normalize = null, int? maxTokens = null,
        LongTextMode longText = LongTextMode.Truncate, int batchSize = 32) =>
        catalog.ApplyTempScaleEmbedding(outputColumnName, inputColumnName, new TempScaleEmbeddingOptions
        {
            ModelPath = modelPath,
            Temperature = temperature,
            Pooling = pooling,
            Normalize = normalize,
            MaxTokens = maxTokens,
            LongText = longText,
            BatchSize = batchSize,
        });
}
