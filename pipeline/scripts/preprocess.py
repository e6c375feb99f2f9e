"""Abalone preprocessing: one-hot encode Sex, split 70/15/15 with a seed, write CSVs for XGBoost.

Runs in the SageMaker scikit-learn processing container (sagemaker-scikit-learn:1.2-1) and on a plain
folder alike: every directory is an argument whose default is the container path.

Outputs (label `Rings` in the first column, no header, as the built-in XGBoost algorithm reads CSV):
  <output-dir>/train/train.csv, <output-dir>/validation/validation.csv, <output-dir>/test/test.csv
The test rows keep the same layout, so they also serve to smoke-test an endpoint (drop the first column).
"""
import argparse
import glob
import os

import numpy as np
import pandas as pd

LABEL = "Rings"
NUMERIC_FEATURES = [
    "Length",
    "Diameter",
    "Height",
    "Whole_weight",
    "Shucked_weight",
    "Viscera_weight",
    "Shell_weight",
]
SEX_CATEGORIES = ["F", "I", "M"]
SPLITS = (("train", 0.70), ("validation", 0.15), ("test", 0.15))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input-dir", default="/opt/ml/processing/input/data", help="folder with the raw CSV file(s)")
    parser.add_argument("--output-dir", default="/opt/ml/processing", help="train/, validation/ and test/ go here")
    parser.add_argument("--seed", type=int, default=42, help="seed of the random split")
    return parser.parse_args()


def read_raw(input_dir):
    files = sorted(glob.glob(os.path.join(input_dir, "*.csv")))
    if not files:
        raise SystemExit(f"preprocess: no .csv file in {input_dir}")
    return pd.concat([pd.read_csv(path) for path in files], ignore_index=True)


def encode(raw):
    missing = [column for column in ["Sex", LABEL, *NUMERIC_FEATURES] if column not in raw.columns]
    if missing:
        raise SystemExit(f"preprocess: input lacks column(s) {', '.join(missing)}; found {', '.join(raw.columns)}")
    # Fixed categories keep the same columns whatever rows a split holds.
    sex = pd.Categorical(raw["Sex"], categories=SEX_CATEGORIES)
    dummies = pd.get_dummies(sex, prefix="Sex", dtype=int)
    dummies.index = raw.index
    return pd.concat([raw[[LABEL, *NUMERIC_FEATURES]], dummies], axis=1)


def split(frame, seed):
    order = np.random.RandomState(seed).permutation(len(frame))
    start = 0
    for name, share in SPLITS:
        end = len(frame) if name == SPLITS[-1][0] else start + int(round(share * len(frame)))
        yield name, frame.iloc[order[start:end]]
        start = end


def main():
    args = parse_args()
    frame = encode(read_raw(args.input_dir))
    for name, rows in split(frame, args.seed):
        folder = os.path.join(args.output_dir, name)
        os.makedirs(folder, exist_ok=True)
        rows.to_csv(os.path.join(folder, f"{name}.csv"), header=False, index=False)
        print(f"preprocess: {name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
