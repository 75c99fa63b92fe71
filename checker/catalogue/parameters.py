"""Key technical parameters of national directory entries, and checking a stated value against them.

The directories write thresholds as ``分辨率≤65nm；套刻≤8nm`` or ranges as
``密度2.5~3.2 g/cm3``; conditions follow in brackets (``强度保持率≥80%(1300℃…)``),
and some requirements are prose (``2 MW/m2以上热流环境下1000 s零烧蚀``), kept as text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

OPS = ("≤", "≥", "<", ">", "=", "range", "text")

_OP_WORDS = {
    "<=": "≤", "≤": "≤", "不大于": "≤", "不超过": "≤", "不高于": "≤", "小于等于": "≤", "小于或等于": "≤",
    ">=": "≥", "≥": "≥", "不小于": "≥", "不低于": "≥", "大于等于": "≥", "大于或等于": "≥",
    "<": "<", "小于": "<", "低于": "<",
    ">": ">", "大于": ">", "高于": ">",
    "=": "=", "为": "=",
}
_OP_RE = re.compile("|".join(sorted(map(re.escape, _OP_WORDS), key=len, reverse=True)))
_SYMBOL_OP_RE = re.compile(r"<=|>=|[≤≥<>=]")  # directories write thresholds with symbols only
_NUMBER = r"-?\d+(?:\.\d+)?"
_RANGE_RE = re.compile(rf"({_NUMBER})\s*([^\d~～\s]*)\s*[~～]\s*({_NUMBER})")
_LEADING_NUMBER_RE = re.compile(rf"\s*({_NUMBER})\s*(.*)", re.S)

# unit → (dimension, factor to the base unit); only these are converted, others must be equal
_UNIT_SCALE = {
    "nm": ("m", 1e-9), "μm": ("m", 1e-6), "um": ("m", 1e-6), "mm": ("m", 1e-3), "cm": ("m", 1e-2),
    "m": ("m", 1.0), "pa": ("pa", 1.0), "kpa": ("pa", 1e3), "mpa": ("pa", 1e6), "gpa": ("pa", 1e9),
}


@dataclass(frozen=True, slots=True)
class KeyParameter:
    name: str
    op: str  # one of OPS
    value: float | None = None  # the threshold, or the low end of a range
    high: float | None = None  # the high end of a range
    unit: str = ""
    condition: str = ""  # bracketed test condition or note after the value
    text: str = ""  # the parameter as published

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        if self.op == "text":
            return self.text
        if self.op == "range":
            return f"{self.name}{_fmt(self.value)}~{_fmt(self.high)}{self.unit}"
        return f"{self.name}{self.op}{_fmt(self.value)}{self.unit}"


@dataclass(frozen=True, slots=True)
class StatedValue:
    """What a tender says about one parameter: ``≤38nm``, ``38 nm``, ``2.6~2.8 g/cm3``."""

    op: str | None  # None for a bare value
    value: float
    high: float | None = None
    unit: str = ""

    def describe(self) -> str:
        if self.high is not None:
            return f"{_fmt(self.value)}~{_fmt(self.high)}{self.unit}"
        return f"{self.op or ''}{_fmt(self.value)}{self.unit}"


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def parse_key_parameters(text: str | None) -> tuple[KeyParameter, ...]:
    if not text:
        return ()
    text = unicodedata.normalize("NFKC", text)
    return tuple(_parse_one(part.strip()) for part in re.split(r"[;；]", text) if part.strip())


def key_parameter_from_dict(data: dict[str, Any]) -> KeyParameter:
    return KeyParameter(**{k: data[k] for k in KeyParameter.__dataclass_fields__ if k in data})


def _mask_brackets(text: str) -> str:
    """Blank out bracketed text so that operators and ranges inside conditions are not read."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        out.append(ch if depth == 0 else " ")
        if ch == ")" and depth:
            depth -= 1
    return "".join(out)


def _split_unit(tail: str) -> tuple[str, str]:
    """``MPa(1300℃…)`` → (``MPa``, ``(1300℃…)``); a bracket right after ``/`` belongs to the unit."""
    for i, ch in enumerate(tail):
        if ch == "(" and (i == 0 or tail[i - 1] != "/"):
            return tail[:i].strip(), tail[i:].strip()
    return tail.strip(), ""


