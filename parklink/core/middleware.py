"""Request logging (one structured line per request) and input hygiene."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.request import RawPostDataException

from parklink.core import hygiene

logger = logging.getLogger("parklink.request")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        if request.path.startswith("/static/"):
            return response
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - start) * 1000, 1),
            },
        )
        return response


class InputHygieneMiddleware:
    """Input hygiene for every request, at one place (rules in `parklink.core.hygiene`).

    - the path, query parameters, headers and form fields lose NUL characters and lone surrogates
      before any view (and so any database write) sees them;
    - a JSON body nested deeper than `hygiene.MAX_JSON_DEPTH` is answered 400 (zh + en)
      before anything parses it; a JSON body whose strings hold NUL or lone surrogates is
      re-encoded without them (the raw inquiry record stores the cleaned text);
    - a view argument that is an id no database row can have (> 2^63-1) is answered 404.
    """

    JSON_TYPES = ("application/json", "text/json")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hygiene.has_bad_chars(request.path_info):
            request.path_info = hygiene.clean_text(request.path_info)
            request.path = hygiene.clean_text(request.path)
        request.GET = self._clean_querydict(request.GET)
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and hygiene.has_bad_chars(value):
                request.META[key] = hygiene.clean_text(value)
        refusal = self._clean_body(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # The router's plain-text 405: the API's JSON error body, with its Allow header.
            allowed = response.get("Allow", "")
            json_405 = _json_error(
                405, f"不支持的请求方法(可用:{allowed})", f"method not allowed (allowed: {allowed})"
            )
            if allowed:
                json_405["Allow"] = allowed
            return json_405
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        for name, value in view_kwargs.items():
            if _is_id_name(name) and not hygiene.id_in_range(value):
                return self._not_found(request)
        return None

    @staticmethod
    def _clean_querydict(qd: QueryDict) -> QueryDict:
        if not any(
            hygiene.has_bad_chars(k) or any(hygiene.has_bad_chars(v) for v in vs)
            for k, vs in qd.lists()
        ):
            return qd
        clean = QueryDict(mutable=True, encoding=qd.encoding)
        for key, values in qd.lists():
            clean.setlist(hygiene.clean_text(key), [hygiene.clean_text(v) for v in values])
        clean._mutable = False
        return clean

    def _clean_body(self, request: HttpRequest) -> HttpResponse | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = (request.content_type or "").lower()
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            # Lazily: the form is cleaned when the view first reads it, so a view that
            # refuses a request by its size or rate never has its body parsed.
            load = request._load_post_and_files

            def load_and_clean() -> None:
                load()
                request._post = self._clean_querydict(request._post)

            request._load_post_and_files = load_and_clean
            return None
        if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return self._too_large(request)  # elsewhere Django refuses it when read
        try:
            body = request.body
        except RequestDataTooBig:
            return self._too_large(request)
        except RawPostDataException:
            return None  # already streamed: the view answers it
        if not body:
            return None
        looks_json = content_type in self.JSON_TYPES or content_type.endswith("+json")
        if not looks_json and body.lstrip()[:1] not in (b"{", b"["):
            return None
        if hygiene.json_too_deep(body):
            return _json_error(
                400,
                f"JSON 嵌套过深(最多 {hygiene.MAX_JSON_DEPTH} 层)",
                f"JSON nested too deeply (at most {hygiene.MAX_JSON_DEPTH} levels)",
            )
        if b"\\u" not in body and b"\x00" not in body and _RAW_SURROGATE.search(body) is None:
            return None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None  # invalid JSON: the view answers it
        clean = hygiene.clean_data(data)
        if clean != data:
            request._body = json.dumps(clean, ensure_ascii=False).encode("utf-8")
        return None

    @staticmethod
    def _too_large(request: HttpRequest) -> HttpResponse | None:
        """The API's 413 (its JSON error body, as the OpenAPI document says) for a body over
        ``DATA_UPLOAD_MAX_MEMORY_SIZE``; other pages leave it to Django's refusal."""
        if not request.path_info.startswith("/api/"):
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return _json_error(
            413, f"提交内容过大(上限 {limit} 字节)", f"request too large (limit {limit} bytes)"
        )

    @staticmethod
    def _not_found(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return _json_error(404, "不存在", "not found")
        raise Http404("id out of range")


# A UTF-16 surrogate encoded as if it were a character (CESU-8, "\xed\xa0\x80"): invalid
# UTF-8, but json.loads(bytes) decodes it (surrogatepass) into a lone surrogate.
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")


def _is_id_name(name: str) -> bool:
    return name in ("pk", "id") or name.endswith(("_id", "_pk"))


def _declared_length(request: HttpRequest) -> int:
    parsed = hygiene.parse_int(request.META.get("CONTENT_LENGTH"), default=0)
    return parsed or 0


def _json_error(status: int, zh: str, en: str) -> JsonResponse:
    return JsonResponse(
        {"error": f"{zh} / {en}", "fields": []},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
