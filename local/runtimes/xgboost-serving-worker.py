"""Serving worker for the local sagemaker-xgboost endpoints.

Loads the model once (like the container: every file of the model directory is tried as a pickle, then as
an XGBoost model), then answers framed requests with framed responses, both on file descriptor 3 (a socket
from Node). Stdout and stderr are the endpoint's log: whatever XGBoost or model code prints (XGBoost's
warnings go to stdout) lands there and cannot corrupt a frame. All integers are little-endian uint32,
matrices float32 row-major.

  request  b'P' rows cols <rows*cols float32>   predict (a batch: Node concatenates concurrent requests)
           b'H'                                 health check (GET /ping)
  response b'Y' len <json>                      once, after the model loaded: {"num_features", "objective"}
           b'F' len <utf-8 message>             once, when the model cannot be loaded (then exit 1)
           b'R' rows width <rows*width float32>  predictions
           b'E' len <utf-8 message>             the batch could not be predicted
           b'H' 0                               healthy
"""

import json
import os
import pickle
import struct
import sys

import numpy as np
import xgboost as xgb

U32 = struct.Struct("<I")
TWO_U32 = struct.Struct("<II")
PROTOCOL_FD = 3


def load_booster(model_dir):
    files = sorted(
        name for name in os.listdir(model_dir) if os.path.isfile(os.path.join(model_dir, name))
    )
    if not files:
        raise RuntimeError(
            "model.tar.gz holds no model file; expected xgboost-model (Booster.save_model) at its top level"
        )
    name = "xgboost-model" if "xgboost-model" in files else files[0]
    path = os.path.join(model_dir, name)
    try:
        with open(path, "rb") as handle:
            booster = pickle.load(handle)
    except Exception as pickle_error:
        try:
            booster = xgb.Booster()
            booster.load_model(path)
        except Exception as xgb_error:
            raise RuntimeError(
                "Model at {} cannot be loaded: not a pickle ({}) and not an XGBoost model ({})".format(
                    name, pickle_error, str(xgb_error).strip().splitlines()[0]
                )
            )
    if hasattr(booster, "get_booster"):
        booster = booster.get_booster()
    booster.set_param("nthread", 1)
    return booster


def direct_predictor(booster):
    """XGBoosterPredictFromDense called directly. For a few rows, inplace_predict's own Python work
    (argument checks, JSON config, output shaping) costs more than the prediction itself. The fast path uses
    xgboost 1.7 internals, so it is checked against inplace_predict on probe rows at load; missing internals or
    any difference fall back to inplace_predict."""
    try:
        import ctypes

        from xgboost.core import _LIB, _check_call, c_bst_ulong, c_str
        from xgboost.data import _array_interface
    except ImportError:
        return None
    config = c_str(
        json.dumps(
            {
                "type": 0,
                "training": False,
                "iteration_begin": 0,
                "iteration_end": 0,
                "missing": float("nan"),
                "strict_shape": False,
                "cache_id": 0,
            }
        )
    )
    shape = ctypes.POINTER(c_bst_ulong)()
    dims = c_bst_ulong()
    values = ctypes.POINTER(ctypes.c_float)()

    def predict(data):
        _check_call(
            _LIB.XGBoosterPredictFromDense(
                booster.handle,
                _array_interface(data),
                config,
                None,
                ctypes.byref(shape),
                ctypes.byref(dims),
                ctypes.byref(values),
            )
        )
        return np.ctypeslib.as_array(values, shape=tuple(shape[i] for i in range(dims.value))).copy()

    probe = np.random.RandomState(0).rand(5, booster.num_features()).astype("<f4")
    try:
        same = np.array_equal(predict(probe), np.asarray(booster.inplace_predict(probe), dtype="<f4"))
    except Exception:
        return None
    return predict if same else None


def objective(booster):
    try:
        return json.loads(booster.save_config())["learner"]["objective"]["name"]
    except Exception:
        return None


def write(out, kind, payload=b""):
    out.write(kind + U32.pack(len(payload)) + payload)
    out.flush()


def read_exact(stream, size):
    data = stream.read(size)
    if data is None or len(data) != size:
        raise EOFError()
    return data


def serve(predict, requests, out):
    while True:
        kind = requests.read(1)
        if not kind:
            return
        if kind == b"H":
            write(out, b"H")
            continue
        if kind != b"P":
            write(out, b"E", "unknown frame {!r}".format(kind).encode())
            return
        rows, cols = TWO_U32.unpack(read_exact(requests, 8))
        data = np.frombuffer(read_exact(requests, rows * cols * 4), dtype="<f4").reshape(rows, cols)
        try:
            predictions = np.asarray(predict(data), dtype="<f4")
        except Exception as error:
            write(out, b"E", str(error).strip().splitlines()[0].encode())
            continue
        width = 1 if predictions.ndim == 1 else predictions.shape[1]
        out.write(b"R" + TWO_U32.pack(rows, width) + predictions.tobytes())
        out.flush()


def main():
    model_dir = sys.argv[1]
    # Processes the model code may start must not hold the channel open (Node sees the worker's death by its close).
    os.set_inheritable(PROTOCOL_FD, False)
    requests = open(PROTOCOL_FD, "rb")
    out = open(PROTOCOL_FD, "wb", closefd=False)
    try:
        booster = load_booster(model_dir)
    except Exception as error:
        print("model load failed: {}".format(error), file=sys.stderr, flush=True)
        write(out, b"F", str(error).encode())
        sys.exit(1)
    direct = direct_predictor(booster)
    info = {
        "num_features": booster.num_features(),
        "objective": objective(booster),
        "predictor": "XGBoosterPredictFromDense" if direct else "inplace_predict",
    }
    print("model loaded from {}: {}".format(model_dir, json.dumps(info)), file=sys.stderr, flush=True)
    write(out, b"Y", json.dumps(info).encode())
    try:
        serve(direct or booster.inplace_predict, requests, out)
    except (EOFError, ConnectionError):
        pass


if __name__ == "__main__":
    main()
