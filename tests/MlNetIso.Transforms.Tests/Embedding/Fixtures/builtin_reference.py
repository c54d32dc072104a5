#!/usr/bin/env python3
"""Reference sentence embeddings of the built-in encoders, computed without ONNX Runtime or any MlNetIso code.

Writes builtin-reference.json beside this script: for every text, the token ids of Hugging Face's (slow, python)
BertTokenizer rules and the sentence-transformers embedding of all-MiniLM-L6-v2 (mean pooling over the attention mask,
L2) at attention temperature 1 and 0.8, and of snowflake-arctic-embed-xs (CLS pooling, L2) for documents and, with its
query prompt, for a few of the texts as queries.

Independent path: tokenizer = this file's implementation of the BertTokenizer rules (checked with --check-tokenizer
against ../Embedding/Tokenization/Fixtures/hf-bert-expected.json, which was produced by Hugging Face's own code);
encoder = a plain PyTorch BERT forward written here (float64), with TempScale as softmax((QK^T/sqrt(d) + M)/tau),
on the weights of model.safetensors + config.json of each built-in's cache folder (weights recovered from model.onnx
by OnnxBertImport, whose output equals ONNX Runtime on the original graph, see docs/encoders.md); pooling and
normalisation as sentence-transformers' Pooling and Normalize modules. Texts are run one at a time, unpadded.

Usage (Debian's python3-torch 1.13 and numpy; reference measurements only, never run in tests or CI):
  /usr/bin/python3 builtin_reference.py --check-tokenizer
  /usr/bin/python3 builtin_reference.py --minilm <cache>/all-MiniLM-L6-v2/<key> --arctic <cache>/snowflake-arctic-embed-xs/<key>
where the folders are the materialised cache entries after fine-tuning or EncoderFolder.EnsureWeights() has written
model.safetensors into them.
"""
import argparse
import base64
import json
import math
import os
import re
import struct
import sys
import unicodedata

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SPECIALS = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]
ARCTIC_QUERY = "Represent this sentence for searching relevant passages: "
QUERY_TEXTS = {"rt-neg", "accents", "cjk", "empty"}


# ---------------------------------------------------------------- tokenizer (BertTokenizer rules)

def is_whitespace(c):
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c).startswith("C")


def is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


