"""Conformance of the local AWS, judged by botocore (a client nobody here wrote).

Usage: python conformance.py <endpoint> <implemented.json>
  implemented.json: {"<botocore service>": ["Operation", ...]} — what the providers implement.
Prints one JSON object: per service, the operations exercised with answers checked against the output
shape of this botocore's model, constraint-breaking requests and how they were refused, and the
waiters/paginators run. Exits 0; the caller judges the figures.
"""
import json
import os
import re
import sys
import datetime

import botocore
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.response import StreamingBody

ENDPOINT, IMPLEMENTED = sys.argv[1], json.load(open(sys.argv[2]))
ROLE = "arn:aws:iam::000000000000:role/conformance"
TOKEN = "c" * 32
VALIDATION_CODES = {"json": "ValidationException", "rest-json": "ValidationException", "query": "ValidationError"}

session = botocore.session.get_session()


def client(service, validate=True):
    config = Config(parameter_validation=validate, retries={"max_attempts": 0}, read_timeout=120)
    return session.create_client(
        service, region_name="us-east-1", endpoint_url=ENDPOINT,
        aws_access_key_id="test", aws_secret_access_key="test", config=config)


# ---------- (a) answers checked against the output shape ----------

def shape_errors(shape, value, path="", out=None):
    out = [] if out is None else out
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            out.append(f"{path}: expected a structure, got {type(value).__name__}")
            return out
        for name in shape.required_members:
            if name not in value:
                out.append(f"{path}.{name}: required member missing")
        for name, member in shape.members.items():
            if name in value and not (member.serialization.get("eventstream")):
                shape_errors(member, value[name], f"{path}.{name}", out)
    elif kind == "list":
        if not isinstance(value, list):
            out.append(f"{path}: expected a list")
        else:
            for i, item in enumerate(value):
                shape_errors(shape.member, item, f"{path}[{i}]", out)
    elif kind == "map":
        if not isinstance(value, dict):
            out.append(f"{path}: expected a map")
        else:
            for key, item in value.items():
                shape_errors(shape.value, item, f"{path}.{key}", out)
    elif kind == "string":
        if not isinstance(value, str):
            out.append(f"{path}: expected a string, got {type(value).__name__}")
        elif shape.enum and value not in shape.enum:
            out.append(f"{path}: {value!r} is not one of the enum {shape.enum}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(f"{path}: expected an integer, got {value!r}")
    elif kind in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            out.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            out.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, datetime.datetime):
            out.append(f"{path}: expected a timestamp, got {value!r}")
    elif kind == "blob":
        if not isinstance(value, (bytes, bytearray, StreamingBody)):
            out.append(f"{path}: expected a blob, got {type(value).__name__}")
    return out


