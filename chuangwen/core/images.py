"""Evidence photos: check that an upload is a real, whole picture of a sensible size, and
re-encode it without its metadata.

Photos from phones carry the owner's location history, device serial numbers and
editing software in EXIF/XMP/comments; evidence is shown to other units and sometimes to
the public, so only the pixels are kept. The two facts the product needs from the
metadata — when and where the picture was taken — are read first and returned as fields.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import ServiceError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Phones (Samsung, some iPhones) write multi-picture JPEGs: the JPEG opener returns them
# as format "MPO".
FORMAT_ALIASES = {"MPO": "JPEG"}
EXTENSION_FORMATS = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "jpe": "JPEG",
    "jfif": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
}
OUTPUT = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
JPEG_QUALITY = 85
# EXIF times without an offset are local camera time; the city's cameras are here.
EXIF_DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    format: str  # what was stored: "JPEG" or "PNG"
    extension: str  # without the dot: "jpg" / "png"
    content_type: str
    width: int
    height: int
    sha256: str
    taken_at: datetime | None
    gps_lat: float | None
    gps_lng: float | None
    source_format: str = ""  # what was uploaded: "JPEG", "PNG" or "WEBP"


def _size_text(size: int) -> str:
    mb = size / (1024 * 1024)
    if mb >= 1:
        return f"{round(mb, 1):g} MB"
    return f"{max(1, round(size / 1024))} KB"


def _pixels_text(pixels: int) -> str:
    if pixels >= 10_000:
        return f"{round(pixels / 10_000):g} 万"
    return str(pixels)


def _read(upload) -> bytes:
    limit = settings.PHOTO_MAX_BYTES
    too_big = ServiceError(f"图片不能超过 {_size_text(limit)}。", field="photo")
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise too_big
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass
    # One byte past the limit tells an oversized stream from one that is exactly at it,
    # without trusting the declared size or reading a huge upload into memory.
    data = upload.read(limit + 1)
    if not data:
        raise ServiceError("图片文件为空,请重新选择。", field="photo")
    if len(data) > limit:
        raise too_big
    return data


def _declared_format(name: str) -> str | None:
    """The format the file name claims; '' when the name has no extension at all."""
    base = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." not in base:
        return ""
    return EXTENSION_FORMATS.get(base.rsplit(".", 1)[-1].strip().lower())


def _unsupported() -> ServiceError:
    return ServiceError("文件不是支持的图片格式,请上传 JPEG、PNG 或 WEBP 图片。", field="photo")


def _open_checked(data: bytes, name: str) -> tuple[Image.Image, str]:
    max_pixels = settings.PHOTO_MAX_PIXELS
    bomb = ServiceError(
        f"图片像素过多(不能超过 {_pixels_text(max_pixels)} 像素),请缩小后再上传。",
        field="photo",
    )
    claimed = _declared_format(name)
    if claimed is None:
        raise _unsupported()
    try:
        img = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise bomb from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unsupported() from exc
    real = FORMAT_ALIASES.get(img.format, img.format)
    if real not in ACCEPTED_FORMATS:
        raise _unsupported()
    if claimed and claimed != real:
        raise ServiceError("文件扩展名与图片实际格式不符。", field="photo")
    # The header's size is known before any pixel is decoded: refuse bombs here, with the
    # project's own limit rather than Pillow's process-wide MAX_IMAGE_PIXELS.
    width, height = img.size
    if width <= 0 or height <= 0:
        raise _unsupported()
    if width * height > max_pixels:
        raise bomb
    corrupt = ServiceError("图片文件已损坏或不完整,无法读取。", field="photo")
    try:
        # verify() checks chunk CRCs that load() skips; it spends the image, so reopen.
        img.verify()
        img = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        img.load()
    except Image.DecompressionBombError as exc:
        raise bomb from exc
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise corrupt from exc
    return img, real


def _exif_time(exif: Image.Exif) -> datetime | None:
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(ExifTags.Base.DateTimeOriginal)
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "ignore")
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, bytes):
        offset = offset.decode("ascii", "ignore")
    match = _OFFSET.match(offset.strip("\x00 ")) if isinstance(offset, str) else None
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta <= timedelta(hours=14):
            return moment.replace(tzinfo=timezone(-delta if sign == "-" else delta))
    return moment.replace(tzinfo=EXIF_DEFAULT_TZ)


def _degrees(value, ref, positive: str, negative: str, limit: float) -> float | None:
    try:
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or len(parts) > 3 or not all(math.isfinite(p) and p >= 0 for p in parts):
        return None
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    ref = (ref or "").strip("\x00 ").upper()
    if ref == negative:
        degrees = -degrees
    elif ref not in ("", positive):
        return None
    return degrees if abs(degrees) <= limit else None


def _exif_gps(exif: Image.Exif) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None, None
    lat = _degrees(
        gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "N", "S", 90
    )
    lng = _degrees(
        gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "E", "W", 180
    )
    # Cameras without a fix write zeros; a point at 0°, 0° is never a real location here.
    if lat is None or lng is None or (lat == 0 and lng == 0):
        return None, None
    return lat, lng


def _metadata(img: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    # Metadata is a bonus, never a reason to refuse the picture: malformed EXIF from an
    # odd camera yields empty fields instead of an error.
    try:
        exif = img.getexif()
    except Exception:
        return None, None, None
    try:
        taken_at = _exif_time(exif)
    except Exception:
        taken_at = None
    try:
        lat, lng = _exif_gps(exif)
    except Exception:
        lat, lng = None, None
    return taken_at, lat, lng


def _has_alpha(img: Image.Image) -> bool:
    if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info:
        alpha = img.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def _to_srgb(img: Image.Image) -> Image.Image:
    """Apply the embedded colour profile, so dropping it does not shift the colours."""
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK"):
        return img
    try:
        return ImageCms.profileToProfile(
            img,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if img.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img


def _pixels_only(img: Image.Image, *, transparent: bool) -> Image.Image:
    img = _to_srgb(img)
    if transparent:
        img = img.convert("RGBA")
    elif img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    # A fresh image holds no info dict at all: nothing of the original's metadata (EXIF,
    # XMP, ICC, comments, PNG text chunks) can reach the encoder.
    clean = Image.new(img.mode, img.size)
    clean.paste(img)
    return clean


def clean_photo(upload) -> CleanPhoto:
    """Check an uploaded picture and return it re-encoded without metadata.

    ``upload`` is a Django ``UploadedFile`` or any object with ``read()`` and ``name``.
    Raises ``ServiceError`` (field ``photo``) when the file is refused.
    """
    data = _read(upload)
    img, source_format = _open_checked(data, getattr(upload, "name", "") or "")
    taken_at, gps_lat, gps_lng = _metadata(img)
    try:
        upright = ImageOps.exif_transpose(img)
    except Exception:  # a broken orientation tag leaves the picture as shot
        upright = img
    transparent = source_format != "JPEG" and _has_alpha(upright)
    out_format = "PNG" if source_format == "PNG" or transparent else "JPEG"
    picture = _pixels_only(upright, transparent=transparent)
    side = settings.PHOTO_MAX_SIDE
    if max(picture.size) > side:
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if out_format == "JPEG":
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        picture.save(buffer, "PNG", optimize=False)
    content = buffer.getvalue()
    extension, content_type = OUTPUT[out_format]
    return CleanPhoto(
        content=content,
        format=out_format,
        extension=extension,
        content_type=content_type,
        width=picture.width,
        height=picture.height,
        sha256=hashlib.sha256(content).hexdigest(),
        taken_at=taken_at,
        gps_lat=gps_lat,
        gps_lng=gps_lng,
        source_format=source_format,
    )
