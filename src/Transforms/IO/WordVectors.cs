namespace MlNetIso.Transforms.IO;

/// <summary>Word vectors read by <see cref="VectorTextFile"/>.</summary>
/// <param name="Words">Words in file order.</param>
/// <param name="Vectors">Vectors (rows), parallel to <paramref name="Words"/>.</param>
/// <param name="Dimension">Vector length D.</param>
public sealed record WordVectors(IReadOnlyList<string> Words, IReadOnlyList<float[]> Vectors, int Dimension);
