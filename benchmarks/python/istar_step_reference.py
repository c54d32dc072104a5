"""PyTorch reference for the I-STAR fine-tune step: the same network, batch, loss and optimiser as the .NET side.

Reference measurement only (never run by tests or CI); the `istar-vs-torch` benchmark verb runs it.

One step is what an I-STAR user writes in PyTorch 1.13 (the version Debian ships), the way the authors' I-STAR code
(`I-STAR/run_model.py::_run_batch`) does it: a Hugging Face-style eager BERT in training mode (post-LayerNorm, exact
erf GELU, dropout 0.1 on embeddings, attention probabilities and both residual branches, additive mask
(1 - m) * finfo.min), mean pooling over real tokens, a linear head, cross-entropy, and for lambda != 0 the penalty
lambda * (1 - IsoScore*(points; C0, zeta)) recorded in autograd; then `zero_grad(set_to_none=True)`, backward and
`torch.optim.AdamW` (lr 1e-4, weight decay 0). The points are the token states of every transformer layer (or the
last), padding positions left out. IsoScore* is taken in one of two forms:

* `trace` (default): (T^2/F - 1)/(n - 1) with T = tr Cz, F = ||Cz||_F^2 -- the same value as the authors' spectral
  form and the cheapest differentiable form we know, so the strongest reference;
* `svd`: the authors' form, `torch.cov` + `torch.linalg.svdvals` + the IsoScore tail.

Shapes default to the .NET `istar-step` benchmark's fine-tune case: BERT 2 x 128 (4 heads, FFN 512, vocab 8000),
batch 32 x 32 tokens, rows 0-15 padded after 20 tokens. Weights are random (N(0, 0.02), as Hugging Face initialises);
the step time does not depend on their values.

Run it with OpenBLAS's AVX-512 kernels and the .NET side's thread count, e.g.

    OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \
        benchmarks/python/istar_step_reference.py --threads 1 --lambdas 0,-1

Prints the BLAS in use (`# ...` lines), then one `RESULT {json}` line per lambda with the median ms/step over
--rounds blocks of --steps steps (after --warmup steps), wall and process CPU time.
"""
import argparse
import json
import math
import os
import statistics
import time

import blas_report

torch = None  # imported in main(), after OMP_WAIT_POLICY is settled (libgomp reads it when it loads)
F = None
nn = None


