"""Abalone evaluation: score the trained XGBoost model on the test split and write evaluation.json.

Runs in the SageMaker XGBoost container (sagemaker-xgboost:1.7-1) as a processing job and on a plain
folder alike: every directory is an argument whose default is the container path.

Reads <model-dir>/model.tar.gz (holding `xgboost-model`, as the built-in algorithm writes it) and
<test-dir>/*.csv (label first, no header). Writes <output-dir>/evaluation.json:
  {"regression_metrics": {"rmse": {"value", "standard_deviation"}, "mse": {...}, "mae": {...}, "r2": {"value"}}}
"""
import argparse
import glob
import json
import os
import tarfile
import tempfile

import numpy as np
import xgboost

MODEL_FILE = "xgboost-model"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default="/opt/ml/processing/model", help="folder with model.tar.gz")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test", help="folder with the test CSV")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation", help="evaluation.json goes here")
    return parser.parse_args()


def load_model(model_dir):
    archive = os.path.join(model_dir, "model.tar.gz")
    if not os.path.exists(archive):
        raise SystemExit(f"evaluate: {archive} does not exist")
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(archive) as tar:
            member = next((m for m in tar.getmembers() if os.path.basename(m.name) == MODEL_FILE), None)
            if member is None:
                raise SystemExit(f"evaluate: {archive} holds no {MODEL_FILE}")
            tar.extract(member, folder)
        booster = xgboost.Booster()
        booster.load_model(os.path.join(folder, member.name))
    return booster


def load_test(test_dir):
    files = sorted(glob.glob(os.path.join(test_dir, "*.csv")))
    if not files:
        raise SystemExit(f"evaluate: no .csv file in {test_dir}")
    rows = np.vstack([np.loadtxt(path, delimiter=",", ndmin=2) for path in files])
    return rows[:, 0], rows[:, 1:]


def metrics(labels, predictions):
    errors = labels - predictions
    squared = errors**2
    mse = float(np.mean(squared))
    total = float(np.sum((labels - np.mean(labels)) ** 2))
    return {
        "regression_metrics": {
            "rmse": {"value": float(np.sqrt(mse)), "standard_deviation": float(np.std(errors))},
            "mse": {"value": mse, "standard_deviation": float(np.std(squared))},
            "mae": {"value": float(np.mean(np.abs(errors))), "standard_deviation": float(np.std(np.abs(errors)))},
            "r2": {"value": 1.0 - float(np.sum(squared)) / total if total > 0 else 0.0},
        }
    }


def main():
    args = parse_args()
    booster = load_model(args.model_dir)
    labels, features = load_test(args.test_dir)
    report = metrics(labels, booster.predict(xgboost.DMatrix(features)))
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "evaluation.json"), "w") as out:
        json.dump(report, out, indent=2)
    print(f"evaluate: rmse {report['regression_metrics']['rmse']['value']:.4f} on {len(labels)} test rows")


if __name__ == "__main__":
    main()
