using Microsoft.ML;
using MlNetIso.Transforms.Persistence;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// <c>mlContext.Model.SaveWithIStar</c> / <c>LoadWithIStar</c>: save and load a pipeline that contains an
/// <see cref="IStarTransformer"/> (plus any built-in ML.NET transformers and other packaged MlNetIso steps) as one
/// file. They are the general <see cref="PackagedModelOperations"/> calls under the name the I-STAR error messages use.
/// </summary>
public static class IStarModelOperations
{
    /// <summary>Saves <paramref name="model"/> and its <paramref name="inputSchema"/> to <paramref name="filePath"/>.</summary>
    public static void SaveWithIStar(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath) =>
        catalog.SavePackaged(model, inputSchema, filePath);

    /// <summary>Loads a pipeline saved by <see cref="SaveWithIStar"/> as a flat transformer chain; returns its input schema.</summary>
    public static ITransformer LoadWithIStar(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema) =>
        catalog.LoadPackaged(filePath, out inputSchema);
}