def build_model(args):
    class SelfAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.query = nn.Linear(args.hidden, args.hidden)
            self.key = nn.Linear(args.hidden, args.hidden)
            self.value = nn.Linear(args.hidden, args.hidden)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, additive):
            b, s, _ = x.shape
            d = args.hidden // args.heads

            def heads(t):
                return t.view(b, s, args.heads, d).permute(0, 2, 1, 3)

            q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + additive
            probs = self.dropout(torch.softmax(scores, dim=-1))
            return torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(b, s, args.hidden)

    class DenseAddNorm(nn.Module):
        def __init__(self, inputs, outputs):
            super().__init__()
            self.dense = nn.Linear(inputs, outputs)
            self.LayerNorm = nn.LayerNorm(outputs, eps=1e-12)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, residual):
            return self.LayerNorm(self.dropout(self.dense(x)) + residual)

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.attention = SelfAttention()
            self.attention_output = DenseAddNorm(args.hidden, args.hidden)
            self.intermediate = nn.Linear(args.hidden, args.intermediate)
            self.output = DenseAddNorm(args.intermediate, args.hidden)

        def forward(self, x, additive):
            h = self.attention_output(self.attention(x, additive), x)
            return self.output(F.gelu(self.intermediate(h)), h)

    class Network(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(args.vocab, args.hidden)
            self.position = nn.Embedding(512, args.hidden)
            self.token_type = nn.Embedding(2, args.hidden)
            self.LayerNorm = nn.LayerNorm(args.hidden, eps=1e-12)
            self.dropout = nn.Dropout(0.1)
            self.layers = nn.ModuleList([Layer() for _ in range(args.layers)])
            self.head = nn.Linear(args.hidden, 2)
            for name, p in self.named_parameters():
                if name.endswith("LayerNorm.weight"):
                    nn.init.ones_(p)
                elif name.endswith(".bias"):
                    nn.init.zeros_(p)
                else:
                    nn.init.normal_(p, 0.0, 0.02)

        def forward(self, ids, mask):
            b, s = ids.shape
            positions = torch.arange(s).unsqueeze(0)
            x = self.word(ids) + self.position(positions) + self.token_type(torch.zeros_like(ids))
            x = self.dropout(self.LayerNorm(x))
            additive = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            states = []
            for layer in self.layers:
                x = layer(x, additive)
                states.append(x)
            m = mask.unsqueeze(-1).to(x.dtype)
            logits = self.head((x * m).sum(1) / m.sum(1).clamp(min=1e-9))
            chosen = states if args.points == "all" else states[-1:]
            keep = mask.reshape(-1).nonzero().squeeze(1)
            points = torch.cat([h.reshape(-1, args.hidden).index_select(0, keep) for h in chosen], 0)
            return logits, points

    return Network()


def isoscore_star_trace(points, c0, zeta):
    c = torch.cov(points.t())
    cz = (1 - zeta) * c + zeta * c0
    t = torch.trace(cz)
    f = (cz * cz).sum()
    n = cz.shape[0]
    return (t * t / f - 1) / (n - 1)


def isoscore_star_svd(points, c0, zeta):
    """The authors' form: covariance, shrinkage, singular values, normalised spectrum, defect, dimensions used."""
    c = torch.cov(points.t())
    cz = (1 - zeta) * c + zeta * c0
    eig = torch.linalg.svdvals(cz)
    n = eig.shape[0]
    normalised = math.sqrt(n) * eig / torch.linalg.norm(eig)
    defect = torch.linalg.norm(normalised - 1) / math.sqrt(2 * (n - math.sqrt(n)))
    k = (n - defect ** 2 * (n - math.sqrt(n))) ** 2
    return (k - n) / (n * (n - 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="OpenBLAS threads (= the .NET side's intra-op threads)")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch (ATen/OpenMP) intra-op threads; default = --threads")
    parser.add_argument("--omp-passive", action="store_true",
                        help="OMP_WAIT_POLICY=PASSIVE: idle OpenMP threads sleep instead of spinning")
    parser.add_argument("--lambdas", default="0,-1")
    parser.add_argument("--zeta", type=float, default=0.2)
    parser.add_argument("--form", choices=["trace", "svd"], default="trace")
    parser.add_argument("--foreach", action="store_true", help="AdamW(foreach=True): the multi-tensor update")
    parser.add_argument("--points", choices=["all", "last"], default="all")
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--intermediate", type=int, default=512)
    parser.add_argument("--vocab", type=int, default=8000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--length", type=int, default=32)
    parser.add_argument("--padded-rows", type=int, default=16, help="rows padded after --real-tokens tokens")
    parser.add_argument("--real-tokens", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    global torch, F, nn
    if args.omp_passive:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    import torch as torch_module
    torch = torch_module
    F = torch.nn.functional
    nn = torch.nn
    torch.set_num_threads(args.torch_threads or args.threads)
    blas_report.set_threads(args.threads)
    blas_report.print_report()
    print(f"# torch {torch.__version__}: ATen/OpenMP intra-op threads {torch.get_num_threads()}, OpenBLAS threads {args.threads}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'default (spin)')}, form {args.form}, foreach {args.foreach}")

    torch.manual_seed(2)
    model = build_model(args)
    ids = torch.randint(5, args.vocab, (args.batch, args.length))
    mask = torch.ones(args.batch, args.length, dtype=torch.long)
    mask[:args.padded_rows, args.real_tokens:] = 0
    target = torch.randint(0, 2, (args.batch,))
    with torch.no_grad():
        _, points = model(ids, mask)
        c0 = torch.cov(points.double().t()).float()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0, foreach=args.foreach)
    score_of = isoscore_star_trace if args.form == "trace" else isoscore_star_svd
    model.train()

    def step(lam):
        logits, points = model(ids, mask)
        loss = F.cross_entropy(logits, target)
        if lam != 0:
            loss = loss + lam * (1 - score_of(points, c0, args.zeta))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    lambdas = [float(x) for x in args.lambdas.split(",")]
    for lam in lambdas:
        for _ in range(args.warmup):
            step(lam)
    blocks = {lam: [] for lam in lambdas}
    for _ in range(args.rounds):
        for lam in lambdas:  # alternating blocks, so drift hits every variant
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for _ in range(args.steps):
                step(lam)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            blocks[lam].append((1000 * wall / args.steps, 1000 * cpu / args.steps))
    for lam in lambdas:
        print("RESULT " + json.dumps({
            "lambda": lam, "form": args.form, "foreach": args.foreach, "threads": args.threads, "torch_threads": torch.get_num_threads(),
            "omp_passive": args.omp_passive,
            "wall_ms": statistics.median(w for w, _ in blocks[lam]),
            "cpu_ms": statistics.median(c for _, c in blocks[lam]),
            "blocks_wall_ms": [w for w, _ in blocks[lam]],
        }))


if __name__ == "__main__":
    main()
