"""Shared pieces of the API contract: the error body, request-body schemas without
unresolvable references, and the error responses every operation documents.

`documented_errors` is applied to the generated OpenAPI document (see `urls.ParkLinkAPI`), so
each operation lists the 4xx answers it can give, in one place rather than on every
decorator:

- 400 malformed or too deeply nested JSON (operations with a body);
- 401 / 403 a missing, expired or revoked token, a role that may not (token operations);
- 404 an id (in the path or a parameter) that names nothing, or that no database id can hold;
- 413 a body over the size limit (operations with a body);
- 422 parameters or fields that do not validate (every operation);
- 429 the per-IP rate limit (the public write operations that are limited).
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from pydantic import BeforeValidator, Field

from parklink.core.hygiene import MAX_DECIMAL, MAX_ID


def _iso_date_only(value: Any) -> Any:
    # pydantic's lax mode reads 0 or "0" as 1970-01-01 (a Unix time): dates are ISO text.
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    raise ValueError("日期应为 YYYY-MM-DD / date must be YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Request bodies take JSON types as the schema says: pydantic's lax mode would read
# `false` as 0 and `0` as False, which the schema does not promise.


def _json_integer(value: Any) -> Any:
    # JSON Schema's integer is a number without a fraction: 5.0 is one, true and "5" are not.
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


# (Field first: after a BeforeValidator pydantic would print the bounds as ge/le, not
# minimum/maximum, and the schema would no longer state them.)
Int = Annotated[int, Field(strict=True), BeforeValidator(_json_integer)]
Score = Annotated[int, Field(strict=True, ge=1, le=5), BeforeValidator(_json_integer)]
Number = Annotated[float, Field(strict=True)]
Bool = Annotated[bool, Field(strict=True)]
Amount = Annotated[float, Field(ge=0, le=float(MAX_DECIMAL))]


class ObjectBodyParser(Parser):
    """JSON bodies must be objects: `[null, null]` or `1` is a 422, never read as empty."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise NinjaValidationError(
                [
                    {
                        "loc": ("body",),
                        "msg": "请求体应为 JSON 对象 / the body must be a JSON object",
                        "type": "model_type",
                    }
                ]
            )
        return data


class FieldError(Schema):
    field: str
    message: str
    message_zh: str | None = None
    message_en: str | None = None


class ErrorOut(Schema):
    """Every error answer: `error` in Chinese and English ("中文 / English"), and for input
    errors the fields at fault."""

    error: str
    fields: list[FieldError] = []


ERROR_DESCRIPTIONS = {
    "400": "请求体不是合法的 JSON 或嵌套过深 / malformed or too deeply nested JSON",
    "401": "需要有效的接口令牌 / a valid API token is required",
    "403": "无权执行此操作 / not allowed for this role",
    "404": "不存在 / not found",
    "413": "请求过大 / request too large",
    "422": "输入不合法 / invalid input",
    "429": "请求过于频繁 / too many requests",
}

# Operations behind the per-IP rate limits (method, path as in the schema).
RATE_LIMITED = {
    ("post", "/api/v1/leads"),
    ("post", "/api/v1/match"),
    ("post", "/api/v1/policies/match"),
}


def inline_schema(model: type[Schema]) -> dict[str, Any]:
    """The JSON schema of `model` with its `$defs` inlined, for `openapi_extra` request
    bodies (pydantic's `#/$defs/...` references do not resolve inside an OpenAPI document)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                target = copy.deepcopy(defs[ref.removeprefix("#/$defs/")])
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return resolve({**target, **rest})
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


def documented_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses each operation can give (see the module docstring)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("FieldError", FieldError.model_json_schema())
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    error_schema.pop("$defs", None)
    components.setdefault("ErrorOut", error_schema)
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            codes = ["404", "422"]  # 404: a path id, or an id in a parameter, names nothing
            if method in ("post", "put", "patch"):
                codes += ["400", "413"]
            if operation.get("security"):
                codes += ["401", "403"]
            if (method, path) in RATE_LIMITED:
                codes.append("429")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return schema
