using MlNetIso.Benchmarks.IStar;
using MlNetIso.Benchmarks.IStar.Study;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Benchmarks.Extensions;
using MlNetIso.Benchmarks.IsoScore;
using MlNetIso.Benchmarks.Kernels;
using MlNetIso.Benchmarks.Peak;
using MlNetIso.Benchmarks.Study;

namespace MlNetIso.Benchmarks;

/// <summary>
/// Benchmark entry point: <c>dotnet run -c Release --project benchmarks/MlNetIso.Benchmarks -- &lt;suite&gt; [options]</c>.
/// Each suite is a verb; add a new one by adding an entry to <see cref="Suites"/>.
/// </summary>
internal static class Program
{
    /// <summary>Verb → (description, runner). Runners return the process exit code.</summary>
    private static readonly Dictionary<string, (string Description, Func<string[], int> Run)> Suites = new(StringComparer.OrdinalIgnoreCase)
    {
        ["isoscore"] = ("IsoScore end to end (1 and 2 threads) vs the authors' numpy/sklearn procedure on OpenBLAS (AVX-512 kernels), share of the measured machine peak, float32 study (options: --quick, --reps N, --ref-reps N, --python <exe>, --no-python, --data <dir>)",
            IsoScoreBenchmark.Run),
        ["kernels"] = ("BenchmarkDotNet micro-benchmarks of the geometry kernels with a GFLOP/s column (arguments go to BenchmarkDotNet, e.g. --filter *RankK*)",
            KernelSuite.Run),
        ["peak"] = ("Machine peak: core clock, register-only FMA loop, theoretical FMA peak, OpenBLAS float32/float64 GEMM at 1 and 2 threads (options: --python <exe>, --no-python)",
            PeakSuite.Run),
        ["istar-step"] = ("I-STAR training step time, λ ≠ 0 vs λ = 0, head-only and fine-tune (options: --quick, --threads n; --parts: the head-only regulariser's cost by part)", IStarStepBenchmark.Run),
        ["istar-vs-torch"] = ("I-STAR fine-tune step vs PyTorch 1.13 on OpenBLAS (AVX-512 kernels), same network, batch, loss and AdamW, at 1 and 2 threads, with the step's phases, the dense products of its shapes on both sides, and our step with another process spinning on a core (options: --threads 1,2, --rounds N, --steps N, --quick, --python <exe>, --no-python, --no-busy-core, --libtorch-ops)", IStarTorchComparison.Run),
        ["istar-threads"] = ("I-STAR Fit time with 1, 2 and libtorch's default TorchSharp threads, head-only (3,000 rows) and fine-tune (options: --rounds N, --quick)", IStarThreadsBenchmark.Run),
        ["istar-scoring"] = ("I-STAR scoring: Transform in blocks of 64 rows vs row by row, head-only and fine-tune (options: --quick, --libtorch-ops: without the encoder's CPU kernels)", IStarScoringBenchmark.Run),
        ["encoder"] = ("Real-encoder throughput (all-MiniLM-L6-v2): transform vs raw ONNX Runtime vs PyTorch on OpenBLAS, τ=0.8 vs τ=1, int8 vs float32 and its accuracy, ONNX Runtime fusions, threads, memory over 100k texts (options: --model <name|dir>, --threads N, --reps N, --only memory,peak,throughput,torch,fusions,threads,int8, --quick, --python <exe>, --no-python, --data <dir>)",
            Encoder.EncoderBenchmark.Run),
        ["istar-binary-evidence"] = ("Binary I-STAR accuracy/AUC/isotropy for λ ∈ {−1,0,1} × seeds on rt-polarity and SMS spam, with an L-BFGS baseline (options: --data, --seeds, --epochs, --lr, --lambdas, --fine-tune rows [--encoder dir])", IStarBinaryEvidence.Run),
        ["istar-evidence"] = ("I-STAR accuracy/isotropy for λ ∈ {−1,0,1} × seeds on rt-polarity and TREC (options: --data, --encoder, --seeds, --epochs, --lr, --threads, --lambdas, --fine-tune rows)", IStarEvidence.Run),
        ["istar-soak"] = ("Fits --fits I-STAR models (default 50) in one process, head-only and fine-tune, multiclass and binary, and lists every failure, e.g. libtorch's sporadic \"Unknown scalar type\" (options: --fits, --rows, --epochs, --threads, --encoder <dir>)",
            IStarSoak.Run),
        ["istar-study"] = ("I-STAR on all-MiniLM-L6-v2 (issue 11 §2): fine-tune and head-only runs per λ × seed × dataset, one JSON line per run, resumable (options: --out FILE, --data, --encoder, --datasets rt-polarity,trec,subjectivity, --lambdas, --seeds, --rows, --test-rows, --epochs, --lr, --max-tokens, --bank, --head-epochs, --head-lr, --twonn-sample, --iso-points, --threads; --report FILE [--img dir] prints the tables and writes the plots)",
            IStarStudy.Run),
        ["embedding"] = ("TempScale embedding transform vs raw ONNX Runtime, τ=0.8 vs τ=1, dynamic vs fixed padding, memory over 100k rows (options: --quick, --reps N, --threads N, --model <dir> | --random-encoder [--vocab <file>], --data <dir>)",
            EmbeddingBenchmark.Run),
        ["collapse-study"] = ("Length collapse vs TempScale τ on movie reviews: mean cosine per length bucket with bootstrap CIs, slope, sentiment with τ chosen on training folds (options: --model <dir> | --random-encoder [--vocab <file>], --pooling mean|cls, --temperatures, --modes truncate,chunk, --reviews N, --prefix-lengths 64,128,256,512, --prefix-temperatures, --cache <dir>, --out-dir <dir>, --bootstrap B, --threads N, --data <dir>, --out <file>)",
            CollapseStudy.Run),
        ["tempscale-embed"] = ("Fill the TempScale study's embedding cache (options: --model <dir> --pooling mean|cls, --sets movie-reviews,rt-polarity,subjectivity,trec,ag-news, --temperatures, --modes truncate,chunk, --reviews N, --cache <dir>, --threads N)",
            TempScaleEmbedVerb.Run),
        ["tempscale-downstream"] = ("TempScale on short texts, τ chosen on training data: rt-polarity, subjectivity, TREC-6 (ML.NET logistic regression) and AG News k-means NMI (options: --model <dir> --pooling mean|cls, --tasks, --temperatures, --kmeans-seeds N, --bootstrap B, --cache <dir>, --out-dir <dir>)",
            TempScaleDownstreamVerb.Run),
        ["tempscale-mechanism"] = ("The low-pass mechanism per layer: DC share of token states, attention entropy and σₐ vs prefix length at τ = 1 and τ < 1 (options: --model <dir>, --temperatures, --prefix-lengths, --mechanism-reviews N, --threads N, --out-dir <dir>)",
            TempScaleMechanismVerb.Run),
        ["tempscale-summary"] = ("All TempScale study effects (every encoder) as one Markdown table and a forest plot of the downstream effects (options: --out-dir <dir>, --plot <file.png>)",
            TempScaleSummaryVerb.Run),
        ["embedding-generator"] = ("TempScaleEmbeddingGenerator under concurrent single-text callers, micro-batching on vs off: throughput, p50/p99 latency (options: --model <name|dir>, --callers N, --requests N per caller, --reps N, --delay-ms N, --encoder-batch N, --intra-op N)",
            EmbeddingGeneratorBenchmark.Run),
        ["service"] = ("The sample ASP.NET Core service over loopback HTTP: requests/s and p50/p99 per endpoint under concurrent clients (options: --model <name|dir>, --clients N, --requests N, --corpus N, --training N)",
            ServiceBenchmark.Run),
    };

    private static int Main(string[] args)
    {
        if (args.Length == 0 || !Suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine("usage: MlNetIso.Benchmarks <suite> [options]");
            foreach (var (name, (description, _)) in Suites)
                Console.Error.WriteLine($"  {name,-12} {description}");
            return args.Length == 0 ? 1 : 2;
        }
        return suite.Run(args[1..]);
    }
}
