"""Back-office pages for the photos of a listing or a park (and the park agent's photo):
upload (checked, EXIF stripped, thumbnails made by parks.photos) and removal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from parklink.office.access import operator_required
from parklink.parks import services
from parklink.parks.models import Park, Space
from parklink.parks.photos import MAX_BYTES

ACCEPT = "image/jpeg,image/png,image/webp"


def _upload_bytes(request: HttpRequest) -> bytes:
    upload = request.FILES.get("photo")
    if upload is None:
        return b""
    if upload.size and upload.size > MAX_BYTES:
        raise ValidationError({"photo": _("图片不能超过 8 MB")})
    return upload.read(MAX_BYTES + 1)


def _handle(request: HttpRequest, obj: Park | Space) -> str | None:
    """Run the posted action; the error message to show, or None when it succeeded."""
    action = request.POST.get("action", "add")
    try:
        if action == "remove":
            services.photo_remove(obj=obj, url=request.POST.get("url", ""), actor=request.user)
            messages.success(request, _("已删除图片"))
        elif action == "agent" and isinstance(obj, Park):
            services.park_agent_photo_set(park=obj, data=_upload_bytes(request), actor=request.user)
            messages.success(request, _("已更新顾问照片"))
        else:
            services.photo_add(obj=obj, data=_upload_bytes(request), actor=request.user)
            messages.success(request, _("已上传图片"))
    except ValidationError as exc:
        return "; ".join(exc.messages)
    return None


def _page(request: HttpRequest, obj: Park | Space, back: str, status: int = 200, error=None):
    return render(
        request,
        "office/catalogue/photos.html",
        {
            "obj": obj,
            "is_park": isinstance(obj, Park),
            "back": back,
            "error": error,
            "accept": ACCEPT,
            "max_mb": MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


@operator_required
def space_photos(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space.objects.select_related("park"), pk=pk)
    back = f"/office/catalogue/spaces/{space.pk}/"
    if request.method == "POST":
        error = _handle(request, space)
        if error is None:
            return redirect("office:catalogue-space-photos", pk=space.pk)
        return _page(request, space, back, status=400, error=error)
    return _page(request, space, back)


@operator_required
def park_photos(request: HttpRequest, pk: int) -> HttpResponse:
    park = get_object_or_404(Park, pk=pk)
    back = f"/office/catalogue/parks/{park.pk}/"
    if request.method == "POST":
        error = _handle(request, park)
        if error is None:
            return redirect("office:catalogue-park-photos", pk=park.pk)
        return _page(request, park, back, status=400, error=error)
    return _page(request, park, back)
