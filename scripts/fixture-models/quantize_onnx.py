"""int8 quantization by rewriting the ONNX graph with `onnx.helper`, so no
onnxruntime Python package is needed. It produces the same operator pattern as
onnxruntime's dynamic quantization, which is what transformers.js `q8` models use:

  MatMul(x, W)          →  DynamicQuantizeLinear(x) → MatMulInteger(xq, Wq, xzp, 0)
                            → Cast(float) → Mul(x_scale * w_scale)
  Gather(E, ids)        →  DequantizeLinear(Eq, e_scale, 0) → Gather

Weights are int8, symmetric, per tensor.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def _sym_int8(w):
    scale = float(np.abs(w).max()) / 127.0 or 1.0
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    return q, np.float32(scale)


def quantize_model(src_path, dst_path, min_gather_elements=256):
    model = onnx.load(src_path)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    new_nodes, new_inits, dropped = [], [], set()
    quantized = {}  # initializer name → (q name, scale name), shared by all users

    def qweight(name):
        if name not in quantized:
            w = numpy_helper.to_array(inits[name])
            q, scale = _sym_int8(w)
            qn, sn, zn = name + "_quantized", name + "_scale", name + "_zero_point"
            new_inits.append(numpy_helper.from_array(q, qn))
            new_inits.append(numpy_helper.from_array(np.array(scale, dtype=np.float32), sn))
            new_inits.append(numpy_helper.from_array(np.array(0, dtype=np.int8), zn))
            quantized[name] = (qn, sn, zn)
        return quantized[name]

    def float_init(name):
        return name in inits and inits[name].data_type == TensorProto.FLOAT

    for node in graph.node:
        if node.op_type == "MatMul" and float_init(node.input[1]) \
                and len(inits[node.input[1]].dims) == 2:
            x, w = node.input
            out = node.output[0]
            qn, sn, zn = qweight(w)
            p = node.name or out
            xq, xs, xz = p + "_xq", p + "_xscale", p + "_xzp"
            new_nodes += [
                helper.make_node("DynamicQuantizeLinear", [x], [xq, xs, xz], name=p + "_dq"),
                helper.make_node("MatMulInteger", [xq, qn, xz, zn], [p + "_int"],
                                 name=p + "_mmi"),
                helper.make_node("Cast", [p + "_int"], [p + "_f"], to=TensorProto.FLOAT,
                                 name=p + "_cast"),
                helper.make_node("Mul", [xs, sn], [p + "_scale"], name=p + "_scalemul"),
                helper.make_node("Mul", [p + "_f", p + "_scale"], [out], name=p + "_out"),
            ]
            dropped.add(w)
        elif node.op_type == "Gather" and float_init(node.input[0]) \
                and np.prod(inits[node.input[0]].dims) >= min_gather_elements:
            e = node.input[0]
            qn, sn, zn = qweight(e)
            deq = e + "_dequantized"
            if not any(n.output and n.output[0] == deq for n in new_nodes):
                new_nodes.append(helper.make_node("DequantizeLinear", [qn, sn, zn], [deq],
                                                  name=e + "_deq"))
            new_nodes.append(helper.make_node("Gather", [deq, node.input[1]], list(node.output),
                                              name=node.name, **{
                                                  a.name: helper.get_attribute_value(a)
                                                  for a in node.attribute}))
            dropped.add(e)
        else:
            new_nodes.append(node)

    # A weight is dropped only when every user was rewritten.
    still_used = {n for node in new_nodes for n in node.input}
    keep = [i for i in graph.initializer if not (i.name in dropped and i.name not in still_used)]
    del graph.node[:]
    graph.node.extend(new_nodes)
    del graph.initializer[:]
    graph.initializer.extend(keep + new_inits)
    onnx.checker.check_model(model)
    onnx.save(model, dst_path)
    return len(quantized)
