"""Photos of parks and listings: checked, cleaned and resized with Pillow.

An upload is accepted when it is at most ``MAX_BYTES`` and Pillow decodes it as JPEG, PNG
or WebP (the name and the browser's content type are not trusted). It is turned upright
(EXIF orientation), re-encoded as JPEG without any metadata (EXIF, GPS, maker notes are
dropped) at most ``MAX_SIDE`` px on its long side, and a thumbnail of ``THUMB_SIDE`` px is
written beside it as ``<name>.thumb.jpg``. Files go to the default storage (MEDIA_ROOT).
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 1600
THUMB_SIDE = 480
FORMATS = {"JPEG", "PNG", "WEBP"}
THUMB_SUFFIX = ".thumb.jpg"


@dataclass(frozen=True)
class StoredPhoto:
    url: str
    thumb_url: str
    width: int
    height: int


def _fail(message: str) -> ValidationError:
    return ValidationError({"photo": message})


def _open(data: bytes) -> Image.Image:
    try:
        probe = Image.open(io.BytesIO(data))
        fmt = probe.format
        width, height = probe.size
        probe.verify()  # a truncated or forged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _fail(_("无法识别的图片文件,请上传 JPG、PNG 或 WebP 图片")) from exc
    if fmt not in FORMATS:
        raise _fail(_("只支持 JPG、PNG 或 WebP 图片"))
    if width * height > MAX_PIXELS:
        raise _fail(_("图片尺寸过大(超过4000万像素)"))
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _jpeg(image: Image.Image, side: int) -> bytes:
    image = image.copy()
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    # No exif=, no icc_profile=: the saved file carries no metadata.
    image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def photo_store(*, data: bytes, folder: str) -> StoredPhoto:
    """Check, clean and store one photo under ``folder`` (e.g. 'spaces/12'); raises
    ValidationError({'photo': …}) with one plain message when the file is refused."""
    if not data:
        raise _fail(_("请选择要上传的图片"))
    if len(data) > MAX_BYTES:
        raise _fail(_("图片不能超过 8 MB"))
    image = ImageOps.exif_transpose(_open(data))
    name = f"{folder.strip('/')}/{secrets.token_hex(8)}"
    main = default_storage.save(f"{name}.jpg", ContentFile(_jpeg(image, MAX_SIDE)))
    thumb = default_storage.save(f"{name}{THUMB_SUFFIX}", ContentFile(_jpeg(image, THUMB_SIDE)))
    width, height = Image.open(default_storage.open(main)).size
    return StoredPhoto(default_storage.url(main), default_storage.url(thumb), width, height)


def thumb_url(url: str) -> str:
    """The thumbnail of a stored photo; other addresses (imported links) unchanged."""
    if url.startswith(settings.MEDIA_URL) and url.endswith(".jpg") and THUMB_SUFFIX not in url:
        return url[: -len(".jpg")] + THUMB_SUFFIX
    return url


def photo_delete(url: str) -> None:
    """Remove a stored photo and its thumbnail (addresses elsewhere are left alone)."""
    if not url.startswith(settings.MEDIA_URL):
        return
    name = url[len(settings.MEDIA_URL) :]
    for path in (name, thumb_url(url)[len(settings.MEDIA_URL) :]):
        if default_storage.exists(path):
            default_storage.delete(path)