def scenario_cases():
    """(service, operation, params) in order; later steps use what earlier ones made."""
    handler = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "local", "fixtures", "handlers.echo")
    return [
        ("ssm", "PutParameter", {"Name": "/conf/p", "Value": "v1", "Type": "String"}),
        ("ssm", "PutParameter", {"Name": "/conf/p", "Value": "v2", "Overwrite": True}),
        ("ssm", "GetParameter", {"Name": "/conf/p"}),
        ("ssm", "GetParameters", {"Names": ["/conf/p", "/conf/none"]}),
        ("ssm", "GetParameterHistory", {"Name": "/conf/p"}),
        ("ssm", "GetParametersByPath", {"Path": "/conf", "Recursive": True}),
        ("ssm", "DescribeParameters", {"ParameterFilters": [{"Key": "Name", "Values": ["/conf/p"]}]}),
        ("ssm", "DeleteParameters", {"Names": ["/conf/none"]}),
        ("lambda", "CreateFunction", {"FunctionName": "conf-fn", "Role": ROLE, "Handler": handler, "Code": {}}),
        ("lambda", "GetFunction", {"FunctionName": "conf-fn"}),
        ("lambda", "GetFunctionConfiguration", {"FunctionName": "conf-fn"}),
        ("lambda", "ListFunctions", {"MaxItems": 1}),
        ("lambda", "Invoke", {"FunctionName": "conf-fn", "Payload": b'{"x":1}', "LogType": "Tail"}),
        ("sagemaker", "CreatePipeline", {
            "PipelineName": "conf", "RoleArn": ROLE, "ClientRequestToken": TOKEN,
            "PipelineDefinition": json.dumps({"Version": "2020-12-01", "Steps": [
                {"Name": "Fail", "Type": "Fail", "Arguments": {"ErrorMessage": "x"}}]})}),
        ("sagemaker", "DescribePipeline", {"PipelineName": "conf"}),
        ("sagemaker", "UpdatePipeline", {"PipelineName": "conf", "PipelineDescription": "d"}),
        ("sagemaker", "ListPipelines", {}),
        ("sagemaker", "ListPipelineExecutions", {"PipelineName": "conf"}),
        ("sagemaker", "AddTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:000000000000:pipeline/conf",
                                  "Tags": [{"Key": "k", "Value": "v"}]}),
        ("sagemaker", "ListTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:000000000000:pipeline/conf"}),
        ("sagemaker", "DeleteTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:000000000000:pipeline/conf",
                                     "TagKeys": ["k"]}),
        ("sagemaker", "CreateModelPackageGroup", {"ModelPackageGroupName": "conf-group"}),
        ("sagemaker", "DescribeModelPackageGroup", {"ModelPackageGroupName": "conf-group"}),
        ("sagemaker", "ListModelPackageGroups", {}),
        ("sagemaker", "ListModelPackages", {"ModelPackageGroupName": "conf-group"}),
        ("sagemaker", "ListModels", {}),
        ("sagemaker", "ListEndpoints", {}),
        ("sagemaker", "ListEndpointConfigs", {}),
        ("sagemaker", "ListProcessingJobs", {}),
        ("sagemaker", "ListTrainingJobs", {}),
        ("sagemaker", "ListTransformJobs", {}),
        ("sagemaker", "DeleteModelPackageGroup", {"ModelPackageGroupName": "conf-group"}),
        ("sagemaker", "DeletePipeline", {"PipelineName": "conf", "ClientRequestToken": TOKEN}),
        ("lambda", "DeleteFunction", {"FunctionName": "conf-fn"}),
        ("ssm", "DeleteParameter", {"Name": "/conf/p"}),
    ]


def run_scenario(results):
    for service, operation, params in scenario_cases():
        entry = results[service]["answers"].setdefault(operation, {"calls": 0, "problems": []})
        entry["calls"] += 1
        try:
            answer = client(service)._make_api_call(operation, params)
        except ClientError as error:
            entry["problems"].append(f"error {error.response['Error'].get('Code')}: {error}")
            continue
        answer.pop("ResponseMetadata", None)
        output = client(service).meta.service_model.operation_model(operation).output_shape
        if output is not None:
            entry["problems"].extend(shape_errors(output, answer, operation))


# ---------- (b) requests that break one input constraint ----------

def too_long(shape):
    return "a" * (int(shape.metadata["max"]) + 1)


def breaking_values(shape):
    """(constraint, value) pairs that break one of the shape's own constraints."""
    kind, meta = shape.type_name, shape.metadata
    cases = []
    if kind == "string":
        if shape.enum:
            cases.append(("enum", "NotInTheEnum"))
        if "max" in meta and int(meta["max"]) < 5000:
            cases.append(("max length", too_long(shape)))
        if int(meta.get("min", 0)) > 1:
            cases.append(("min length", "a" * (int(meta["min"]) - 1)))
        pattern = meta.get("pattern")
        if pattern and "\\p" not in pattern and not shape.enum:
            for candidate in ("!@#$ %^", "\u0000\u0001"):
                try:
                    if not re.fullmatch(pattern, candidate):
                        cases.append(("pattern", candidate))
                        break
                except re.error:
                    break
    elif kind in ("integer", "long"):
        if "min" in meta:
            cases.append(("min value", int(meta["min"]) - 1))
        if "max" in meta:
            cases.append(("max value", int(meta["max"]) + 1))
    elif kind == "list":
        if "max" in meta and int(meta["max"]) < 200:
            cases.append(("max items", ["a"] * (int(meta["max"]) + 1)))
    return cases


def invalid_requests(service, operation):
    model = client(service).meta.service_model
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return []
    requests = []
    if shape.required_members:
        requests.append(("missing required", shape.required_members[0], {}))
    for name, member in shape.members.items():
        if member.type_name == "list" and member.member.type_name != "string":
            continue
        for constraint, value in breaking_values(member):
            requests.append((constraint, name, {name: value}))
    return requests


