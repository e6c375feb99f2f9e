"""Data-quality analyzer: Model Monitor's baseline and analysis, in Model Monitor's file formats.

One program for both jobs, configured like the `sagemaker-model-monitor-analyzer` container (environment):
  dataset_format        JSON: {"csv": {"header": false}} for a baseline dataset, or
                        {"sagemakerCaptureJson": {"captureIndexNames": ["endpointInput"]}} for captured traffic
  dataset_source        folder with the dataset (CSV files, or capture .jsonl files at any depth)
  output_path           where statistics.json, constraints.json / constraint_violations.json go
  baseline_statistics   (analysis) the baseline's statistics.json; its presence makes this an analysis
  baseline_constraints  (analysis) the baseline's constraints.json
  publish_cloudwatch_metrics  Enabled|Disabled: metric files under /opt/ml/output/metrics/cloudwatch
  sagemaker_endpoint_name, sagemaker_monitoring_schedule_name, start_time, end_time: recorded in metrics
  skip_leading_columns  (this project's, baseline) columns to drop first, e.g. 1 for train.csv's label
  metrics_path          (this project's) where metric files go instead of /opt/ml/output/metrics/cloudwatch
Headerless columns are named as Model Monitor names them: _c0, _c1, ... An analysis that finds violations
writes "CompletedWithViolations: ..." to /opt/ml/output/message and still exits 0, as the container does.

Runs in the scikit-learn processing image on AWS (pandas + numpy), and in the local AWS's analyzer runtime.
"""
import base64
import csv
import glob
import io
import json
import math
import os
import sys
from datetime import datetime, timezone

import numpy as np
import pandas as pd

SKETCH_SIZE = 2048
BUCKETS = 10
DEFAULT_MONITORING_CONFIG = {
    "evaluate_constraints": "Enabled",
    "emit_metrics": "Enabled",
    "datatype_check_threshold": 1.0,
    "domain_content_threshold": 1.0,
    "distribution_constraints": {
        "perform_comparison": "Enabled",
        "comparison_threshold": 0.1,
        "comparison_method": "Robust",
        "categorical_comparison_threshold": 0.1,
        "categorical_drift_method": "LInfinity",
    },
}
MESSAGE_FILE = "/opt/ml/output/message"
METRICS_DIR = "/opt/ml/output/metrics/cloudwatch"


class InputError(Exception):
    """A problem with the job's inputs: the message says which input and what was expected."""


def main(env):
    output = env.get("output_path", "/opt/ml/processing/output")
    os.makedirs(output, exist_ok=True)
    frame = read_dataset(env)
    statistics = compute_statistics(frame)
    write_json(os.path.join(output, "statistics.json"), statistics)
    if not env.get("baseline_constraints"):
        write_json(os.path.join(output, "constraints.json"), suggest_constraints(statistics))
        print(f"baseline of {len(frame)} rows and {len(frame.columns)} columns written to {output}")
        return "Completed: Job completed successfully with no violations."
    baseline_statistics = read_json(env, "baseline_statistics")
    constraints = read_json(env, "baseline_constraints")
    violations, distances = check(frame, statistics, baseline_statistics, constraints)
    write_json(os.path.join(output, "constraint_violations.json"), {"violations": violations})
    if env.get("publish_cloudwatch_metrics", "Disabled") == "Enabled":
        write_metrics(env, statistics, distances, env.get("metrics_path", METRICS_DIR))
    print(f"analysed {len(frame)} rows: {len(violations)} violation(s)")
    if violations:
        return f"CompletedWithViolations: Job completed successfully with {len(violations)} violations."
    return "Completed: Job completed successfully with no violations."