CJK_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
              (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def is_cjk(c):
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


class Tokenizer:
    def __init__(self, vocab_path, lower=True, strip_accents=None, split_cjk=True):
        with open(vocab_path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.ids = {}
        for i, token in enumerate(lines):
            self.ids.setdefault(token.rstrip("\r"), i)
        self.lower = lower
        self.strip = lower if strip_accents is None else strip_accents
        self.split_cjk = split_cjk

    def basic(self, text):
        cleaned = []
        for c in text:
            if ord(c) == 0 or ord(c) == 0xFFFD or is_control(c):
                continue
            cleaned.append(" " if is_whitespace(c) else c)
        text = "".join(cleaned)
        if self.split_cjk:
            text = "".join(f" {c} " if is_cjk(c) else c for c in text)
        text = unicodedata.normalize("NFC", text)
        words = []
        for word in text.split():
            if self.lower:
                word = word.lower()
            if self.strip:
                word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
            piece = ""
            for c in word:
                if is_punctuation(c):
                    if piece:
                        words.append(piece)
                    words.append(c)
                    piece = ""
                else:
                    piece += c
            if piece:
                words.append(piece)
        return [w for w in " ".join(words).split()]

    def wordpiece(self, word):
        if len(word) > 100:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                candidate = word[start:end] if start == 0 else "##" + word[start:end]
                if candidate in self.ids:
                    found = candidate
                    break
                end -= 1
            if found is None:
                return ["[UNK]"]
            pieces.append(found)
            start = end
        return pieces

    def tokens(self, text):
        # PreTrainedTokenizer.tokenize: literal special tokens are kept whole; the rest is lower-cased character by
        # character (so a word-final capital sigma becomes σ, not ς) before the basic tokenizer runs.
        pattern = "(" + "|".join(re.escape(s) for s in SPECIALS) + ")"
        out = []
        for part in re.split(pattern, text):
            if part in SPECIALS:
                out.append(part)
            elif part:
                for word in self.basic("".join(c.lower() for c in part) if self.lower else part):
                    out.extend(self.wordpiece(word))
        return out

    def subword_ids(self, text):
        return [self.ids.get(t, self.ids["[UNK]"]) for t in self.tokens(text)]

    def encode(self, text, max_length):
        return [self.ids["[CLS]"]] + self.subword_ids(text)[: max_length - 2] + [self.ids["[SEP]"]]


def check_tokenizer():
    fixtures = os.path.join(HERE, "..", "Tokenization", "Fixtures")
    corpus = {r["id"]: r["text"] for r in json.load(open(os.path.join(fixtures, "corpus.json"), encoding="utf-8"))}
    expected = json.load(open(os.path.join(fixtures, "hf-bert-expected.json"), encoding="utf-8"))
    modes = {m["name"]: m for m in expected["meta"]["modes"]}
    tokenizers = {n: Tokenizer(os.path.join(fixtures, m["vocab"]), m["lowerCase"], m["stripAccents"], m["tokenizeChineseChars"])
                  for n, m in modes.items()}
    bad = 0
    for r in expected["results"]:
        t = tokenizers[r["mode"]]
        text = corpus[r["id"]]
        if t.subword_ids(text) != r["subwordIds"]:
            bad += 1
            print(f"MISMATCH {r['mode']} {r['id']}: {t.tokens(text)} vs {r['tokens']}")
        for length, ids in r["encoded"].items():
            if t.encode(text, int(length)) != ids:
                bad += 1
                print(f"MISMATCH {r['mode']} {r['id']} max_length {length}")
    print(f"{len(expected['results'])} texts x modes checked against Hugging Face's ids: {bad} mismatches "
          f"(python {sys.version.split()[0]}, unicodedata {unicodedata.unidata_version})")
    return bad == 0


# ---------------------------------------------------------------- encoder (plain PyTorch BERT, float64)

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", (name, info["dtype"])
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.astype(np.float64))
    return tensors


class Bert:
    def __init__(self, folder):
        self.config = json.load(open(os.path.join(folder, "config.json"), encoding="utf-8"))
        assert self.config.get("hidden_act", "gelu") == "gelu"
        self.w = read_safetensors(os.path.join(folder, "model.safetensors"))
        self.heads = self.config["num_attention_heads"]
        self.eps = self.config.get("layer_norm_eps", 1e-12)

    def layer_norm(self, x, prefix):
        return torch.nn.functional.layer_norm(x, x.shape[-1:], self.w[prefix + ".weight"], self.w[prefix + ".bias"], self.eps)

    def linear(self, x, prefix):
        return x @ self.w[prefix + ".weight"].T + self.w[prefix + ".bias"]

    def forward(self, ids, tau=1.0):
        ids = torch.tensor(ids)
        n = len(ids)
        w = self.w
        h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] \
            + w["embeddings.token_type_embeddings.weight"][0]
        h = self.layer_norm(h, "embeddings.LayerNorm")
        d = h.shape[-1]
        dh = d // self.heads
        for i in range(self.config["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            q, k, v = (self.linear(h, p + "attention.self." + m).view(n, self.heads, dh).transpose(0, 1) for m in ("query", "key", "value"))
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(dh)       # one unpadded sequence: the mask M is 0
            context = torch.softmax(scores / tau, dim=-1) @ v
            context = context.transpose(0, 1).reshape(n, d)
            h = self.layer_norm(self.linear(context, p + "attention.output.dense") + h, p + "attention.output.LayerNorm")
            inner = self.linear(h, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + torch.erf(inner / math.sqrt(2.0)))
            h = self.layer_norm(self.linear(inner, p + "output.dense") + h, p + "output.LayerNorm")
        return h


def embed(model, ids, pooling, tau):
    states = model.forward(ids, tau)
    e = states.mean(dim=0) if pooling == "mean" else states[0]
    return (e / e.norm()).numpy().astype("<f4")


def b64(vector):
    return base64.b64encode(vector.tobytes()).decode("ascii")


def texts():
    review_file = os.path.join(HERE, "..", "..", "..", "..", "data", "movie-review-polarity-v2", "movie_reviews.folds0-1.tsv")
    with open(review_file, encoding="utf-8") as f:
        review = f.read().split("\n")[1].split("\t")[3]
    return [
        ("rt-pos", "the rock is destined to be the 21st century's new \" conan \" and that he's going to make a splash even greater than arnold schwarzenegger , jean-claud van damme or steven segal . "),
        ("rt-neg", "simplistic , silly and tedious . "),
        ("accents", "Café crème brûlée, naïve façade — Ångström's résumé in São Paulo."),
        ("cjk", "東京タワーは美しい。北京欢迎你！서울"),
        ("emoji", "I loved this film 😍🎬👍🏽 10/10!!! 👨‍👩‍👧"),
        ("punctuation", "«Wow» — really?! … (yes); [no] {maybe} @home #1 $5 50% ^_^ ~~ \"quoted\" 'single'"),
        ("empty", ""),
        ("whitespace", "   \t\n  "),
        ("dot", "."),
        ("mixed", "GPU-accelerated BERT v2.0 at https://example.com/x?q=1&r=2 (ISBN 978-3-16-148410-0)"),
        ("controls", "zero\u200bwidth soft\u00adhyphen tab\tseparated\nlines\u0007bell"),
        ("long-word", "antidisestablishmentarianismantidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis"),
        ("long", review),
    ]


def build(minilm_folder, arctic_folder):
    minilm, arctic = Bert(minilm_folder), Bert(arctic_folder)
    tokenizer = Tokenizer(os.path.join(minilm_folder, "vocab.txt"))
    rows = []
    for name, text in texts():
        ids256 = tokenizer.encode(text, 256)
        ids512 = tokenizer.encode(text, 512)
        row = {
            "name": name, "text": text, "ids256": ids256,
            "miniLm": b64(embed(minilm, ids256, "mean", 1.0)),
            "miniLmTau08": b64(embed(minilm, ids256, "mean", 0.8)),
            "arcticDocument": b64(embed(arctic, ids512, "cls", 1.0)),
        }
        if name in QUERY_TEXTS:
            row["arcticQuery"] = b64(embed(arctic, tokenizer.encode(ARCTIC_QUERY + text, 512), "cls", 1.0))
        rows.append(row)
        print(f"{name}: {len(ids256)} tokens (256) / {len(ids512)} (512)")
    meta = {
        "generator": "tests/MlNetIso.Transforms.Tests/Embedding/Fixtures/builtin_reference.py",
        "python": sys.version.split()[0], "torch": torch.__version__, "unicodedata": unicodedata.unidata_version,
        "vectors": "little-endian float32, base64; L2-normalised",
        "miniLm": "all-MiniLM-L6-v2, ids256, mean pooling, L2, tau 1", "miniLmTau08": "the same at tau 0.8",
        "arcticDocument": "snowflake-arctic-embed-xs, text as is, 512 tokens, CLS pooling, L2",
        "arcticQuery": "snowflake-arctic-embed-xs, query prompt + text, 512 tokens, CLS pooling, L2 (some texts)",
    }
    with open(os.path.join(HERE, "builtin-reference.json"), "w", encoding="utf-8") as f:
        # One text per line keeps the file small and its diffs readable.
        f.write('{"meta": ' + json.dumps(meta, ensure_ascii=False) + ',\n "texts": [\n')
        f.write(",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows))
        f.write("\n]}\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--check-tokenizer", action="store_true")
    parser.add_argument("--minilm")
    parser.add_argument("--arctic")
    args = parser.parse_args()
    if args.check_tokenizer:
        sys.exit(0 if check_tokenizer() else 1)
    build(args.minilm, args.arctic)
