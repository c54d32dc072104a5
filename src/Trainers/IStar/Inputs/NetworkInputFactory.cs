using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Embedding.Tokenization;


namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>Picks the input adapter of a model's mode.</summary>
internal static class NetworkInputFactory
{
    /// <summary>Head-only input for a feature column; tokenising input for a text column.</summary>
    public static NetworkInput Create(IStarModelSpec spec)
    {
        if (spec.Mode == IStarMode.HeadOnly) return new HeadOnlyInput(spec.InputColumnName);
        var vocabulary = spec.Vocabulary ?? throw new InvalidOperationException("A fine-tune I-STAR model needs its vocabulary.");
        using var stream = new MemoryStream(vocabulary, writable: false);
        var tokenizer = BertTextTokenizer.Create(stream, spec.TokenizerConfig().ToTokenizerOptions());
        if (spec.Encoder is { } config && tokenizer.VocabularySize > config.VocabSize)
            throw new InvalidDataException(
                $"The vocabulary has {tokenizer.VocabularySize} tokens but the encoder's word-embedding table has only {config.VocabSize} rows " +
                "(vocab_size in config.json): this vocabulary does not belong to this encoder.");
        return new FineTuneInput(spec.InputColumnName, tokenizer, spec.MaxTokens);
    }
}
