import hashlib
import io
import struct
import zlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import ExifTags, Image, ImageCms, PngImagePlugin, TiffImagePlugin

from chuangwen.core.errors import ServiceError
from chuangwen.core.images import clean_photo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def rational(value: float) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * 1000), 1000)


def camera_exif(
    *, taken="2026:05:20 09:30:15", offset=None, orientation=None, lat=None, lng=None
) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS R6 SN:0042"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    if taken:
        sub[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        sub[ExifTags.Base.OffsetTimeOriginal] = offset
    if lat is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat[0] >= 0 else "S"
        gps[ExifTags.GPS.GPSLatitude] = tuple(rational(abs(v)) for v in lat)
        gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lng[0] >= 0 else "W"
        gps[ExifTags.GPS.GPSLongitude] = tuple(rational(abs(v)) for v in lng)
    return exif


def picture(size=(40, 20), color=(30, 120, 200), mode="RGB") -> Image.Image:
    return Image.new(mode, size, color)


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def noise(size) -> Image.Image:
    # Random pixels do not compress: the file is as large as the picture.
    import random

    rng = random.Random(7)
    return Image.frombytes(
        "RGB", size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3))
    )


def assert_no_metadata(content: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(content))
    assert len(img.getexif()) == 0
    assert "exif" not in img.info
    assert "icc_profile" not in img.info
    assert "xmp" not in img.info and "XML:com.adobe.xmp" not in img.info
    assert "comment" not in img.info
    assert b"Canon" not in content and b"EOS R6" not in content
    return img


