"""What a browser would submit from a rendered form: for posting admin pages as they are."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image"):
                self.add(name, a.get("value", ""))
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.add(self.select, a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, "".join(self.text).lstrip("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_fields(html: str, form_id: str) -> dict[str, list[str]]:
    """The name → values a browser would post from the form with this id."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.fields, f"no form #{form_id} on the page"
    return reader.fields
