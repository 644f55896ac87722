"""Sources for the Content-Security-Policy that depend on the installation's settings."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


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
