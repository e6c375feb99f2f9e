"""Stands in for the SageMaker built-in XGBoost algorithm (image sagemaker-xgboost:1.7-1) in training mode.

Follows the container's contract: hyperparameters (all strings) in input/config/hyperparameters.json, channels
in input/data/<channel> (train required, validation optional), CSV with the label in column 0 and no header,
metrics logged as `[i]#011train-rmse:x#011validation-rmse:y`, the model saved with Booster.save_model to
model/xgboost-model. On failure the reason goes to output/failure and the exit code is 1.
The container paths live under OPT_ML (default /opt/ml), so the script also runs without a mount namespace.
"""
import glob
import json
import os
import sys

OPT_ML = os.environ.get("OPT_ML", "/opt/ml")

# Hyperparameters the container reads itself rather than passing to xgboost.train's params.
NOT_BOOSTER_PARAMS = {"num_round", "csv_weights", "early_stopping_rounds", "save_model_on_termination", "kfold"}
SUPPORTED_CONTENT_TYPES = ("text/csv", "csv")


class ClientError(Exception):
    pass


def read_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as handle:
        return json.load(handle)


def typed(value):
    """Hyperparameters arrive as strings; xgboost wants numbers where they are numbers."""
    for convert in (int, float):
        try:
            return convert(value)
        except ValueError:
            pass
    return value


def load_channel(name, content_type, csv_weights):
    import numpy as np
    import pandas as pd
    import xgboost as xgb

    folder = os.path.join(OPT_ML, "input", "data", name)
    files = sorted(f for f in glob.glob(os.path.join(folder, "**", "*"), recursive=True) if os.path.isfile(f))
    if not files:
        raise ClientError(f"channel {name} has no files under {folder}")
    base_type = (content_type or "").split(";")[0].strip().lower()
    if base_type not in SUPPORTED_CONTENT_TYPES:
        raise ClientError(
            f"channel {name} has ContentType {content_type or '(none: libsvm)'}; the local XGBoost runtime reads text/csv only"
        )
    frame = pd.concat([pd.read_csv(f, header=None) for f in files], ignore_index=True)
    values = frame.to_numpy(dtype=np.float64)
    label, rest = values[:, 0], values[:, 1:]
    if csv_weights:
        return xgb.DMatrix(rest[:, 1:], label=label, weight=rest[:, 0])
    return xgb.DMatrix(rest, label=label)


class MetricLogger:
    """Prints each round's evaluation like the container's log lines, with #011 standing for the tab."""

    def __init__(self):
        import xgboost as xgb

        class Callback(xgb.callback.TrainingCallback):
            def after_iteration(self, model, epoch, evals_log):
                parts = [f"{data}-{metric}:{values[-1]:.5f}" for data, metrics in evals_log.items() for metric, values in metrics.items()]
                print(f"[{epoch}]#011" + "#011".join(parts), flush=True)
                return False

        self.callback = Callback()


def train():
    import xgboost as xgb

    hyperparameters = read_json(os.path.join(OPT_ML, "input", "config", "hyperparameters.json"), {})
    data_config = read_json(os.path.join(OPT_ML, "input", "config", "inputdataconfig.json"), {})
    if "sagemaker_program" in hyperparameters:
        raise ClientError("script mode (sagemaker_program) is not supported by the local XGBoost runtime; only the built-in algorithm mode runs locally")
    if "num_round" not in hyperparameters:
        raise ClientError("Missing required hyperparameter: num_round")
    if "train" not in data_config:
        raise ClientError("the train channel is required")
    num_round = int(hyperparameters["num_round"])
    csv_weights = int(hyperparameters.get("csv_weights", "0")) == 1
    params = {k: typed(v) for k, v in hyperparameters.items() if k not in NOT_BOOSTER_PARAMS}
    params.setdefault("objective", "reg:squarederror")
    if params["objective"] == "reg:linear":
        # The deprecated alias; a model saved with it makes XGBoost print a warning on every load.
        print("objective reg:linear is deprecated; training with its current name reg:squarederror", flush=True)
        params["objective"] = "reg:squarederror"
    if isinstance(params.get("eval_metric"), str) and "," in params["eval_metric"]:
        params["eval_metric"] = params["eval_metric"].split(",")

    dtrain = load_channel("train", data_config["train"].get("ContentType"), csv_weights)
    evals = [(dtrain, "train")]
    if "validation" in data_config:
        evals.append((load_channel("validation", data_config["validation"].get("ContentType"), csv_weights), "validation"))
    early = hyperparameters.get("early_stopping_rounds")
    booster = xgb.train(
        params,
        dtrain,
        num_boost_round=num_round,
        evals=evals,
        verbose_eval=False,
        early_stopping_rounds=int(early) if early and len(evals) > 1 else None,
        callbacks=[MetricLogger().callback],
    )
    model_dir = os.path.join(OPT_ML, "model")
    os.makedirs(model_dir, exist_ok=True)
    booster.save_model(os.path.join(model_dir, "xgboost-model"))
    print(f"saved model to {os.path.join(model_dir, 'xgboost-model')} ({booster.num_boosted_rounds()} trees)", flush=True)


def main():
    try:
        train()
    except Exception as error:  # Every failure becomes the container's failure file and exit code 1.
        kind = "ClientError" if isinstance(error, ClientError) else "AlgorithmError"
        message = f"{kind}: {error}"
        print(message, file=sys.stderr, flush=True)
        os.makedirs(os.path.join(OPT_ML, "output"), exist_ok=True)
        with open(os.path.join(OPT_ML, "output", "failure"), "w") as handle:
            handle.write(message)
        sys.exit(1)


if __name__ == "__main__":
    main()
