"""Rendering a docxtpl template safely: escaped values, loud template errors, the decree's font, atomic save.

Every value is XML-escaped (Jinja2 autoescape), so a commune that writes `<w:p>` or `&` in its report
cannot break or inject into the generated document; an undefined placeholder in a template the Sở edited
fails with the name of the template instead of printing an empty string.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError

from tonghop.atomic import atomic_path
from tonghop.errors import ConfigError
from tonghop.render.nd30 import enforce_times_new_roman
from tonghop.settings import PROJECT_ROOT, Settings

BUILTIN_TEMPLATES = PROJECT_ROOT / "templates"
# What docxtpl's listing pass turns into Word markup (tab, paragraph, line and page breaks), and the
# paragraphs it works on (its own expression).
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", flags=re.DOTALL)


class _Template(DocxTemplate):
    """docxtpl, minus one pass that has nothing to do on our documents.

    After rendering, docxtpl rewrites every paragraph, run and text element with regular expressions to
    turn `\t`, `\a`, `\n` and `\f` in the values into Word markup: a national report (appendices of
    3,321 communes and 3,580 files) spent more than a second there, though only the odd paragraph holds
    such a character. The pass leaves any other paragraph exactly as it was, so only the paragraphs that
    hold one go through it (one at a time, with docxtpl's own code).
    """

    def resolve_listing(self, xml: str) -> str:
        if not _LISTING_CHARACTERS.search(xml):
            return xml
        own = super().resolve_listing

        def paragraph(match: re.Match[str]) -> str:
            text = match.group(0)
            return str(own(text)) if _LISTING_CHARACTERS.search(text) else text

        return _PARAGRAPH.sub(paragraph, xml)


def template_path(settings: Settings, name: str) -> Path:
    """The Sở's own template if its templates directory has one, else the one shipped with tonghop."""
    own = Path(settings.templates_dir) / name
    return own if own.is_file() else BUILTIN_TEMPLATES / name


def open_template(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise ConfigError(f"Không tìm thấy mẫu văn bản {path}. Hãy chạy: python templates/build_templates.py")
    return _Template(str(path))


def _drop_thumbnail(template: DocxTemplate) -> None:
    """python-docx's default package carries a thumbnail of an empty page; a viewer would show it."""
    package = template.docx.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def render_template(template: DocxTemplate, context: dict[str, Any], path: Path, *, name: str) -> Path:
    env = Environment(autoescape=True, undefined=StrictUndefined)
    try:
        template.render(context, jinja_env=env)
    except TemplateError as exc:
        raise ConfigError(f"Mẫu văn bản {name} có lỗi ở thẻ {{{{ … }}}} hoặc {{% … %}}: {exc}") from exc
    document = template.docx
    enforce_times_new_roman(document)
    _drop_thumbnail(template)
    with atomic_path(path) as tmp:
        template.save(str(tmp))
    return path
