"""Dense-product peak of this machine on OpenBLAS: float32 and float64 GEMM (n × n · n × n), 1 and 2 threads.

Reference measurement only (never run by tests or CI). Run it with OpenBLAS's AVX-512 kernels selected, e.g.

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 benchmarks/python/gemm_peak.py

(this VM's CPUID makes OpenBLAS pick narrower kernels otherwise). Prints the BLAS in use, then one line per case,
`RESULT {json}` with the best (minimum wall) of --repeats products: GFLOP/s = 2n³ / wall seconds. The CPU seconds of
the process over the same product are reported beside it, with 2n³ / CPU seconds (the rate per busy core, which a
shared machine disturbs less than the wall-clock rate).
"""
import argparse
import json
import time

import numpy

import blas_report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048, help="matrix order (default 2048)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="OpenBLAS thread counts (default 1 2)")
    parser.add_argument("--repeats", type=int, default=7, help="products per case; the minimum is reported")
    args = parser.parse_args()

    blas_report.print_report()
    rng = numpy.random.default_rng(0)
    for dtype in (numpy.float32, numpy.float64):
        a = rng.standard_normal((args.n, args.n)).astype(dtype)
        b = rng.standard_normal((args.n, args.n)).astype(dtype)
        for threads in args.threads:
            blas_report.set_threads(threads)
            a @ b  # warm-up: thread pool start, page faults
            best_wall, best_cpu = float("inf"), float("inf")
            for _ in range(args.repeats):
                cpu0, wall0 = time.process_time(), time.perf_counter()
                a @ b
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                if wall < best_wall:
                    best_wall, best_cpu = wall, cpu
            flops = 2.0 * args.n ** 3
            print("RESULT " + json.dumps({
                "dtype": numpy.dtype(dtype).name, "threads": threads, "n": args.n,
                "wall_s": best_wall, "cpu_s": best_cpu, "gflops": flops / best_wall / 1e9,
                "gflops_per_cpu_s": flops / best_cpu / 1e9}))


if __name__ == "__main__":
    main()
