"""Real JPEG pictures for the tests that upload evidence: the upload checks decode them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def jpeg_bytes(color="red", size: tuple[int, int] = (64, 48)) -> bytes:
    """A plain picture of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def jpeg(color="red", name: str = "photo.jpg") -> SimpleUploadedFile:
    """An uploaded file, as a form or the API receives it."""
    return SimpleUploadedFile(name, jpeg_bytes(color), content_type="image/jpeg")


def jpeg_for_browser(color: str, label: str) -> dict:
    """A picture a browser test hands to a file input (Playwright's set_input_files): big
    enough to look like a photo in a screenshot, framed so that it is not one flat colour."""
    image = Image.new("RGB", (480, 360), color)
    ImageDraw.Draw(image).rectangle((40, 40, 440, 320), outline="white", width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return {"name": f"{label}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}
