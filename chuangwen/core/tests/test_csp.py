"""Every page runs under the Content-Security-Policy: the header forbids inline script, and
no page holds an inline script, an event-handler attribute or a javascript: URL, even
where territories, units, points and cases carry names made to break out of their place."""

import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chuangwen.core import clock
from chuangwen.core.csp import content_security_policy, tile_source
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, at
from chuangwen.testing.images import jpeg

pytestmark = pytest.mark.django_db

# A name that leaves a JSON block written with |safe and, rendered as HTML, runs a handler.
HOSTILE = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'
SHORT = "<img src=x onerror=alert(3)>"  # for fields of 40 characters

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
}


# -- the header --------------------------------------------------------------------------------
def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def script_policy_problems(header: str | None) -> list[str]:
    """What lets inline or foreign script run under this policy (nothing: [])."""
    if not header:
        return ["no Content-Security-Policy header"]
    policy = directives(header)
    problems = []
    script = policy.get("script-src", policy.get("default-src"))
    if script is None:
        return ["neither script-src nor default-src"]
    for name in ("script-src", "script-src-elem", "script-src-attr"):
        sources = policy.get(name, script if name == "script-src" else [])
        bad = [
            s
            for s in sources
            if s in {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:"}
            or s in {"http:", "https:"}
        ]
        if bad:
            problems.append(f"{name} allows {bad}")
    if policy.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    if policy.get("base-uri") != ["'none'"]:
        problems.append("base-uri is not 'none'")
    return problems


# -- the page ------------------------------------------------------------------------------------
class ScriptScan(HTMLParser):
    """Inline script bodies (JSON blocks aside), event-handler and hx-on attributes and
    javascript: URLs in a page, as the browser's parser would meet them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: dict | None = None
        self._body: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or re.match(r"(data-)?hx-on", name):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                # Browsers drop control characters and spaces inside the scheme.
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squeezed.startswith("javascript:"):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = dict(attrs)
            self._body = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script is not None:
            self._body.append(data)

    def handle_endtag(self, tag):
        if tag != "script" or self._script is None:
            return
        attrs, body = self._script, "".join(self._body)
        self._script = None
        if "src" in attrs:
            if body.strip():
                self.problems.append(f"script with src and a body: {body[:80]!r}")
            return
        if (attrs.get("type") or "").strip().lower() != "application/json":
            self.problems.append(f"inline script: {body[:80]!r}")
            return
        try:
            json.loads(body)
        except ValueError:
            self.problems.append(f"JSON block that is not JSON: {body[:80]!r}")


def page_problems(response) -> list[str]:
    problems = script_policy_problems(response.get("Content-Security-Policy"))
    if response.get("Content-Type", "").startswith("text/html"):
        scan = ScriptScan()
        scan.feed(response.content.decode())
        scan.close()
        problems += scan.problems
    return problems


def sweep(client, urls) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        response = client.get(url)
        problems = page_problems(response)
        if response.status_code >= 500:
            problems.append(f"answered {response.status_code}")
        if problems:
            found[url] = problems
    return found


# -- the pages -------------------------------------------------------------------------------------
def _has_parameters(pattern) -> bool:
    return bool(getattr(pattern, "converters", None)) or bool(
        getattr(getattr(pattern, "regex", None), "groups", 0)
    )


def parameterless_urls(resolver=None, namespace="") -> list[str]:
    """Every named URL of the site that takes no parameter."""
    urls = []
    for entry in (resolver or get_resolver()).url_patterns:
        if _has_parameters(entry.pattern):
            continue
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            urls += parameterless_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            urls.append(reverse(":".join(filter(None, [namespace, entry.name]))))
    return sorted(set(urls))


@pytest.fixture
def site(city, catalogue, registry):
    """The mini city with a case, a citizen's report, a round with a failed item and its
    re-inspection, a framework, an import and a published ranking; the street, community,
    grid, community committee and a point carry HOSTILE in their names."""
    from chuangwen.assessment import services as assessment
    from chuangwen.assessment.models import Result, Scheme
    from chuangwen.cases.services import case_report, photo_upload
    from chuangwen.demo.evaluation import seed_framework
    from chuangwen.demo.public_groups import seed_public_groups
    from chuangwen.evaluation import services as evaluation
    from chuangwen.evaluation.models import ChecklistItem, Inspection, Reinspection, RoundItem
    from chuangwen.imports.services import import_job_create
    from chuangwen.org.models import Unit
    from chuangwen.participation.services import portal_report
    from chuangwen.territory.models import TerritoryNode

    for code in ("420302001", "420302001001", "420302001001001"):
        TerritoryNode.objects.filter(code=code).update(name=f"武当路{HOSTILE}")
    Unit.objects.filter(pk=city.units["420302001001"].pk).update(name=f"居委会{HOSTILE}")
    market = registry.points["MARKET-420302001001"]
    type(market).objects.filter(pk=market.pk).update(name=f"农贸市场{HOSTILE}")

    admin = city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True)
    collector = city.user(Role.COLLECTOR, "420302001")
    case = case_report(
        category="B0102",
        description=f"井盖缺失{HOSTILE}",
        address=f"人民路{HOSTILE}",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=collector,
    ).case
    seed_public_groups()
    public = portal_report(
        category="B0102",
        description=f"路灯不亮{HOSTILE}",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        reporter_phone="13812345678",
        reporter_name=f"王{SHORT}",
        client_hash="c" * 64,
        uploads=[jpeg(name="现场.jpg")],
    )

    with clock.at(at(2026, 10, 30, 9, 0)):
        round_ = evaluation.round_create(
            name=f"第6期测评{HOSTILE}",
            kind="bimonthly",
            starts_on=date(2026, 11, 2),
            due_on=date(2026, 11, 13),
            inspector_ids=[u.pk for u in registry.inspectors],
            point_ids=[p.pk for p in registry.points.values()],
            seed=7,
            actor=admin,
        )
        evaluation.round_start(round_id=round_.pk, actor=admin)
    inspection = Inspection.objects.get(round=round_, point=market)
    inspector = inspection.inspector
    with clock.at(at(2026, 11, 3, 10, 0)):
        items = RoundItem.objects.filter(round=round_, point_type_id=market.point_type_id).order_by(
            "position", "id"
        )
        photo = photo_upload(upload=jpeg(name="现场.jpg"), actor=inspection.inspector).pk
        evaluation.inspection_submit(
            inspection_id=inspection.pk,
            actor=inspection.inspector,
            submission_key="k1",
            results=[
                {"item_id": item.pk, "result": "fail", "occurrences": 1, "photo_ids": [photo]}
                if i == 0
                else {"item_id": item.pk, "result": "pass"}
                for i, item in enumerate(items)
            ],
            checkin={"lat": market.lat, "lng": market.lng},
        )
    inspection.refresh_from_db()
    reinspection = Reinspection.objects.get(result__inspection=inspection)
    framework = seed_framework(stdout=io.StringIO())
    hotline = "工单编号,诉求内容,问题类别,问题地址,经度,纬度,来电时间\n"
    hotline += f"12345-1,井盖缺失,B0102,人民路{HOSTILE},110.02,32.02,2026-11-02 09:00\n"
    job = import_job_create(
        source="12345",
        upload=SimpleUploadedFile("12345.csv", hotline.encode(), content_type="text/csv"),
        actor=admin,
    )

    assessment.scheme_save(
        subject_type="district",
        name=f"区县考评{HOSTILE}",
        components=[{"kind": "penalty", "label": "扣分", "max_points": "20", "rule": "deduction"}],
        actor=admin,
    )
    assessment.publication_publish(period_key="2025-06", subject_type="district", actor=admin)
    result = Result.objects.get(subject_id=city.node("420302").pk)
    scheme = Scheme.objects.get(subject_type="district")
    item = ChecklistItem.objects.filter(point_type_id=market.point_type_id).first()

    staff = [
        reverse("territory:node", args=["420300"]),
        reverse("territory:node", args=["420302"]),
        reverse("territory:node", args=["420302001"]),
        reverse("territory:node", args=["420302001001001"]),
        reverse("org:unit_detail", args=[city.units["420302001001"].pk]),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:detail", args=[public.case.pk]),
        reverse("cases:map") + "?mode=heat",
        reverse("evaluation:point_detail", args=[market.pk]),
        reverse("evaluation:point_edit", args=[market.pk]),
        reverse("evaluation:pointtype_edit", args=[market.point_type_id]),
        reverse("evaluation:pointtype_item_new", args=[market.point_type_id]),
        reverse("evaluation:pointtype_item_edit", args=[item.pk]),
        reverse("evaluation:round_detail", args=[round_.pk]),
        reverse("evaluation:round_results", args=[round_.pk]),
        reverse("evaluation:round_results", args=[round_.pk]) + "?level=district",
        reverse("evaluation:round_problems", args=[round_.pk]),
        reverse("evaluation:inspection_detail", args=[inspection.pk]),
        reverse("evaluation:framework_detail", args=[framework.pk]),
        reverse("imports:detail", args=[job.pk]),
        reverse("assessment:result_detail", args=[result.pk]),
        reverse("assessment:draft_detail", args=["district", "2025-05", city.node("420302").pk]),
        reverse("assessment:rankings") + "?period=2025-06&type=district",
        reverse("assessment:scheme_detail", args=[scheme.pk]),
        reverse("assessment:scheme_edit", args=["district"]),
        reverse("assessment:report") + "?period=2025-06",
        reverse("admin:territory_territorynode_change", args=[city.node("420302001").pk]),
        reverse("admin:cases_case_change", args=[case.pk]),
        reverse("admin:accounts_user_change", args=[admin.pk]),
    ]
    field = [
        reverse("evaluation:field_home"),
        reverse("evaluation:field_inspect", args=[inspection.pk]),
        reverse(
            "evaluation:field_inspect",
            args=[Inspection.objects.filter(inspector=inspector).exclude(pk=inspection.pk)[0].pk],
        ),
        reverse("evaluation:field_reinspect", args=[reinspection.pk]),
    ]
    public_pages = [
        reverse("participation:track_case", args=[public.token]),
        reverse("participation:report") + "?category=B0102",
    ]
    return {
        "admin": admin,
        "inspector": inspection.inspector,
        "staff": staff,
        "field": field,
        "public": public_pages,
    }


def test_the_header_forbids_inline_script_and_admits_the_site(client):
    header = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert script_policy_problems(header) == []
    policy = directives(header)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'self'" in policy["img-src"] and "blob:" in policy["img-src"]
    assert "Content-Security-Policy-Report-Only" not in client.get(reverse("accounts:login"))


@pytest.mark.parametrize(
    "header, problem",
    [
        ("default-src 'self'; script-src 'self' 'unsafe-inline'", "script-src allows"),
        ("default-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'", "script-src"),
        ("script-src 'self'; script-src-attr 'unsafe-inline'", "script-src-attr"),
        ("script-src https:; object-src 'none'; base-uri 'none'", "script-src allows"),
        ("script-src 'self'; base-uri 'none'", "object-src"),
        (None, "no Content-Security-Policy"),
    ],
)
def test_the_policy_check_catches_what_lets_script_in(header, problem):
    assert any(problem in p for p in script_policy_problems(header))


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script type="text/javascript">x()</script>',
        '<script type="application/json">{"a": 1}</script><script>alert(1)</script>',
        '<img src=x onerror="alert(1)">',
        '<body onload="go()">',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<form action="JAVASCRIPT:alert(1)"></form>',
        '<button hx-on:click="alert(1)">x</button>',
        '<script type="application/json">alert(1)</script>',
    ],
)
def test_the_page_scan_catches_inline_script(html):
    scan = ScriptScan()
    scan.feed(html)
    scan.close()
    assert scan.problems


def test_the_page_scan_lets_json_blocks_and_script_files_pass():
    scan = ScriptScan()
    scan.feed(
        '<script src="/static/js/app.js" defer></script>'
        '<script id="d" type="application/json">{"name": "\\u003C/script\\u003E"}</script>'
        '<a href="/cases/?q=javascript">x</a><div data-one="1" title="onclick"></div>'
    )
    scan.close()
    assert scan.problems == []


def test_every_staff_page_runs_under_the_policy(client, site):
    client.force_login(site["admin"])
    urls = parameterless_urls() + site["staff"]
    assert len(urls) > 100
    assert sweep(client, urls) == {}


def test_the_inspectors_phone_pages_run_under_the_policy(client, site):
    client.force_login(site["inspector"])
    assert sweep(client, site["field"]) == {}


def test_the_public_pages_run_under_the_policy(client, site):
    urls = [u for u in parameterless_urls() if u.startswith("/public/")] + site["public"]
    urls.append(reverse("accounts:login"))
    assert len(urls) >= 8
    assert sweep(client, urls) == {}


def test_a_territory_page_keeps_a_hostile_name_inside_its_json_block(client, site):
    client.force_login(site["admin"])
    page = client.get(reverse("territory:node", args=["420302001"])).content.decode()
    block = re.search(r'<script id="node-feature" type="application/json">(.*?)</script>', page)
    assert json.loads(block.group(1))["properties"]["name"] == f"武当路{HOSTILE}"


@pytest.mark.parametrize(
    "url, source",
    [
        ("", None),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("https://tiles.example.cn/{z}/{x}/{y}.png", "https://tiles.example.cn"),
        (
            "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}",
            "https://*.tianditu.gov.cn",
        ),
        ("https://{s}.tile.example.org:8443/{z}/{x}/{y}.png", "https://*.tile.example.org:8443"),
        ("//tiles.example.cn/{z}/{x}/{y}.png", "tiles.example.cn"),
    ],
)
def test_the_tile_server_is_admitted_as_an_image_source(url, source):
    assert tile_source(url) == source


def test_a_tile_host_without_a_fixed_domain_is_refused():
    with pytest.raises(ImproperlyConfigured):
        tile_source("https://{s}.cn/{z}/{x}/{y}.png")


def test_the_tile_server_and_added_origins_are_image_sources(client, settings):
    settings.CONTENT_SECURITY_POLICY = content_security_policy(
        tile_url="https://t{s}.tianditu.gov.cn/DataServer?x={x}&y={y}&l={z}",
        img_sources=["https://img.example.cn"],
        report_uri="https://reports.example.cn/csp",
    )
    policy = directives(client.get(reverse("accounts:login"))["Content-Security-Policy"])
    assert policy["img-src"] == [
        "'self'",
        "data:",
        "blob:",
        "https://*.tianditu.gov.cn",
        "https://img.example.cn",
    ]
    assert policy["report-uri"] == ["https://reports.example.cn/csp"]
    assert (
        script_policy_problems(client.get(reverse("accounts:login"))["Content-Security-Policy"])
        == []
    )


def test_the_settings_take_the_tile_server_and_origins_from_the_environment():
    root = Path(__file__).resolve().parents[3]
    env = dict(
        os.environ,
        MAP_TILE_URL="https://{s}.tiles.example.cn/{z}/{x}/{y}.png",
        CSP_IMG_SRC="https://img.example.cn, https://cdn.example.cn",
        CSP_REPORT_URI="/csp-reports",
    )
    code = (
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout.strip().splitlines()[-1])
    assert policy["img-src"][3:] == [
        "https://*.tiles.example.cn",
        "https://img.example.cn",
        "https://cdn.example.cn",
    ]
    assert policy["report-uri"] == "/csp-reports"


TEMPLATE_RULES = [
    (re.compile(r"\|\s*safe\b"), "|safe"),
    (re.compile(r"\bescapejs\b"), "escapejs"),
    (re.compile(r"{%\s*autoescape\s+off"), "autoescape off"),
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"\s(data-)?hx-on", re.I), "hx-on"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    # htmx evaluates these with js: and parses them as JSON otherwise.
    (re.compile(r"\s(data-)?hx-(vals|vars|headers)\s*=", re.I), "JSON in an htmx attribute"),
]


def test_no_template_writes_into_a_script_or_a_handler():
    """Partials and pages the sweep does not reach follow the same rules: data goes to
    scripts through json_script only."""
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}: {label}"
        for path in sorted(root.glob("**/templates/**/*.html"))
        for pattern, label in TEMPLATE_RULES
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