def read_dataset(env):
    source = env.get("dataset_source", "/opt/ml/processing/input/baseline_dataset_input")
    try:
        dataset_format = json.loads(env.get("dataset_format", '{"csv": {"header": false}}'))
    except json.JSONDecodeError as error:
        raise InputError(f"dataset_format is not JSON ({error}): {env.get('dataset_format')!r}")
    if "sagemakerCaptureJson" in dataset_format:
        indexes = dataset_format["sagemakerCaptureJson"].get("captureIndexNames") or ["endpointInput"]
        rows = read_capture(source, indexes)
    elif "csv" in dataset_format:
        rows = read_csv_rows(source, bool(dataset_format["csv"].get("header", False)))
    else:
        raise InputError(f"dataset_format {json.dumps(dataset_format)} is not supported; expected csv or sagemakerCaptureJson")
    skip = int(env.get("skip_leading_columns", "0") or 0)
    rows = [row[skip:] for row in rows]
    if not rows:
        raise InputError(f"dataset_source {source} holds no data rows")
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    return pd.DataFrame(padded, columns=[f"_c{index}" for index in range(width)], dtype=object)


def read_csv_rows(source, header):
    files = sorted(path for path in glob.glob(os.path.join(source, "**", "*"), recursive=True) if os.path.isfile(path))
    if not files:
        raise InputError(f"dataset_source {source} holds no files")
    rows = []
    for path in files:
        with open(path, newline="") as handle:
            parsed = [row for row in csv.reader(handle) if row]
        rows.extend(parsed[1:] if header else parsed)
    return rows


def read_capture(source, indexes):
    files = sorted(glob.glob(os.path.join(source, "**", "*.jsonl"), recursive=True))
    if not files:
        raise InputError(f"dataset_source {source} holds no captured .jsonl files")
    rows = []
    for path in files:
        with open(path) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    rows.extend(capture_rows(json.loads(line), indexes, f"{path}:{number}"))
    return rows


def capture_rows(record, indexes, where):
    """The CSV rows of one capture record: the chosen captureData members side by side, in the given order."""
    parts = []
    for index in indexes:
        payload = record.get("captureData", {}).get(index)
        if payload is None:
            raise InputError(f"{where}: capture record has no captureData.{index}; the endpoint's CaptureOptions must capture it")
        parts.append(decode_payload(payload, where))
    count = max(len(part) for part in parts)
    return [sum((part[row] if row < len(part) else [] for part in parts), []) for row in range(count)]


def decode_payload(payload, where):
    data = payload.get("data", "")
    encoding = payload.get("encoding", "CSV")
    if encoding == "BASE64":
        data = base64.b64decode(data).decode("utf-8")
    if encoding == "JSON":
        parsed = json.loads(data)
        values = parsed if isinstance(parsed, list) else [parsed]
        return [[str(value) for value in (item if isinstance(item, list) else [item])] for item in values]
    if encoding not in ("CSV", "BASE64"):
        raise InputError(f"{where}: unknown capture encoding {encoding!r}; expected CSV, JSON or BASE64")
    return [row for row in csv.reader(io.StringIO(data)) if row]


def value_kind(text):
    text = text.strip()
    if text == "" or text.lower() in ("nan", "null", "none"):
        return "Missing"
    try:
        number = float(text)
    except ValueError:
        return "String"
    return "Integral" if math.isfinite(number) and number == int(number) and "." not in text and "e" not in text.lower() else "Fractional"


def infer_type(kinds):
    present = [kind for kind in kinds if kind != "Missing"]
    if not present:
        return "Unknown"
    if all(kind == "Integral" for kind in present):
        return "Integral"
    if all(kind in ("Integral", "Fractional") for kind in present):
        return "Fractional"
    return "String"


def compute_statistics(frame):
    return {"version": 0.0, "dataset": {"item_count": len(frame)}, "features": [feature_statistics(frame[column]) for column in frame.columns]}


def feature_statistics(column):
    kinds = [value_kind(value) for value in column]
    inferred = infer_type(kinds)
    present = [value for value, kind in zip(column, kinds) if kind != "Missing"]
    common = {"num_present": len(present), "num_missing": len(column) - len(present)}
    feature = {"name": column.name, "inferred_type": inferred}
    if inferred in ("Integral", "Fractional"):
        values = np.array([float(value) for value in present])
        feature["numerical_statistics"] = numerical_statistics(values, common)
    else:
        counts = pd.Series([value.strip() for value in present], dtype=object).value_counts()
        feature["string_statistics"] = {
            "common": common,
            "distinct_count": float(len(counts)),
            "distribution": {"categorical": {"buckets": [{"value": value, "count": int(count)} for value, count in counts.items()]}},
        }
    return feature


