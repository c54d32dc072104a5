using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>
/// Streams <c>rows</c> short texts (the corpus repeated) through the transform with one cursor and samples, every
/// <c>interval</c> rows, the managed heap after a full collection (<see cref="GC.GetTotalMemory(bool)"/>) and the
/// process working set. A lazy, batched cursor keeps both flat: max − min should not grow with the row count.
/// </summary>
internal static class MemoryFlatness
{
    public static void Run(TransformRunner runner, IReadOnlyList<string> corpus, int rows, int interval)
    {
        var inv = CultureInfo.InvariantCulture;
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(Repeat(corpus, rows));
        var output = runner.Transformer.Transform(data);
        var column = output.Schema["Embedding"];
        Console.WriteLine($"## Memory over {rows:N0} rows ({corpus.Count:N0} distinct short texts repeated; one cursor; sample every {interval:N0} rows)");
        Console.WriteLine("| rows | managed heap after full GC (MB) | working set (MB) | elapsed s | rows/s so far |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var heaps = new List<double>();
        var sets = new List<double>();
        var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(inv,
            $"| 0 (fitted, before streaming) | {GC.GetTotalMemory(forceFullCollection: true) / 1e6:0.0} | {process.WorkingSet64 / 1e6:0.0} | | |"));
        var sw = Stopwatch.StartNew();
        using (var cursor = output.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            double checksum = 0;
            long row = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                checksum += value.GetValues()[0];
                if (++row % interval != 0) continue;
                var heap = GC.GetTotalMemory(forceFullCollection: true) / 1e6;
                process.Refresh();
                var set = process.WorkingSet64 / 1e6;
                heaps.Add(heap);
                sets.Add(set);
                Console.WriteLine(string.Create(inv,
                    $"| {row:N0} | {heap:0.0} | {set:0.0} | {sw.Elapsed.TotalSeconds:0.0} | {row / sw.Elapsed.TotalSeconds:0.0} |"));
            }
            if (row != rows) throw new InvalidOperationException($"The cursor returned {row} rows; {rows} were streamed in.");
            if (!double.IsFinite(checksum)) throw new InvalidOperationException("Non-finite embeddings in the memory run.");
        }
        Console.WriteLine(string.Create(inv,
            $"max − min over the {interval:N0}-row samples: managed heap {heaps.Max() - heaps.Min():0.0} MB, working set {sets.Max() - sets.Min():0.0} MB " +
            $"(over {heaps.Count} samples, {sw.Elapsed.TotalSeconds:0} s, {rows / sw.Elapsed.TotalSeconds:0.0} rows/s)"));
        Console.WriteLine();
    }

    private static IEnumerable<TransformRunner.TextRow> Repeat(IReadOnlyList<string> corpus, int rows)
    {
        for (var i = 0; i < rows; i++) yield return new TransformRunner.TextRow { Text = corpus[i % corpus.Count] };
    }
}
