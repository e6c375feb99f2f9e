"""Conformance of the local AWS, judged by botocore (a client nobody here wrote).

Usage: python conformance.py <endpoint> <implemented.json> <models dir> [<endpoint name to leave in service>]
  implemented.json: {"<botocore service>": ["Operation", ...]}, what the providers implement;
  models dir: the service models the local AWS follows (local/models/<service>.json).
Prints one JSON object: per service, every implemented operation's answers checked against this botocore's
output shapes, the requests that each break one input constraint and how they were refused, and botocore's
waiters and paginators of the implemented operations. Exits 0; the caller judges the figures.
"""
import json
import os
import re
import sys
import time

import botocore
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import ServiceModel

import scenario
from invalid_requests import invalid_requests
from shapes import ShapeChecker
from steps import Call, Until, Wait

ENDPOINT, IMPLEMENTED, MODELS = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
KEPT_ENDPOINT = sys.argv[4] if len(sys.argv) > 4 else None
PREFIX = "conf"
VALIDATION_CODES = {
    "json": {"ValidationException"}, "rest-json": {"ValidationException"}, "query": {"ValidationError"},
    # S3: bad arguments are InvalidArgument, a missing or bad XML body MalformedXML; HEAD answers carry no
    # body, so botocore reports the status as the code.
    "rest-xml": {"InvalidArgument", "MalformedXML", "400"},
}
# Waiters of implemented operations that no scenario can reach, and why (docs/local-aws.md lists them).
NOT_APPLICABLE = {
    ("cloudformation", "stack_import_complete"): "resource import (ChangeSetType IMPORT) is not implemented",
}
WAIT = {"Delay": 0.2, "MaxAttempts": 300}

session = botocore.session.get_session()
clients = {}


def client(service, validate=True):
    key = (service, validate)
    if key not in clients:
        config = Config(parameter_validation=validate, retries={"max_attempts": 0}, read_timeout=120)
        clients[key] = session.create_client(
            service, region_name="us-east-1", endpoint_url=ENDPOINT,
            aws_access_key_id="test", aws_secret_access_key="test", config=config)
    return clients[key]


def served_model(service):
    with open(os.path.join(MODELS, f"{service}.json")) as handle:
        return json.load(handle)


def snake(operation):
    return botocore.xform_name(operation)


def names_member(error, member, argument):
    """S3's InvalidArgument names the argument as sent (`<ArgumentName>x-amz-acl</ArgumentName>`); a body
    S3 cannot read (MalformedXML) or a HEAD answer names nothing. Elsewhere AWS's wording, `N validation
    error(s) detected: Value ... at '<member>' failed to satisfy constraint: ...; ...`, with every error at
    the broken member (a value may break its length and its pattern; a map's key is `<member>.key`)."""
    if error["Code"] == "InvalidArgument":
        return error.get("ArgumentName") == argument
    if error["Code"] in ("MalformedXML", "400"):
        return True
    paths = re.findall(r"at '([^']+)' failed to satisfy constraint", error.get("Message") or "")
    return bool(paths) and all(path == member or path.startswith(f"{member}.") for path in paths)


def page_outcome(pages, answer, result_key, page_size):
    """`ok (...)` if the pages hold the items of the unpaged answer, in more than one page when they must."""
    paged = sum(len(page.get(result_key, [])) for page in pages)
    whole = len(answer.get(result_key, []))
    complete = not any(answer.get(k) for k in ("NextToken", "NextMarker", "NextContinuationToken", "IsTruncated"))
    if complete and paged != whole:
        return f"failed: {paged} {result_key} over {len(pages)} pages, {whole} in one answer"
    if page_size and whole > page_size and len(pages) < 2:
        return f"failed: {whole} {result_key} in one page of at most {page_size}"
    return f"ok ({len(pages)} pages, {paged} {result_key})"


