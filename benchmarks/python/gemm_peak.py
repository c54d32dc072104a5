"""Dense-product peak of this machine on OpenBLAS: float32 and float64 GEMM (n × n · n × n), 1 and 2 threads,
or float32 products of given shapes (--shapes 1024x128x512 ...).

Reference measurement only (never run by tests or CI). Run it with OpenBLAS's AVX-512 kernels selected, e.g.

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 benchmarks/python/gemm_peak.py

(this VM's CPUID makes OpenBLAS pick narrower kernels otherwise). Prints the BLAS in use, then one line per case and
thread count, `RESULT {json}` with the best (minimum wall) of --repeats timed blocks, per product: GFLOP/s = 2mkn /
wall seconds. The CPU seconds of the process over the same block are reported beside it, with 2mkn / CPU seconds (the
rate per busy core, which a shared machine disturbs less than the wall-clock rate).
"""
import argparse
import json
import time

import numpy

import blas_report


def best_product(a, b, repeats):
    """Best (minimum wall) seconds per product over `repeats` blocks, and the CPU seconds of that block per product.

    A block is as many products as make about 0.4 GFLOP (at least one), so small shapes are not timed one call at a
    time."""
    m, k = a.shape
    n = b.shape[1]
    per_block = max(1, min(400, int(4e8 / (2.0 * m * k * n))))
    a @ b  # warm-up: thread pool start, page faults
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(per_block):
            a @ b
        wall, cpu = (time.perf_counter() - wall0) / per_block, (time.process_time() - cpu0) / per_block
        if wall < best_wall:
            best_wall, best_cpu = wall, cpu
    return best_wall, best_cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048, help="matrix order (default 2048)")
    parser.add_argument("--shapes", nargs="+", metavar="MxKxN",
                        help="float32 products of these shapes (m x k times k x n) instead of the float32 and float64 n x n ones")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="OpenBLAS thread counts (default 1 2)")
    parser.add_argument("--repeats", type=int, default=7, help="timed blocks per case; the minimum is reported")
    args = parser.parse_args()

    blas_report.print_report()
    rng = numpy.random.default_rng(0)
    if args.shapes:
        cases = [(numpy.float32, tuple(int(x) for x in shape.split("x"))) for shape in args.shapes]
    else:
        cases = [(dtype, (args.n, args.n, args.n)) for dtype in (numpy.float32, numpy.float64)]
    for dtype, (m, k, n) in cases:
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        for threads in args.threads:
            blas_report.set_threads(threads)
            best_wall, best_cpu = best_product(a, b, args.repeats)
            flops = 2.0 * m * k * n
            print("RESULT " + json.dumps({
                "dtype": numpy.dtype(dtype).name, "threads": threads, "m": m, "k": k, "n": n,
                "wall_s": best_wall, "cpu_s": best_cpu, "gflops": flops / best_wall / 1e9,
                "gflops_per_cpu_s": flops / best_cpu / 1e9}))


if __name__ == "__main__":
    main()
