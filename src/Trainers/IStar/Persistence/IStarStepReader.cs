using System.IO.Compression;
using Microsoft.ML;
using MlNetIso.Transforms.Persistence;

namespace MlNetIso.Trainers.IStar.Persistence;

/// <summary>Package reader for I-STAR steps (instantiated by <see cref="PackagedModelOperations"/> on load).</summary>
internal sealed class IStarStepReader : IPackagedStepReader
{
    /// <inheritdoc />
    public ITransformer ReadStep(ModelOperationsCatalog catalog, ZipArchive zip, string folder, string source) =>
        IStarStepFiles.Read(zip, folder, source);
}
