using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.AI;

/// <summary>
/// Embeds a block of texts into <paramref name="output"/> (texts × d, row-major, input order) with the caller's
/// <paramref name="workspace"/>: the shape of <see cref="TextEmbedder.Embed"/>, which is what the generator runs.
/// </summary>
internal delegate void EmbedBlock(IReadOnlyList<string?> texts, Span<float> output, EmbedderWorkspace workspace);
