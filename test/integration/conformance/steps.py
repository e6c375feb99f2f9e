"""The kinds of scenario step. Parameters may be a callable of the answers so far (by operation)."""
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class Call:
    """A valid call whose parsed answer is checked against the output shape."""
    service: str
    operation: str
    params: Any


@dataclass
class Wait:
    """Runs one of botocore's waiters."""
    service: str
    waiter: str
    params: Any


@dataclass
class Until:
    """Polls an operation (answers not checked again) until `done(answer)`: where botocore has no waiter."""
    service: str
    operation: str
    params: Any
    done: Callable[[dict], bool]
