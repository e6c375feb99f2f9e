"""Builds the abalone model for endpoint tests in one Python process (one import of pandas and xgboost):
pipeline/scripts/preprocess.py splits data/abalone.csv, XGBoost trains with the pipeline's hyperparameters
as the built-in 1.7-1 algorithm does (label-first CSVs, Booster.save_model to `xgboost-model`),
pipeline/scripts/evaluate.py scores model.tar.gz on the test split. Also writes corrupt-model.tar.gz, whose
`xgboost-model` is not a model, and reg-linear-model.tar.gz: the same model trained under the deprecated
objective name reg:linear, whose loading makes XGBoost print a warning on stdout.

usage: build-model.py <repository root> <output dir> [num_round]
"""
import io
import os
import runpy
import sys
import tarfile

import numpy as np
import xgboost as xgb

PARAMS = {
    "max_depth": 5,
    "eta": 0.2,
    "gamma": 4,
    "min_child_weight": 6,
    "subsample": 0.7,
    "objective": "reg:squarederror",
    "seed": 0,
}


def run_script(path, *args):
    sys.argv = [path, *args]
    runpy.run_path(path, run_name="__main__")


def matrix(splits, name):
    rows = np.loadtxt(os.path.join(splits, name, f"{name}.csv"), delimiter=",", ndmin=2)
    return xgb.DMatrix(rows[:, 1:], label=rows[:, 0])


def archive(path, name, data):
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def save_model(booster, model_file, tar_path):
    """Booster.save_model to a name without extension (XGBoost 1.7's binary format), as the 1.7-1 algorithm does."""
    os.makedirs(os.path.dirname(model_file), exist_ok=True)
    booster.save_model(model_file)
    with open(model_file, "rb") as handle:
        archive(tar_path, "xgboost-model", handle.read())


def main():
    root, out = sys.argv[1], sys.argv[2]
    num_round = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    scripts = os.path.join(root, "pipeline", "scripts")
    splits = os.path.join(out, "splits")
    run_script(os.path.join(scripts, "preprocess.py"), "--input-dir", os.path.join(root, "data"), "--output-dir", splits)
    train = matrix(splits, "train")
    model_file = os.path.join(out, "xgboost-model")
    save_model(xgb.train(PARAMS, train, num_boost_round=num_round), model_file, os.path.join(out, "model.tar.gz"))
    save_model(
        xgb.train({**PARAMS, "objective": "reg:linear"}, train, num_boost_round=num_round),
        os.path.join(out, "reg-linear", "xgboost-model"),
        os.path.join(out, "reg-linear-model.tar.gz"),
    )
    archive(os.path.join(out, "corrupt-model.tar.gz"), "xgboost-model", b"this is not an xgboost model\n")
    run_script(
        os.path.join(scripts, "evaluate.py"),
        "--model-dir", out,
        "--test-dir", os.path.join(splits, "test"),
        "--output-dir", os.path.join(out, "evaluation"),
    )


if __name__ == "__main__":
    main()
