"""Requests that each break ONE input constraint of the model the local AWS follows, built from a valid call.

Each starts from the parameters of the scenario's valid call of the operation, so the broken constraint is
the only thing wrong with it; the answer must be the protocol's validation error, naming that member (in
AWS's message, or S3's ArgumentName)."""
import copy
import re

MAX_DEPTH = 3
# A string of at most this many characters is sent; longer maxima are not worth the request size.
LONGEST = 5000
PATTERN_BREAKERS = ("!@#$ %^", "\u0000\u0001", "")


def _too_long(shape):
    return "a" * (int(shape.metadata["max"]) + 1)


def _pattern_breaker(pattern):
    for candidate in PATTERN_BREAKERS:
        try:
            if not re.fullmatch(pattern, candidate):
                return candidate
        except re.error:
            return None
    return None


def _string_values(shape, location):
    meta, cases = shape.metadata, []
    if shape.enum:
        cases.append(("enum", "NotInTheEnum"))
    if "max" in meta and int(meta["max"]) < LONGEST:
        cases.append(("max length", _too_long(shape)))
    minimum = int(meta.get("min", 0))
    # An empty URI label would change the path, so it addresses another resource, not a bad name.
    if minimum > 1 or (minimum == 1 and location != "uri"):
        cases.append(("min length", "a" * (minimum - 1)))
    pattern = meta.get("pattern")
    if pattern and "\\p" not in pattern and not shape.enum:
        candidate = _pattern_breaker(pattern)
        if candidate is not None and not (candidate == "" and location == "uri"):
            cases.append(("pattern", candidate))
    return cases


def _number_values(shape, kind):
    meta, cases = shape.metadata, []
    if "min" in meta:
        cases.append(("min value", kind(meta["min"]) - 1))
    if "max" in meta:
        cases.append(("max value", kind(meta["max"]) + 1))
    return cases


def _list_values(shape, current):
    meta, cases = shape.metadata, []
    if int(meta.get("min", 0)) >= 1:
        cases.append(("min items", []))
    if "max" in meta and int(meta["max"]) < 200 and current:
        cases.append(("max items", [copy.deepcopy(current[0])] * (int(meta["max"]) + 1)))
    return cases


def _map_values(shape, current):
    """A map of the valid call with its first key, or its first value, broken."""
    if not isinstance(current, dict) or not current:
        return []
    key, value = next(iter(current.items()))
    cases = [(f"key {constraint}", {bad: value}) for constraint, bad in breaking_values(shape.key, None, None)]
    if shape.value.type_name == "string":
        cases += [(f"value {constraint}", {key: bad}) for constraint, bad in _string_values(shape.value, None)]
    return cases


def breaking_values(shape, current, location):
    """(constraint, value) pairs that break one of the shape's own constraints."""
    kind = shape.type_name
    if kind == "map":
        return _map_values(shape, current)
    if kind == "string":
        return _string_values(shape, location)
    if kind in ("integer", "long"):
        return _number_values(shape, int)
    if kind in ("float", "double"):
        return _number_values(shape, float)
    if kind == "list":
        return _list_values(shape, current if isinstance(current, list) else None)
    return []


def _with(params, path, value):
    out = copy.deepcopy(params)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


def _without(params, path):
    out = copy.deepcopy(params)
    target = out
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return out


def _label(path):
    return ".".join(str(step) if isinstance(step, str) else f"[{step}]" for step in path)


def _members(served, client_shape, value, path, rest, depth):
    """Yields (constraint, path, bad value, (structure shape, member shape)) for the members of one structure
    of the valid call, and of the structures nested in it."""
    client_members = client_shape.members if client_shape is not None else {}
    for name, member in served.members.items():
        if name not in client_members:
            continue  # this client's model does not know the member: it could not send it
        location = member.serialization.get("location") if depth == 0 else None
        current = value.get(name)
        payload = depth == 0 and served.serialization.get("payload") == name
        # A rest operation's required URI/query/header member addresses the operation: without it the
        # request is another operation (UploadPart without uploadId is PutObject); a missing payload is an
        # empty body on the wire. botocore fills a missing idempotency token itself.
        addressing = rest and (location or payload)
        if name in served.required_members and name in value and not addressing and not member.metadata.get("idempotencyToken"):
            yield "missing required", path + [name], None, (served.name, member.name)
        for constraint, bad in breaking_values(member, current, location):
            yield constraint, path + [name], bad, (served.name, member.name)
        if depth + 1 >= MAX_DEPTH:
            continue
        if member.type_name == "structure" and isinstance(current, dict):
            yield from _members(member, client_members[name], current, path + [name], rest, depth + 1)
        elif member.type_name == "list" and member.member.type_name == "structure" and current:
            client_item = client_members[name].member
            yield from _members(member.member, client_item, current[0], path + [name, 0], rest, depth + 1)


def invalid_requests(served_model, client_model, operation, params, tried):
    """(label, AWS's name of the member, the top-level member's wire name, params) for one-constraint breaks
    of `params`.

    Every required member of every structure is left out once. A value constraint belongs to a shape shared
    by many operations (PipelineName, ModelName, Tag, ...) and is checked by one model-driven validator, so
    each (shape, constraint) is broken the first time it is met (`tried` remembers them across the
    service's operations); every operation gets at least one request."""
    served = served_model.operation_model(operation).input_shape
    if served is None:
        return []
    client_shape = client_model.operation_model(operation).input_shape
    rest = served_model.protocol.startswith("rest")
    candidates = list(_members(served, client_shape, params, [], rest, 0))
    fresh = [c for c in candidates if _key(c) not in tried]
    chosen = fresh or candidates[:1]
    tried.update(_key(c) for c in chosen)
    requests = []
    for constraint, path, bad, _ in chosen:
        edited = _without(params, path) if constraint == "missing required" else _with(params, path, bad)
        argument = served.members[path[0]].serialization.get("name", path[0])
        requests.append((f"{operation}.{_label(path)} ({constraint})", aws_path(path), argument, edited))
    return requests


def _key(candidate):
    constraint, path, _, (owner, shape) = candidate
    # Requiredness is the structure's own (a top-level structure is the operation's input).
    return (owner, path[-1], constraint) if constraint == "missing required" else (shape, constraint)


def aws_path(path):
    """How AWS's validation message names a member: `productionVariants.1.member.variantName`."""
    steps = [f"{step + 1}.member" if isinstance(step, int) else step[:1].lower() + step[1:] for step in path]
    return ".".join(steps)
