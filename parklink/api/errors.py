"""Bilingual JSON errors for the API: one clear message, never a traceback."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

UNKNOWN_FIELD = "不能通过此接口修改的字段 / unknown or read-only field: it cannot be set here"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"error": "不存在 / not found"}, status=404)

    @api.exception_handler(NinjaValidationError)
    def _schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = []
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query")]
            if err.get("type") == "extra_forbidden":
                fields.append({"field": ".".join(loc), "message": UNKNOWN_FIELD})
                continue
            fields.append({"field": ".".join(loc), "message": err.get("msg", "")})
        return api.create_response(
            request,
            {"error": "输入不合法 / invalid input", "fields": fields},
            status=422,
        )

    @api.exception_handler(DjangoValidationError)
    def _domain_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = [
                {"field": f, "message": " ".join(str(m) for m in msgs)}
                for f, msgs in exc.message_dict.items()
            ]
        else:
            fields = [{"field": "", "message": " ".join(exc.messages)}]
        return api.create_response(
            request, {"error": "输入不合法 / invalid input", "fields": fields}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"error": "需要有效的接口令牌 / a valid API token is required"}, status=401
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"error": str(exc)}, status=exc.status_code)
