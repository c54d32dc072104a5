using System.Globalization;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Benchmarks.Python;
using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Benchmarks.Encoder;

/// <summary>
/// The PyTorch side of the encoder comparison: <c>benchmarks/python/bert_reference.py</c> (a plain PyTorch 1.13 BERT
/// forward + mean pooling + L2 normalisation, sentence-transformers' batching) run by Debian's Python on OpenBLAS with
/// its AVX-512 kernels (<see cref="PythonReference"/> sets <c>OPENBLAS_CORETYPE=SkylakeX</c> for that process only),
/// on the same weights — imported from the ONNX file with <see cref="OnnxBertImport.ToHuggingFaceFolder"/> — and the
/// same token ids (written by our tokenizer, so tokenisation is not part of its time).
/// </summary>
internal sealed class TorchReference : IDisposable
{
    private readonly string _python;
    private readonly string _folder;

    /// <summary>Thread configurations tried (all with OpenBLAS at the .NET side's thread count); the fastest is the reference.</summary>
    public static IReadOnlyList<TorchThreading> Configurations(int threads) =>
    [
        new($"torch {threads} + OpenBLAS {threads} threads (OpenMP spin-wait, the default)", threads, OmpPassive: false),
        new($"torch {threads} + OpenBLAS {threads} threads, OMP_WAIT_POLICY=PASSIVE", threads, OmpPassive: true),
        new($"torch 1 + OpenBLAS {threads} threads", 1, OmpPassive: false),
    ];

    public TorchReference(string python, string onnxModelPath)
    {
        _python = python;
        _folder = Path.Combine(Path.GetTempPath(), $"mlnetiso-torch-reference-{Environment.ProcessId}");
        OnnxBertImport.ToHuggingFaceFolder(onnxModelPath, _folder);
    }

    /// <summary>Runs the reference on the workload's token sequences; returns its timings and first embeddings.</summary>
    public TorchRun Run(EncoderWorkload workload, BertTextTokenizer tokenizer, int threads, TorchThreading threading, int reps,
        int check, Action<string> log)
    {
        var tokens = Path.Combine(_folder, "tokens.txt");
        File.WriteAllLines(tokens, workload.Texts.Select(t =>
            string.Join(' ', tokenizer.Encode(t, workload.MaxTokens).Select(id => id.ToString(CultureInfo.InvariantCulture)))));
        var inv = CultureInfo.InvariantCulture;
        string[] arguments =
        [
            "--model-dir", _folder, "--tokens", tokens, "--threads", threads.ToString(inv),
            "--torch-threads", threading.TorchThreads.ToString(inv), "--reps", reps.ToString(inv), "--check", check.ToString(inv),
            .. threading.OmpPassive ? new[] { "--omp-passive" } : [],
        ];
        var run = PythonReference.Run(_python, PythonReference.Script("bert_reference.py"), arguments, threads, TimeSpan.FromMinutes(15));
        var results = run.Checked("bert_reference.py");
        foreach (var line in run.BlasLines.Where(l => l.Contains("torch", StringComparison.Ordinal) || l.Contains("openblas_core", StringComparison.Ordinal)))
            log("    " + line);
        var timings = results.Where(r => r.GetProperty("kind").GetString() == "timing")
            .Select(r => new Timing(r.GetProperty("wall_s").GetDouble(), r.GetProperty("cpu_s").GetDouble())).ToList();
        var embeddings = results.Single(r => r.GetProperty("kind").GetString() == "check").GetProperty("embeddings")
            .EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        return new TorchRun(threading, timings, embeddings);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is not worth failing the benchmark for
        }
    }
}
