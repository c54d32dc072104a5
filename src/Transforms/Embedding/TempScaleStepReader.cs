using System.IO.Compression;
using Microsoft.ML;
using MlNetIso.Transforms.Persistence;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Rebuilds a <see cref="TempScaleEmbeddingTransformer"/> from the files a package holds for it; used by
/// <see cref="PackagedModelOperations.LoadPackaged(ModelOperationsCatalog, string, out DataViewSchema)"/>.
/// </summary>
internal sealed class TempScaleStepReader : IPackagedStepReader
{
    /// <inheritdoc />
    public ITransformer ReadStep(ModelOperationsCatalog catalog, ZipArchive zip, string folder, string source) =>
        TempScaleStepFiles.Read(zip, folder, source);
}
