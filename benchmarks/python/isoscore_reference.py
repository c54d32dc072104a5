"""The authors' IsoScore procedure, timed on the rows MlNetIso measures (reference measurement only; never run by
tests or CI).

Re-creates the steps of IsoScore.py in the IsoScore authors' repository (Rudman, Gillman, Rayne & Eickhoff,
arXiv 2108.07344; docs/benchmarks.md in this repository describes them): the points are taken in the authors' layout
(n dimensions × m points), reoriented onto their n principal axes with scikit-learn's PCA (all n components, so the
full SVD of the centred m × n matrix), the variance vector is the diagonal of numpy's full n × n covariance of the
rotated points, normalised to length √n, the isotropy defect δ = ‖Σ̂ − 1‖ / √(2(n − √n)) and the score
((n − δ²(n − √n))² − n) / (n(n − 1)).

Input: a raw little-endian float32 file of m × d values, row-major (the .NET benchmark writes it). The array is
converted to --dtype before timing (a user with float32 embeddings passes float32: scikit-learn then runs the SVD in
float32; float64 is the accurate variant). Run with OpenBLAS's AVX-512 kernels, e.g.

    OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/python/isoscore_reference.py \\
        --rows rows.f32 --m 20000 --d 768

Prints the BLAS in use, then `RESULT {json}`: the best (minimum wall) of --repeats runs, with the CPU seconds of the
same run and the time of each step.
"""
import argparse
import json
import math
import time

import numpy
from sklearn.decomposition import PCA

import blas_report


def authors_isoscore(points, timings):
    """IsoScore of `points` (n dimensions × m points) by the authors' seven steps; step times go into `timings`."""
    n = points.shape[0]
    start = time.perf_counter()
    rotated = PCA(n_components=n).fit_transform(points.T).T            # step 2: PCA reorientation (n × m)
    timings["pca_s"] = time.perf_counter() - start
    start = time.perf_counter()
    variances = numpy.cov(rotated)[numpy.diag_indices(n)]              # step 3: diagonal of the full covariance
    timings["cov_s"] = time.perf_counter() - start
    normalised = variances * math.sqrt(n) / numpy.linalg.norm(variances)                       # step 4
    defect = numpy.linalg.norm(normalised - numpy.ones(n)) / math.sqrt(2 * (n - math.sqrt(n)))  # step 5
    return ((n - defect ** 2 * (n - math.sqrt(n))) ** 2 - n) / (n * (n - 1))                  # steps 6 and 7


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", required=True, help="raw float32 file, m × d row-major")
    parser.add_argument("--m", type=int, required=True, help="rows (points)")
    parser.add_argument("--d", type=int, required=True, help="columns (dimensions)")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--repeats", type=int, default=3, help="runs; the minimum wall time is reported")
    parser.add_argument("--threads", type=int, default=0, help="OpenBLAS threads (0: leave as the environment sets)")
    args = parser.parse_args()

    if args.threads > 0:
        blas_report.set_threads(args.threads)
    blas_report.print_report()
    rows = numpy.fromfile(args.rows, dtype="<f4")
    if rows.size != args.m * args.d:
        raise SystemExit(f"{args.rows} holds {rows.size} float32 values; expected {args.m} × {args.d} = {args.m * args.d}")
    points = rows.reshape(args.m, args.d).astype(args.dtype).T  # the authors' layout: dimensions × points

    best = None
    for _ in range(args.repeats):
        timings = {}
        cpu0, wall0 = time.process_time(), time.perf_counter()
        score = authors_isoscore(points, timings)
        timings["wall_s"], timings["cpu_s"] = time.perf_counter() - wall0, time.process_time() - cpu0
        if best is None or timings["wall_s"] < best["wall_s"]:
            best = dict(timings, isoscore=float(score))
    print("RESULT " + json.dumps(dict(best, dtype=args.dtype, m=args.m, d=args.d,
                                      threads=blas_report.describe().get("openblas_threads"))))


if __name__ == "__main__":
    main()
