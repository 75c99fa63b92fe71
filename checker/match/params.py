"""What a tender states for a national directory entry's key parameters.

A type-keyed entry (氟化氩光刻机: 分辨率≤65nm；套刻≤8nm) covers a tender item only when
the item meets every threshold the tender states; a threshold the tender does not state
cannot be checked and is reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from checker.catalogue.parameters import KeyParameter, StatedValue, meets, parse_stated
from checker.match.names import fold

SPEC_KEY = "spec"  # the params key holding the item's specification text

# between a parameter's name and its value: a qualifier (精度) and punctuation, no digits
_BRIDGE = re.compile(r"[^\d≤≥<>=,，;；。\n]{0,8}?(?=[≤≥<>=:：不小大为]|\d)")


@dataclass(frozen=True, slots=True)
class ParameterCheck:
    parameter: KeyParameter
    stated: StatedValue | None
    meets: bool | None  # None: not stated, or not comparable

    def reason(self) -> str:
        required = self.parameter.describe()
        if self.stated is None:
            return f"{self.parameter.name} 未在招标文件中写明（目录条目要求 {required}）"
        said = f"{self.parameter.name} {self.stated.describe()}"
        if self.meets is None:
            return f"{said}，无法与 {required} 比较"
        return f"{said}，{'满足' if self.meets else '不满足'} {required}"


def _names(parameter: KeyParameter) -> list[str]:
    name = fold(parameter.name)
    bare = re.sub(r"\([^)]*\)", "", name).strip()
    return list(dict.fromkeys(n for n in (name, bare) if len(n) >= 2))


def _from_dict(names: list[str], values: dict[str, Any]) -> StatedValue | None:
    for key, value in values.items():
        if key == SPEC_KEY or value is None:
            continue
        key = fold(str(key))
        if any(key == n or (len(key) >= 2 and (n in key or key in n)) for n in names):
            if isinstance(value, (int, float)):
                return StatedValue(None, float(value))
            return parse_stated(str(value))
    return None


def _from_text(names: list[str], texts: list[str]) -> StatedValue | None:
    for text in texts:
        for name in names:
            start = text.find(name)
            while start >= 0:
                rest = text[start + len(name):]
                bridge = _BRIDGE.match(rest)
                stated = parse_stated(rest[bridge.end():] if bridge else rest)
                if stated:
                    return stated
                start = text.find(name, start + 1)
    return None


def check_parameters(
    parameters: tuple[KeyParameter, ...], item_name: str, item_params: dict[str, Any] | None
) -> list[ParameterCheck]:
    values = item_params or {}
    texts = [fold(str(values.get(SPEC_KEY) or "")), fold(item_name)]
    checks = []
    for parameter in parameters:
        if parameter.op == "text":
            continue  # prose requirements cannot be read off a tender
        names = _names(parameter)
        stated = _from_dict(names, values) or _from_text(names, texts)
        checks.append(ParameterCheck(parameter, stated, meets(parameter, stated) if stated else None))
    return checks