def _parse_one(text: str) -> KeyParameter:
    masked = _mask_brackets(text)
    op_match = _SYMBOL_OP_RE.search(masked)
    if op_match:
        number = _LEADING_NUMBER_RE.match(text, op_match.end())
        if number and op_match.start() > 0:
            unit, condition = _split_unit(number.group(2))
            return KeyParameter(
                name=text[: op_match.start()].strip(),
                op=_OP_WORDS[op_match.group()],
                value=float(number.group(1)),
                unit=unit,
                condition=condition,
                text=text,
            )
    range_match = _RANGE_RE.search(masked)
    if range_match and range_match.start() > 0:
        unit, condition = _split_unit(text[range_match.end():])
        return KeyParameter(
            name=text[: range_match.start()].strip(),
            op="range",
            value=float(range_match.group(1)),
            high=float(range_match.group(3)),
            unit=unit or range_match.group(2),
            condition=condition,
            text=text,
        )
    return KeyParameter(name=text, op="text", text=text)


def parse_stated(fragment: str) -> StatedValue | None:
    """Read the value a tender gives right after a parameter's name (``：≤38nm``, ``为2.6~2.8g/cm3``)."""
    fragment = unicodedata.normalize("NFKC", fragment).lstrip(" :：")
    op = None
    op_match = _OP_RE.match(fragment)
    if op_match:
        op = _OP_WORDS[op_match.group()]
        fragment = fragment[op_match.end():]
    range_match = _RANGE_RE.match(fragment.strip())
    if range_match and op in (None, "="):
        unit = _leading_unit(fragment.strip()[range_match.end():]) or range_match.group(2)
        return StatedValue(None, float(range_match.group(1)), float(range_match.group(3)), unit)
    number = _LEADING_NUMBER_RE.match(fragment)
    if not number:
        return None
    return StatedValue(None if op == "=" else op, float(number.group(1)), None, _leading_unit(number.group(2)))


def _leading_unit(text: str) -> str:
    match = re.match(r"[A-Za-zμ°℃%/()·0-9]*", text.strip())
    unit = match.group() if match else ""
    while unit.endswith(("(", ")")) and unit.count("(") != unit.count(")"):  # 90nm) closes the sentence's bracket
        unit = unit[:-1]
    return unit.rstrip("(")


def _in_base(value: float, unit: str, other_unit: str) -> tuple[float, bool]:
    """Convert ``value`` from ``unit`` into ``other_unit``; False when they are not comparable."""
    a, b = unit.lower().replace(" ", ""), other_unit.lower().replace(" ", "")
    if not a or not b or a == b:
        return value, True
    if a in _UNIT_SCALE and b in _UNIT_SCALE and _UNIT_SCALE[a][0] == _UNIT_SCALE[b][0]:
        return value * _UNIT_SCALE[a][1] / _UNIT_SCALE[b][1], True
    return value, False


def meets(parameter: KeyParameter, stated: StatedValue) -> bool | None:
    """Does the stated value satisfy the directory's threshold? None when it cannot be told.

    A bare value or an upper bound satisfies ``≤T`` when it is at most T; a requirement
    that points the other way (a lower bound against ``≤T``) says nothing about it.
    """
    if parameter.op == "text" or parameter.value is None:
        return None
    low, ok = _in_base(stated.value, stated.unit, parameter.unit)
    high, _ = _in_base(stated.high, stated.unit, parameter.unit) if stated.high is not None else (None, ok)
    if not ok:
        return None
    threshold = parameter.value
    if parameter.op in ("≤", "<"):
        if stated.op in ("≥", ">"):
            return None
        top = high if high is not None else low
        return top <= threshold if parameter.op == "≤" or stated.op == "<" else top < threshold
    if parameter.op in ("≥", ">"):
        if stated.op in ("≤", "<"):
            return None
        return low >= threshold if parameter.op == "≥" or stated.op == ">" else low > threshold
    if parameter.op == "range":
        if stated.op is not None:
            return None
        top = high if high is not None else low
        return parameter.value <= low and top <= parameter.high
    if parameter.op == "=":
        return stated.op is None and high is None and abs(low - threshold) <= 1e-9 * max(1.0, abs(threshold))
    return None