def test_exif_is_stripped_but_time_and_place_are_kept():
    exif = camera_exif(lat=(32, 38, 24.5), lng=(110, 47, 52.2))
    data = encode(picture(), "JPEG", exif=exif, quality=95)
    assert b"Canon" in data  # the test picture really carries the camera's metadata

    photo = clean_photo(upload(data, "IMG_0001.JPG"))

    img = assert_no_metadata(photo.content)
    assert img.format == "JPEG"
    assert (photo.format, photo.extension, photo.content_type) == ("JPEG", "jpg", "image/jpeg")
    assert (photo.width, photo.height) == (40, 20) == img.size
    assert photo.sha256 == hashlib.sha256(photo.content).hexdigest()
    assert photo.taken_at == datetime(2026, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert photo.taken_at.utcoffset() == timedelta(hours=8)
    assert photo.gps_lat == pytest.approx(32 + 38 / 60 + 24.5 / 3600, abs=1e-6)
    assert photo.gps_lng == pytest.approx(110 + 47 / 60 + 52.2 / 3600, abs=1e-6)


def test_southern_and_western_coordinates_are_negative_and_offsets_are_honoured():
    exif = camera_exif(offset="-03:00", lat=(-33, 52, 0), lng=(-151, 12, 36))
    photo = clean_photo(upload(encode(picture(), "JPEG", exif=exif)))
    assert photo.gps_lat == pytest.approx(-(33 + 52 / 60), abs=1e-6)
    assert photo.gps_lng == pytest.approx(-(151 + 12 / 60 + 36 / 3600), abs=1e-6)
    assert photo.taken_at == datetime(2026, 5, 20, 12, 30, 15, tzinfo=UTC)
    assert photo.taken_at.utcoffset() == timedelta(hours=-3)


@pytest.mark.parametrize("taken", ["0000:00:00 00:00:00", "2026-05-20", "    :  :     :  :  "])
def test_an_invalid_exif_time_is_left_empty(taken):
    photo = clean_photo(upload(encode(picture(), "JPEG", exif=camera_exif(taken=taken))))
    assert photo.taken_at is None
    assert (photo.width, photo.height) == (40, 20)


def test_gps_without_a_fix_is_left_empty():
    exif = camera_exif(lat=(0, 0, 0), lng=(0, 0, 0))
    photo = clean_photo(upload(encode(picture(), "JPEG", exif=exif)))
    assert (photo.gps_lat, photo.gps_lng) == (None, None)


def test_a_photo_without_exif_has_no_time_or_place():
    photo = clean_photo(upload(encode(picture(), "JPEG"), "blob"))
    assert (photo.taken_at, photo.gps_lat, photo.gps_lng) == (None, None, None)
    assert photo.format == "JPEG"


def test_orientation_is_applied_before_the_exif_goes():
    # Stored landscape with a red top-left corner; orientation 6 means "rotate 90° clockwise
    # to view", so the viewer sees a portrait picture with the red corner at the top right.
    img = picture((40, 20), (255, 255, 255))
    img.paste((255, 0, 0), (0, 0, 10, 10))
    data = encode(img, "JPEG", exif=camera_exif(orientation=6), quality=95)

    photo = clean_photo(upload(data))

    cleaned = assert_no_metadata(photo.content).convert("RGB")
    assert (photo.width, photo.height) == (20, 40) == cleaned.size
    r, g, b = cleaned.getpixel((15, 4))
    assert r > 200 and g < 60 and b < 60
    r, g, b = cleaned.getpixel((4, 4))
    assert r > 200 and g > 200 and b > 200


def test_png_stays_png_and_loses_text_chunks_and_colour_profile():
    img = picture((30, 30), (10, 200, 10, 128), mode="RGBA")
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Canon EOS R6 secret")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>Canon</x:xmpmeta>")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(img, "PNG", pnginfo=info, icc_profile=srgb, exif=camera_exif())
    assert b"Canon" in data

    photo = clean_photo(upload(data, "screen.png"))

    cleaned = assert_no_metadata(photo.content)
    assert cleaned.format == "PNG" and cleaned.mode == "RGBA"
    assert not getattr(cleaned, "text", {})
    assert (photo.format, photo.extension, photo.content_type) == ("PNG", "png", "image/png")
    assert photo.source_format == "PNG"
    assert photo.taken_at == datetime(2026, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert cleaned.getpixel((5, 5)) == (10, 200, 10, 128)


def test_opaque_webp_is_stored_as_jpeg():
    data = encode(picture((50, 30)), "WEBP", exif=camera_exif(), quality=90)
    photo = clean_photo(upload(data, "phone.webp"))
    assert (photo.format, photo.source_format, photo.extension) == ("JPEG", "WEBP", "jpg")
    assert_no_metadata(photo.content)
    assert (photo.width, photo.height) == (50, 30)
    assert photo.taken_at == datetime(2026, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)


def test_transparent_webp_keeps_its_transparency_as_png():
    data = encode(picture((20, 20), (0, 0, 0, 0), mode="RGBA"), "WEBP", lossless=True)
    photo = clean_photo(upload(data, "sticker.webp"))
    assert photo.format == "PNG"
    assert Image.open(io.BytesIO(photo.content)).getpixel((3, 3))[3] == 0


@override_settings(PHOTO_MAX_SIDE=100)
def test_large_pictures_are_scaled_down_on_the_long_side():
    photo = clean_photo(upload(encode(picture((400, 200)), "JPEG")))
    assert (photo.width, photo.height) == (100, 50)
    assert Image.open(io.BytesIO(photo.content)).size == (100, 50)
    portrait = clean_photo(upload(encode(picture((120, 300)), "PNG"), "p.png"))
    assert (portrait.width, portrait.height) == (40, 100)
    small = clean_photo(upload(encode(picture((100, 60)), "JPEG")))
    assert (small.width, small.height) == (100, 60)


def test_an_empty_file_is_refused():
    with pytest.raises(ServiceError, match="为空") as caught:
        clean_photo(upload(b""))
    assert caught.value.field == "photo"


def test_the_default_limit_is_ten_megabytes():
    class Huge(io.BytesIO):
        size = 10 * 1024 * 1024 + 1

    with pytest.raises(ServiceError) as caught:
        clean_photo(Huge(encode(picture(), "JPEG")))
    assert caught.value.message == "图片不能超过 10 MB。"
    assert caught.value.field == "photo"


@override_settings(PHOTO_MAX_BYTES=50 * 1024)
def test_oversized_files_are_refused_even_without_a_declared_size():
    data = encode(noise((200, 200)), "PNG")
    assert len(data) > 50 * 1024
    with pytest.raises(ServiceError) as caught:
        clean_photo(upload(data, "noise.png"))
    assert caught.value.message == "图片不能超过 50 KB。"
    stream = io.BytesIO(data)
    stream.name = "noise.png"
    with pytest.raises(ServiceError, match="不能超过 50 KB"):
        clean_photo(stream)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("这不是图片,是一段文字。".encode(), "photo.jpg"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "scan.jpg"),
        (encode(picture(), "GIF"), "anim.gif"),
        (encode(picture(), "GIF"), "anim.jpg"),
        (encode(picture(), "BMP"), "old.bmp"),
        (encode(picture(), "JPEG"), "photo.txt"),
    ],
    ids=["text", "pdf", "gif", "gif-as-jpg", "bmp", "jpeg-as-txt"],
)
def test_files_that_are_not_accepted_pictures_are_refused(data, name):
    with pytest.raises(ServiceError) as caught:
        clean_photo(upload(data, name))
    assert caught.value.message == "文件不是支持的图片格式,请上传 JPEG、PNG 或 WEBP 图片。"
    assert caught.value.field == "photo"


