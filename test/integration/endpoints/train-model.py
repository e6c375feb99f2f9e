"""Trains the abalone model the way the built-in XGBoost 1.7-1 algorithm does (label-first CSVs, the
pipeline's hyperparameters) and saves it as `xgboost-model` with Booster.save_model, for endpoint tests.

usage: train-model.py <splits-dir with train/ and validation/> <output-dir> [num_round]
"""
import os
import sys

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


def matrix(splits, name):
    rows = np.loadtxt(os.path.join(splits, name, f"{name}.csv"), delimiter=",", ndmin=2)
    return xgb.DMatrix(rows[:, 1:], label=rows[:, 0])


def main():
    splits, output = sys.argv[1], sys.argv[2]
    num_round = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    train = matrix(splits, "train")
    booster = xgb.train(PARAMS, train, num_boost_round=num_round, evals=[(matrix(splits, "validation"), "validation")], verbose_eval=False)
    os.makedirs(output, exist_ok=True)
    booster.save_model(os.path.join(output, "xgboost-model"))


if __name__ == "__main__":
    main()
