"""Checks a parsed answer against an operation's output shape (required members, types, enums, lengths,
ranges and patterns, nesting)."""
import datetime
import re

from botocore.response import StreamingBody


class ShapeChecker:
    """Judges answers with the client's own model. An enum value the client's (older) model lacks but the
    model the local AWS follows has is a newer value AWS answers too: noted, not a problem."""

    def __init__(self, served_model):
        self.newer_enums = {name: set(shape.get("enum", [])) for name, shape in served_model["shapes"].items()}
        self.served_required = {name: set(shape.get("required", [])) for name, shape in served_model["shapes"].items()}
        self.served_shapes = served_model["shapes"]
        self.notes = []

    def errors(self, shape, value, path):
        out = []
        self._check(shape, value, path, out)
        return out

    def _check(self, shape, value, path, out):
        kind = shape.type_name
        check = getattr(self, f"_{kind}", None)
        if check is not None:
            check(shape, value, path, out)
        elif kind in ("integer", "long"):
            if not isinstance(value, int) or isinstance(value, bool):
                out.append(f"{path}: expected an integer, got {value!r}")
            else:
                self._constraints(shape, value, value, path, out)
        elif kind in ("float", "double"):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                out.append(f"{path}: expected a number, got {value!r}")
            else:
                self._constraints(shape, value, value, path, out)

    def _structure(self, shape, value, path, out):
        if not isinstance(value, dict):
            out.append(f"{path}: expected a structure, got {type(value).__name__}")
            return
        for name in shape.required_members:
            if name in value:
                continue
            if shape.name in self.served_required and name not in self.served_required[shape.name]:
                self.notes.append(f"{path}.{name}: required by this client's model, optional in the newer one")
            else:
                out.append(f"{path}.{name}: required member missing")
        for name, member in shape.members.items():
            if name in value and not member.serialization.get("eventstream"):
                self._check(member, value[name], f"{path}.{name}", out)

    def _list(self, shape, value, path, out):
        if not isinstance(value, list):
            out.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        # AWS answers an empty list where the model says at least one (SSM GetParameterHistory's
        # `"Labels": []` in its own documentation), so only the maximum holds for answers.
        self._constraints(shape, len(value), f"{len(value)} items", path, out, ignore=("min",))
        for index, item in enumerate(value):
            self._check(shape.member, item, f"{path}[{index}]", out)

    def _map(self, shape, value, path, out):
        if not isinstance(value, dict):
            out.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        for key, item in value.items():
            self._check(shape.key, key, f"{path} key {key!r}", out)
            self._check(shape.value, item, f"{path}.{key}", out)

    def _string(self, shape, value, path, out):
        if isinstance(value, str):
            self._constraints(shape, len(value), value, path, out)
        if not isinstance(value, str):
            out.append(f"{path}: expected a string, got {type(value).__name__}")
        elif shape.enum and value not in shape.enum:
            if value in self.newer_enums.get(shape.name, ()):
                self.notes.append(f"{path}: {value!r} is newer than this client's enum {shape.name}")
            else:
                out.append(f"{path}: {value!r} is not one of the enum {shape.enum}")

    def _constraints(self, shape, size, value, path, out, ignore=()):
        """Lengths, ranges and patterns of the client's model; one only the older model has is a note."""
        for broken in _broken(shape.metadata, size, value, ignore):
            served = self.served_shapes.get(shape.name, {})
            if broken in _broken(served, size, value, ignore) or not served:
                out.append(f"{path}: {str(value)[:80]!r} {broken}")
            else:
                self.notes.append(f"{path}: {str(value)[:80]!r} {broken} of this client's model, not the newer one")

    def _boolean(self, shape, value, path, out):
        if not isinstance(value, bool):
            out.append(f"{path}: expected a boolean, got {value!r}")

    def _timestamp(self, shape, value, path, out):
        if not isinstance(value, datetime.datetime):
            out.append(f"{path}: expected a timestamp, got {value!r}")

    def _blob(self, shape, value, path, out):
        if not isinstance(value, (bytes, bytearray, StreamingBody)):
            out.append(f"{path}: expected a blob, got {type(value).__name__}")


def _broken(meta, size, value, ignore=()):
    """The constraints of `meta` (a shape's min, max, pattern; less `ignore`) that a value of `size` breaks."""
    broken = []
    if "min" in meta and "min" not in ignore and size < meta["min"]:
        broken.append(f"is below the model's min {meta['min']}")
    if "max" in meta and size > meta["max"]:
        broken.append(f"is above the model's max {meta['max']}")
    pattern = meta.get("pattern")
    if isinstance(value, str) and pattern and "\\p" not in pattern:
        try:
            if not re.fullmatch(pattern, value):
                broken.append(f"does not match the model's pattern {pattern}")
        except re.error:
            pass
    return broken
