using System.IO.Compression;
using Microsoft.ML;

namespace MlNetIso.Transforms.Persistence;

/// <summary>Rebuilds a transformer from the entries an <see cref="IPackagedTransformer"/> wrote.</summary>
public interface IPackagedStepReader
{
    /// <summary>
    /// Reads the step stored under <paramref name="folder"/> of <paramref name="zip"/>; <paramref name="source"/> names
    /// the package (file path or "stream") for error messages.
    /// </summary>
    ITransformer ReadStep(ModelOperationsCatalog catalog, ZipArchive zip, string folder, string source);
}
