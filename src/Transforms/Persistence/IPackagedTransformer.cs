using System.IO.Compression;
using Microsoft.ML;

namespace MlNetIso.Transforms.Persistence;

/// <summary>
/// A transformer whose state <c>mlContext.Model.Save</c> cannot carry (ML.NET's save context is internal), but that
/// can write itself into a folder of a package zip. <see cref="PackagedModelOperations.SavePackaged(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/>
/// stores such steps next to ordinary ML.NET model segments; loading instantiates <see cref="StepReaderType"/>.
/// </summary>
public interface IPackagedTransformer : ITransformer
{
    /// <summary>
    /// A public type with a parameterless constructor implementing <see cref="IPackagedStepReader"/> that can read back
    /// what <see cref="WriteStep"/> writes. Its assembly-qualified name is recorded in the package manifest.
    /// </summary>
    Type StepReaderType { get; }

    /// <summary>Writes this transformer's state as entries under <paramref name="folder"/> (ends with '/') of <paramref name="zip"/>.</summary>
    void WriteStep(ZipArchive zip, string folder);
}
