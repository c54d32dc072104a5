"""PyTorch reference for the encoder benchmark: a plain BERT forward pass + mean pooling + L2 normalisation.

Reference measurement only (never run by tests or CI). The weights are the Hugging Face folder that
`OnnxBertImport.ToHuggingFaceFolder` writes from the ONNX export the .NET side runs (config.json + model.safetensors,
read here with numpy: no transformers/safetensors packages needed), so both sides compute with the SAME weights.
The token ids come from the .NET side (its WordPiece tokenizer, same truncation), one text per line, so both sides
embed the same token sequences; tokenisation is therefore NOT timed here (the .NET transform's times include it).

Batching is what sentence-transformers' `encode` does: texts sorted by length (longest first), batches of --batch,
each padded to its own longest sequence, `torch.inference_mode()`. The model is the eager Hugging Face BERT
(post-LayerNorm, exact erf GELU, additive mask (1 - m) * finfo.min as transformers 4.x builds it).

Run it with OpenBLAS's AVX-512 kernels selected and the thread count of the .NET side (the `encoder` benchmark verb
does this, in three thread configurations: torch threads = OpenBLAS threads with OpenMP spin-waiting, the same with
--omp-passive, and --torch-threads 1), e.g.

    OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 benchmarks/python/bert_reference.py \
        --model-dir DIR --tokens FILE --threads 2 --torch-threads 1 --reps 5

Prints the BLAS in use (`# ...` lines), then `RESULT {json}` lines: one per timed repetition (wall and process CPU
seconds for all texts), and one with the first --check embeddings (for the .NET side to compare with its own).
"""
import argparse
import json
import math
import os
import time

import numpy

import blas_report

torch = None  # imported in main(), after OMP_WAIT_POLICY is settled (libgomp reads it when it loads)
F = None

DTYPES = {"F32": numpy.float32, "F16": numpy.float16, "F64": numpy.float64}


def read_safetensors(path):
    """name -> float32 torch tensor, from a .safetensors file (8-byte little-endian header length, JSON header, data)."""
    with open(path, "rb") as f:
        header_len = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(header_len))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = numpy.frombuffer(data[start:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name.removeprefix("bert.")] = torch.from_numpy(array.astype(numpy.float32))
    return tensors


class Bert:
    """Eager BERT encoder over Hugging Face tensors (the computation of transformers' BertModel, without dropout)."""

    def __init__(self, config, weights):
        self.w = weights
        self.layers = config["num_hidden_layers"]
        self.heads = config["num_attention_heads"]
        self.hidden = config["hidden_size"]
        self.eps = config.get("layer_norm_eps", 1e-12)

    def linear(self, x, prefix):
        return F.linear(x, self.w[prefix + ".weight"], self.w[prefix + ".bias"])

    def layer_norm(self, x, prefix):
        return F.layer_norm(x, (self.hidden,), self.w[prefix + ".weight"], self.w[prefix + ".bias"], self.eps)

    def forward(self, ids, mask):
        b, s = ids.shape
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:s].unsqueeze(0)
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self.layer_norm(x, "embeddings.LayerNorm")
        additive = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        d = self.hidden // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def heads(t):
                return t.view(b, s, self.heads, d).transpose(1, 2)

            q = heads(self.linear(x, p + "attention.self.query"))
            k = heads(self.linear(x, p + "attention.self.key"))
            v = heads(self.linear(x, p + "attention.self.value"))
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + additive
            context = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, s, self.hidden)
            h = self.layer_norm(self.linear(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = F.gelu(self.linear(h, p + "intermediate.dense"))
            x = self.layer_norm(self.linear(inner, p + "output.dense") + h, p + "output.LayerNorm")
        return x


def embed_all(model, sequences, batch):
    """Embeddings (mean over real tokens, L2-normalised) of every sequence, in input order."""
    order = sorted(range(len(sequences)), key=lambda i: -len(sequences[i]))
    out = torch.empty(len(sequences), model.hidden)
    with torch.inference_mode():
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            longest = max(len(sequences[i]) for i in chunk)
            ids = torch.zeros(len(chunk), longest, dtype=torch.long)
            mask = torch.zeros(len(chunk), longest, dtype=torch.long)
            for row, i in enumerate(chunk):
                ids[row, :len(sequences[i])] = torch.tensor(sequences[i])
                mask[row, :len(sequences[i])] = 1
            states = model.forward(ids, mask)
            m = mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * m).sum(1) / m.sum(1).clamp(min=1e-9)
            out[chunk] = F.normalize(pooled, p=2, dim=1)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True, help="folder with config.json and model.safetensors")
    parser.add_argument("--tokens", required=True, help="token ids, one text per line, space-separated")
    parser.add_argument("--threads", type=int, default=1, help="OpenBLAS threads (= the .NET side's intra-op threads)")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch (ATen/OpenMP) intra-op threads; default = --threads")
    parser.add_argument("--omp-passive", action="store_true",
                        help="OMP_WAIT_POLICY=PASSIVE: idle OpenMP threads sleep instead of spinning")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions after one warm-up")
    parser.add_argument("--check", type=int, default=16, help="embeddings printed for the parity check")
    args = parser.parse_args()

    global torch, F
    if args.omp_passive:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    import torch as torch_module
    import torch.nn.functional as functional
    torch, F = torch_module, functional
    torch.set_num_threads(args.torch_threads or args.threads)
    blas_report.set_threads(args.threads)
    blas_report.print_report()
    print(f"# torch {torch.__version__}: ATen/OpenMP intra-op threads {torch.get_num_threads()}, OpenBLAS threads "
          f"{args.threads}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'default (spin)')}")
    with open(f"{args.model_dir}/config.json") as f:
        config = json.load(f)
    model = Bert(config, read_safetensors(f"{args.model_dir}/model.safetensors"))
    with open(args.tokens) as f:
        sequences = [[int(t) for t in line.split()] for line in f if line.strip()]

    first = embed_all(model, sequences, args.batch)  # warm-up (allocator, OpenBLAS threads)
    print("RESULT " + json.dumps({"kind": "check", "embeddings": first[:args.check].tolist()}))
    for rep in range(args.reps):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        embed_all(model, sequences, args.batch)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        print("RESULT " + json.dumps({"kind": "timing", "rep": rep, "texts": len(sequences), "wall_s": wall, "cpu_s": cpu}))


if __name__ == "__main__":
    main()
