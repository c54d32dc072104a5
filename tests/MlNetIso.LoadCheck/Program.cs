using Microsoft.ML;

namespace MlNetIso.LoadCheck;

/// <summary>
/// Loads a saved ML.NET model (with <c>--loader packaged</c>: a model saved by <c>SavePackaged</c>) in this (fresh) process and applies it to saved data.
/// <code>
/// dotnet MlNetIso.LoadCheck.dll --model model.zip --input input.idv --output output.idv [--bind-trainer Column] [--loader packaged]
/// </code>
/// Input and output are ML.NET binary data views (<c>mlContext.Data.SaveAsBinary</c>), which keep column types and
/// vector sizes exactly. Standard output lists the output schema as <c>column&lt;TAB&gt;name&lt;TAB&gt;type</c> lines;
/// with <c>--bind-trainer</c> a k-means trainer is fitted on that column of the output (it only binds to a known-size
/// <c>Vector&lt;Single&gt;</c>) and <c>trainer-bound&lt;TAB&gt;name</c> is printed. Exit code 0 on success, 1 on bad
/// arguments, 2 when loading or applying the model fails (the error goes to standard error).
/// <para>With <c>--save-loop target.zip</c> it is the victim of the kill-during-save tests instead: it loads the package
/// and saves it with <c>SavePackaged</c> to the target over and over, printing <c>saving i</c> before and <c>saved i</c>
/// after each save, until it is killed.</para>
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        LoadCheckArguments arguments;
        try
        {
            arguments = LoadCheckArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(LoadCheckArguments.Usage);
            return 1;
        }

        try
        {
            Run(arguments);
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"load-check failed: {e}");
            return 2;
        }
    }

    private static void Run(LoadCheckArguments arguments)
    {
        var mlContext = new MLContext(seed: 0);
        if (arguments.SaveLoopTarget is { } target)
        {
            var package = mlContext.Model.LoadPackaged(arguments.ModelPath, out var schema);
            for (long i = 0; ; i++)
            {
                Console.WriteLine($"saving {i}");
                mlContext.Model.SavePackaged(package, schema, target);
                Console.WriteLine($"saved {i}");
            }
        }
        var model = arguments.PackagedLoader
            ? mlContext.Model.LoadPackaged(arguments.ModelPath, out _)
            : mlContext.Model.Load(arguments.ModelPath, out _);
        var input = mlContext.Data.LoadFromBinary(arguments.InputPath);
        var output = model.Transform(input);

        foreach (var column in output.Schema.Where(c => !c.IsHidden))
            Console.WriteLine($"column\t{column.Name}\t{column.Type}");

        using (var stream = File.Create(arguments.OutputPath))
            mlContext.Data.SaveAsBinary(output, stream, keepHidden: false);

        if (arguments.BindTrainerColumn is { } featureColumn)
        {
            mlContext.Clustering.Trainers.KMeans(featureColumn, numberOfClusters: 2).Fit(output);
            Console.WriteLine($"trainer-bound\t{featureColumn}");
        }
    }
}