def run_invalid(results, services):
    for service in services:
        protocol = client(service).meta.service_model.protocol
        expected = VALIDATION_CODES.get(protocol)
        if expected is None:
            continue
        loose = client(service, validate=False)
        for operation in IMPLEMENTED[service]:
            for constraint, member, params in invalid_requests(service, operation):
                tally = results[service]["invalid"]
                tally["sent"] += 1
                label = f"{operation}.{member} ({constraint})"
                try:
                    loose._make_api_call(operation, params)
                    tally["accepted"].append(label)
                except ClientError as error:
                    code = error.response["Error"].get("Code")
                    status = error.response["ResponseMetadata"].get("HTTPStatusCode")
                    if code == expected and status == 400:
                        tally["refused"] += 1
                    else:
                        tally["wrong_error"].append(f"{label}: {code} {status}")
                except Exception as error:  # a client that cannot even send it (e.g. a URI label too odd)
                    tally["unsendable"].append(f"{label}: {type(error).__name__}")


# ---------- (c) waiters and paginators ----------

def run_waiters_and_paginators(results):
    handler = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "local", "fixtures", "handlers.echo")
    lam, ssm, sm = client("lambda"), client("ssm"), client("sagemaker")
    lam.create_function(FunctionName="conf-wait", Role=ROLE, Handler=handler, Code={})
    ssm.put_parameter(Name="/conf/page/a", Value="1", Type="String")
    ssm.put_parameter(Name="/conf/page/b", Value="2", Type="String")
    waiters = [
        ("lambda", "function_exists", {"FunctionName": "conf-wait"}),
        ("lambda", "function_active", {"FunctionName": "conf-wait"}),
        ("lambda", "function_active_v2", {"FunctionName": "conf-wait"}),
        ("lambda", "function_updated", {"FunctionName": "conf-wait"}),
        ("lambda", "function_updated_v2", {"FunctionName": "conf-wait"}),
        ("sagemaker", "endpoint_deleted", {"EndpointName": "conf-none"}),
    ]
    for service, name, params in waiters:
        c = {"lambda": lam, "sagemaker": sm}[service]
        if name not in c.waiter_names:
            continue
        try:
            c.get_waiter(name).wait(WaiterConfig={"Delay": 1, "MaxAttempts": 5}, **params)
            results[service]["waiters"][name] = "ok"
        except Exception as error:
            results[service]["waiters"][name] = f"failed: {error}"
    paginators = [
        ("ssm", "describe_parameters", {"PaginationConfig": {"PageSize": 1}}),
        ("ssm", "get_parameters_by_path", {"Path": "/conf/page", "PaginationConfig": {"PageSize": 1}}),
        ("ssm", "get_parameter_history", {"Name": "/conf/page/a", "PaginationConfig": {"PageSize": 1}}),
        ("lambda", "list_functions", {"PaginationConfig": {"PageSize": 1}}),
        ("sagemaker", "list_pipelines", {}),
        ("sagemaker", "list_models", {}),
        ("sagemaker", "list_endpoints", {}),
        ("sagemaker", "list_training_jobs", {}),
        ("sagemaker", "list_model_package_groups", {}),
    ]
    for service, name, params in paginators:
        c = {"lambda": lam, "sagemaker": sm, "ssm": ssm}[service]
        try:
            pages = list(c.get_paginator(name).paginate(**params))
            results[service]["paginators"][name] = f"ok ({len(pages)} pages)"
        except Exception as error:
            results[service]["paginators"][name] = f"failed: {error}"
    lam.delete_function(FunctionName="conf-wait")
    ssm.delete_parameters(Names=["/conf/page/a", "/conf/page/b"])


def main():
    services = [s for s in ("ssm", "lambda", "sagemaker", "sagemaker-runtime") if s in IMPLEMENTED]
    results = {
        s: {"implemented": IMPLEMENTED[s], "answers": {}, "waiters": {}, "paginators": {},
            "invalid": {"sent": 0, "refused": 0, "accepted": [], "wrong_error": [], "unsendable": []}}
        for s in services
    }
    run_scenario(results)
    run_invalid(results, services)
    run_waiters_and_paginators(results)
    print(json.dumps({"botocore": botocore.__version__, "services": results}, indent=1))


main()
