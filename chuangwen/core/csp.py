"""The Content-Security-Policy of the site (django-csp's CONTENT_SECURITY_POLICY setting).

Enforced, not report-only: scripts come only from the site's own files, so no inline
script, no event-handler attribute, no javascript: URL and no eval runs, whatever a page
shows. Data reaches scripts in json_script blocks, which are never executed. Style sheets
come from the site too; style attributes stay allowed (style-src-attr) because templates
set computed widths and colours with them and ECharts and Leaflet write them into their
markup: an attribute styles its own element and cannot select others, as an injected
<style> block could. Images come from the site, data: and blob: URLs (photo previews,
library icons), the map's tile server and the origins an installation adds."""

from collections.abc import Sequence
from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured


def content_security_policy(
    *, tile_url: str = "", img_sources: Sequence[str] = (), report_uri: str = ""
) -> dict:
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "style-src-attr": [UNSAFE_INLINE],
            "img-src": [
                SELF,
                "data:",
                "blob:",
                *filter(None, [tile_source(tile_url)]),
                *img_sources,
            ],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
            "report-uri": report_uri or None,
        },
    }


def tile_source(url: str) -> str | None:
    """The img-src source that admits the tiles of a Leaflet URL template such as
    ``https://t{s}.tianditu.gov.cn/…/{z}/{x}/{y}`` (``https://*.tianditu.gov.cn``), or
    None for none or a path on this site, which 'self' already admits."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    labels = host.split(".")
    # Leaflet fills placeholders such as {s} with subdomains: every name under the
    # labels after the last placeholder. CSP allows a wildcard only as the first label.
    templated = [i for i, label in enumerate(labels) if "{" in label or "}" in label]
    if templated:
        rest = labels[templated[-1] + 1 :]
        if len(rest) < 2:
            raise ImproperlyConfigured(f"MAP_TILE_URL: the host {host} has no fixed domain.")
        host = ".".join(["*", *rest])
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    return f"{scheme}{host}"
