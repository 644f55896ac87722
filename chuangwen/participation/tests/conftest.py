import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chuangwen.cases import services as case_services
from chuangwen.cases.models import CasePhoto
from chuangwen.core import clock
from chuangwen.org.choices import Role

# Who reports in these tests: every public page is checked not to show either.
NAME = "欧阳春花"
PHONE = "13912345678"


@pytest.fixture
def people(city, catalogue):
    return {
        "operator": city.user(Role.CITY_OPERATOR, "city"),
        "admin": city.user(Role.CITY_ADMIN, "city"),
        "collector": city.user(Role.COLLECTOR, "420302001"),
        "water": city.user(Role.UNIT_HANDLER, "water"),
    }


def jpeg(color: str = "#b45309", name: str = "photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), color)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def close(case, people):
    """Accept, dispatch, sign, finish and verify: the city takes the case to 结案."""
    operator, water = people["operator"], people["water"]
    case.refresh_from_db()
    case_services.case_accept(case_id=case.pk, actor=operator)
    case_services.case_dispatch(case_id=case.pk, actor=operator, unit_id=case.suggested_unit_id)
    case_services.case_sign(case_id=case.pk, actor=water)
    after = CasePhoto.objects.create(
        kind="after",
        sha256="ab" * 32,
        uploaded_by=water,
        image="cases/x.jpg",
        created_at=clock.now(),
    )
    case_services.case_finish(case_id=case.pk, actor=water, photo_ids=[after.pk])
    return case_services.case_verify(case_id=case.pk, actor=people["collector"], ok=True)