@pytest.mark.parametrize(
    ("fmt", "name"), [("PNG", "photo.jpg"), ("JPEG", "photo.png"), ("WEBP", "photo.jpeg")]
)
def test_an_extension_that_lies_about_the_format_is_refused(fmt, name):
    with pytest.raises(ServiceError) as caught:
        clean_photo(upload(encode(picture(), fmt), name))
    assert caught.value.message == "文件扩展名与图片实际格式不符。"


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "cut.jpg"), ("PNG", "cut.png")])
def test_a_truncated_picture_is_refused(fmt, name):
    data = encode(noise((120, 120)), fmt)
    with pytest.raises(ServiceError) as caught:
        clean_photo(upload(data[: len(data) * 2 // 3], name))
    assert caught.value.message == "图片文件已损坏或不完整,无法读取。"


@override_settings(PHOTO_MAX_PIXELS=10_000)
def test_pictures_with_too_many_pixels_are_refused_before_decoding():
    with pytest.raises(ServiceError) as caught:
        clean_photo(upload(encode(picture((200, 100)), "PNG"), "big.png"))
    assert caught.value.message == "图片像素过多(不能超过 1 万 像素),请缩小后再上传。"
    assert clean_photo(upload(encode(picture((100, 100)), "PNG"), "ok.png")).width == 100


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_by_its_header():
    # 400 million pixels in a few dozen bytes: Pillow itself raises DecompressionBombError.
    with pytest.raises(ServiceError) as caught:
        clean_photo(upload(_png_header_only(20_000, 20_000), "bomb.png"))
    assert "像素过多" in caught.value.message
    assert "4000 万" in caught.value.message
    # Under Pillow's own limit but over the project's (40 million) one.
    with pytest.raises(ServiceError, match="像素过多"):
        clean_photo(upload(_png_header_only(8_000, 8_000), "bomb.png"))


def test_a_multi_picture_jpeg_from_a_phone_is_a_jpeg():
    buffer = io.BytesIO()
    first = picture((30, 20), (255, 0, 0))
    first.save(buffer, "MPO", save_all=True, append_images=[picture((30, 20), (0, 0, 255))])
    photo = clean_photo(upload(buffer.getvalue(), "IMG_1234.jpg"))
    assert (photo.format, photo.source_format) == ("JPEG", "JPEG")
    r, g, b = Image.open(io.BytesIO(photo.content)).getpixel((5, 5))
    assert r > 240 and g < 20 and b < 20
