"""Test helper: trains the model the way the built-in XGBoost 1.7-1 algorithm would in the pipeline's
Train step (CSV channels with the label first, the pipeline's hyperparameters) and packs it as the
algorithm does: model.tar.gz holding `xgboost-model`.

Usage: train_xgboost.py <train.csv> <validation.csv> <hyperparameters.json> <model-dir>
"""
import json
import os
import sys
import tarfile

import numpy as np
import xgboost

NOT_BOOSTER_PARAMS = {"num_round"}


def matrix(path):
    rows = np.loadtxt(path, delimiter=",", ndmin=2)
    return xgboost.DMatrix(rows[:, 1:], label=rows[:, 0])


def main(train_csv, validation_csv, hyperparameters_json, model_dir):
    with open(hyperparameters_json) as file:
        hyperparameters = json.load(file)
    params = {key: value for key, value in hyperparameters.items() if key not in NOT_BOOSTER_PARAMS}
    train = matrix(train_csv)
    booster = xgboost.train(
        params,
        train,
        num_boost_round=int(hyperparameters["num_round"]),
        evals=[(train, "train"), (matrix(validation_csv), "validation")],
        verbose_eval=False,
    )
    os.makedirs(model_dir, exist_ok=True)
    model_file = os.path.join(model_dir, "xgboost-model")
    booster.save_model(model_file)
    with tarfile.open(os.path.join(model_dir, "model.tar.gz"), "w:gz") as tar:
        tar.add(model_file, arcname="xgboost-model")


if __name__ == "__main__":
    main(*sys.argv[1:])