class Run:
    def __init__(self, services):
        self.results = {
            s: {"implemented": IMPLEMENTED[s], "answers": {}, "waiters": {}, "paginators": {}, "notes": [],
                "invalid": {"sent": 0, "refused": 0, "accepted": [], "wrong_error": [], "wrong_member": [],
                            "unsendable": []}}
            for s in services}
        self.checkers = {s: ShapeChecker(served_model(s)) for s in services}
        self.seen, self.params, self.durations = {}, {}, []

    # ---------- (a) the scenario: answers checked against the output shape ----------

    def scenario(self):
        for step in scenario.steps(PREFIX, KEPT_ENDPOINT):
            if step.service not in self.results:
                continue
            if isinstance(step, Call) and step.operation not in IMPLEMENTED[step.service]:
                continue
            try:
                params = step.params(self.seen) if callable(step.params) else step.params
            except KeyError as missing:
                self.unreachable(step, f"needs the answer of {missing}, which failed")
                continue
            began = time.time()
            if isinstance(step, Wait):
                self.wait(step.service, step.waiter, params)
            elif isinstance(step, Until):
                self.until(step, params)
            else:
                self.call(step.service, step.operation, params)
            self.durations.append((round(time.time() - began, 2), f"{type(step).__name__} {step.service} "
                                   f"{getattr(step, 'operation', None) or step.waiter}"))

    def unreachable(self, step, reason):
        if isinstance(step, Wait):
            self.results[step.service]["waiters"][step.waiter] = f"failed: {reason}"
        else:
            entry = self.results[step.service]["answers"].setdefault(step.operation, {"calls": 0, "problems": []})
            entry["problems"].append(reason)

    def call(self, service, operation, params):
        entry = self.results[service]["answers"].setdefault(operation, {"calls": 0, "problems": []})
        entry["calls"] += 1
        try:
            answer = client(service)._make_api_call(operation, params)
        except ClientError as error:
            entry["problems"].append(f"error {error.response['Error'].get('Code')}: {error}")
            return
        except Exception as error:  # the scenario's own mistake, or an answer botocore cannot parse
            entry["problems"].append(f"{type(error).__name__}: {error}")
            return
        answer.pop("ResponseMetadata", None)
        # botocore's customizations set an absent member to None (GetBucketLocation in us-east-1, as AWS
        # answers it) and decode CloudFormation's JSON TemplateBody into a dict: not the wire's doing.
        answer = {name: value for name, value in answer.items() if value is not None}
        if isinstance(answer.get("TemplateBody"), dict):
            answer["TemplateBody"] = json.dumps(answer["TemplateBody"])
        self.seen[operation] = answer
        self.params.setdefault((service, operation), params)
        output = client(service).meta.service_model.operation_model(operation).output_shape
        if output is not None:
            entry["problems"].extend(self.checkers[service].errors(output, answer, operation))
        self.paginate(service, operation, params, answer)

    def until(self, step, params, timeout=120):
        deadline, answer = time.time() + timeout, None
        try:
            while time.time() < deadline:
                answer = client(step.service)._make_api_call(step.operation, params)
                if step.done(answer):
                    return
                time.sleep(0.2)
            self.unreachable(step, f"still not done after {timeout} s of polling; last answer {answer}")
        except Exception as error:
            self.unreachable(step, f"polling failed: {type(error).__name__}: {error}")

    def wait(self, service, name, params):
        try:
            client(service).get_waiter(name).wait(WaiterConfig=WAIT, **params)
            self.results[service]["waiters"][name] = "ok"
        except Exception as error:
            self.results[service]["waiters"][name] = f"failed: {error}"

    def paginate(self, service, operation, params, answer):
        """Runs the operation's paginator once, one item a page, and compares the items with the answer's."""
        c, name = client(service), snake(operation)
        if not c.can_paginate(name) or name in self.results[service]["paginators"]:
            return
        paginator = c.get_paginator(name)
        config = paginator._pagination_cfg
        limit_key, result_key = config.get("limit_key"), config["result_key"]
        result_key = result_key[0] if isinstance(result_key, list) else result_key
        input_shape = c.meta.service_model.operation_model(operation).input_shape
        page_size = int(input_shape.members[limit_key].metadata.get("min", 1)) if limit_key else None
        args = {k: v for k, v in params.items() if k != limit_key}
        try:
            pages = list(paginator.paginate(**args, PaginationConfig={"PageSize": page_size} if page_size else {}))
            self.results[service]["paginators"][name] = page_outcome(pages, answer, result_key, page_size)
        except Exception as error:
            self.results[service]["paginators"][name] = f"failed: {error}"

    # ---------- (b) requests that break one input constraint ----------

    def invalid(self):
        for service, figures in self.results.items():
            model = ServiceModel(served_model(service), service)
            expected = VALIDATION_CODES[model.protocol]
            loose, tried = client(service, validate=False), set()
            for operation in IMPLEMENTED[service]:
                params = self.params.get((service, operation))
                if params is None:
                    continue
                for label, member, argument, request in invalid_requests(
                        model, loose.meta.service_model, operation, params, tried):
                    self.send_invalid(figures["invalid"], loose, operation, label, (member, argument), request, expected)

    @staticmethod
    def send_invalid(tally, loose, operation, label, member, request, expected):
        """`member`: (AWS's path of the broken member, its top-level member's wire name)."""
        tally["sent"] += 1
        try:
            loose._make_api_call(operation, request)
            tally["accepted"].append(label)
        except ClientError as error:
            code = error.response["Error"].get("Code")
            status = error.response["ResponseMetadata"].get("HTTPStatusCode")
            message = error.response["Error"].get("Message") or ""
            if code not in expected or status != 400:
                tally["wrong_error"].append(f"{label}: {code} {status} {message[:200]}")
            elif not names_member(error.response["Error"], *member):
                tally["wrong_member"].append(f"{label}: {error.response['Error']}"[:300])
            else:
                tally["refused"] += 1
        except Exception as error:  # a client that cannot even send it (e.g. a URI label too odd)
            tally["unsendable"].append(f"{label}: {type(error).__name__}")

    # ---------- (c) every waiter and paginator of an implemented operation ----------

    def coverage(self):
        for service, figures in self.results.items():
            c = client(service)
            implemented = {snake(op) for op in IMPLEMENTED[service]}
            for name in c.waiter_names:
                if snake(c.get_waiter(name).config.operation) not in implemented or name in figures["waiters"]:
                    continue
                reason = NOT_APPLICABLE.get((service, name))
                figures["waiters"][name] = f"not applicable: {reason}" if reason else "not run: no scenario step"
            for name in implemented:
                if c.can_paginate(name) and name not in figures["paginators"]:
                    figures["paginators"][name] = "not run: no scenario call"
            figures["notes"] = self.checkers[service].notes


def main():
    services = [s for s in IMPLEMENTED if s in session.get_available_services()]
    run = Run(services)
    started = time.time()
    run.scenario()
    scenario_seconds = time.time() - started
    run.invalid()
    run.coverage()
    print(json.dumps({"botocore": botocore.__version__, "seconds": {
        "scenario": round(scenario_seconds, 1), "total": round(time.time() - started, 1)},
                      "slowest_steps": sorted(run.durations, reverse=True)[:8], "services": run.results}, indent=1))


main()