def numerical_statistics(values, common):
    low, high = float(values.min()), float(values.max())
    counts, edges = np.histogram(values, bins=BUCKETS, range=(low, high if high > low else low + 1))
    # The KLL sketch's data: quantiles of the values (all of them when few), what a later analysis compares to.
    sketch = np.quantile(values, np.linspace(0, 1, SKETCH_SIZE)) if len(values) > SKETCH_SIZE else np.sort(values)
    return {
        "common": common,
        "mean": float(values.mean()),
        "sum": float(values.sum()),
        "std_dev": float(values.std()),
        "min": low,
        "max": high,
        "distribution": {
            "kll": {
                "buckets": [
                    {"lower_bound": float(edges[index]), "upper_bound": float(edges[index + 1]), "count": float(count)}
                    for index, count in enumerate(counts)
                ],
                "sketch": {"parameters": {"c": 0.64, "k": float(SKETCH_SIZE)}, "data": [[float(value) for value in sketch]]},
            }
        },
    }


def suggest_constraints(statistics):
    features = []
    for feature in statistics["features"]:
        stats = feature.get("numerical_statistics") or feature.get("string_statistics")
        common = stats["common"]
        total = common["num_present"] + common["num_missing"]
        constraint = {"name": feature["name"], "inferred_type": feature["inferred_type"], "completeness": common["num_present"] / total if total else 0.0}
        if "numerical_statistics" in feature:
            constraint["num_constraints"] = {"is_non_negative": feature["numerical_statistics"]["min"] >= 0}
        else:
            buckets = feature["string_statistics"]["distribution"]["categorical"]["buckets"]
            constraint["string_constraints"] = {"domains": [bucket["value"] for bucket in buckets]}
        features.append(constraint)
    return {"version": 0.0, "features": features, "monitoring_config": DEFAULT_MONITORING_CONFIG}


def check(frame, statistics, baseline_statistics, constraints):
    """Model Monitor's checks: column counts, data types, completeness and baseline drift per feature."""
    violations = []
    expected = constraints.get("features", [])
    config = {**DEFAULT_MONITORING_CONFIG, **constraints.get("monitoring_config", {})}
    distribution = {**DEFAULT_MONITORING_CONFIG["distribution_constraints"], **config.get("distribution_constraints", {})}
    current, baseline = len(frame.columns), len(expected)
    if current < baseline:
        violations.append({"feature_name": "", "constraint_check_type": "missing_column_check", "description": f"There are missing columns in current dataset. Number of columns in current dataset: {current}, Number of columns in baseline constraints: {baseline}"})
    if current > baseline:
        violations.append({"feature_name": "", "constraint_check_type": "extra_column_check", "description": f"There are extra columns in current dataset. Number of columns in current dataset: {current}, Number of columns in baseline constraints: {baseline}"})
    baseline_features = {feature["name"]: feature for feature in baseline_statistics.get("features", [])}
    current_features = {feature["name"]: feature for feature in statistics["features"]}
    distances = {}
    for constraint in expected:
        name = constraint["name"]
        if name not in frame.columns:
            continue
        kinds = [value_kind(value) for value in frame[name]]
        present = [kind for kind in kinds if kind != "Missing"]
        type_ok = check_type(name, constraint, present, float(config["datatype_check_threshold"]), violations)
        check_completeness(name, constraint, len(present), len(kinds), violations)
        if not type_ok or distribution.get("perform_comparison") != "Enabled" or name not in baseline_features:
            continue
        distance, threshold = drift(baseline_features[name], current_features[name], frame[name], distribution)
        if distance is None:
            continue
        distances[name] = distance
        if distance > threshold:
            violations.append({"feature_name": name, "constraint_check_type": "baseline_drift_check", "description": f"Baseline drift distance: {distance} exceeds threshold: {threshold}"})
    return violations, distances


def check_type(name, constraint, present, threshold, violations):
    expected = constraint.get("inferred_type", "Unknown")
    if expected not in ("Integral", "Fractional") or not present:
        return True
    accepted = ("Integral",) if expected == "Integral" else ("Integral", "Fractional")
    share = sum(kind in accepted for kind in present) / len(present)
    if share >= threshold:
        return True
    violations.append({"feature_name": name, "constraint_check_type": "data_type_check", "description": f"Data type match requirement is not met. Expected data type: {expected}, Expected match: {percent(threshold)}%. Observed: Only {percent(share)}% of data is {expected}."})
    return False


def check_completeness(name, constraint, present, total, violations):
    expected = float(constraint.get("completeness", 0.0))
    observed = present / total if total else 0.0
    if observed < expected:
        violations.append({"feature_name": name, "constraint_check_type": "completeness_check", "description": f"Data completeness requirement is not met. Expected completeness: {percent(expected)}%. Observed: Only {percent(observed)}% of data is complete."})


def drift(baseline, current, column, distribution):
    """(distance, threshold): L-infinity distance of the CDFs (numeric) or of the category shares (strings)."""
    if "numerical_statistics" in baseline and "numerical_statistics" in current:
        reference = np.array(baseline["numerical_statistics"]["distribution"]["kll"]["sketch"]["data"][0])
        observed = np.array([float(value) for value in column if value_kind(value) != "Missing"])
        if len(reference) == 0 or len(observed) == 0:
            return None, None
        points = np.union1d(reference, observed)
        reference_cdf = np.searchsorted(np.sort(reference), points, side="right") / len(reference)
        observed_cdf = np.searchsorted(np.sort(observed), points, side="right") / len(observed)
        return round(float(np.max(np.abs(reference_cdf - observed_cdf))), 6), float(distribution["comparison_threshold"])
    if "string_statistics" in baseline and "string_statistics" in current:
        shares = lambda stats: category_shares(stats["string_statistics"]["distribution"]["categorical"]["buckets"])
        reference, observed = shares(baseline), shares(current)
        keys = set(reference) | set(observed)
        distance = max((abs(reference.get(key, 0.0) - observed.get(key, 0.0)) for key in keys), default=0.0)
        return round(distance, 6), float(distribution["categorical_comparison_threshold"])
    return None, None


def category_shares(buckets):
    total = sum(bucket["count"] for bucket in buckets) or 1
    return {bucket["value"]: bucket["count"] / total for bucket in buckets}


def write_metrics(env, statistics, distances, folder):
    """CloudWatch metric records (JSON Lines) as the container's contract writes them for publishing."""
    os.makedirs(folder, exist_ok=True)
    timestamp = env.get("end_time") or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    dimensions = [
        {"Name": "Endpoint", "Value": env.get("sagemaker_endpoint_name", "")},
        {"Name": "MonitoringSchedule", "Value": env.get("sagemaker_monitoring_schedule_name", "")},
    ]
    lines = []
    for feature in statistics["features"]:
        stats = feature.get("numerical_statistics") or feature.get("string_statistics")
        common = stats["common"]
        total = common["num_present"] + common["num_missing"]
        metrics = {f"feature_non_null_{feature['name']}": common["num_present"] / total if total else 0.0}
        if feature["name"] in distances:
            metrics[f"feature_baseline_drift_{feature['name']}"] = distances[feature["name"]]
        for name in ("mean", "sum", "std_dev", "min", "max"):
            if name in stats:
                metrics[f"feature_{name}_{feature['name']}"] = stats[name]
        lines.extend(json.dumps({"MetricName": name, "Timestamp": timestamp, "Dimensions": dimensions, "Value": value}) for name, value in metrics.items())
    with open(os.path.join(folder, "metrics.jsonl"), "w") as handle:
        handle.write("\n".join(lines) + "\n")


def percent(share):
    return round(share * 100, 1)


def read_json(env, name):
    path = env.get(name)
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"{name} {path}: cannot be read as JSON ({error})")


def write_json(path, value):
    with open(path, "w") as handle:
        json.dump(value, handle, indent=2)


def write_message(text):
    """The job's ExitMessage; printed too, since outside a container (a plain folder run) there is no /opt/ml."""
    print(text)
    if os.path.isdir(os.path.dirname(MESSAGE_FILE)):
        with open(MESSAGE_FILE, "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    try:
        message = main(os.environ)
    except InputError as error:
        write_message(f"ClientError: {error}")
        print(f"analyzer: {error}", file=sys.stderr)
        sys.exit(1)
    write_message(message)
