"""Rendering a docxtpl template safely: escaped values, loud template errors, the decree's font, atomic save.

Every value is XML-escaped (Jinja2 autoescape), so a commune that writes `<w:p>` or `&` in its report
cannot break or inject into the generated document; an undefined placeholder in a template the Sở edited
fails with the name of the template instead of printing an empty string.

docxtpl is used as shipped, none of its methods overridden: its passes for tabs and line breaks in values,
`{%tc %}` column loops and picture ids are what `tests/test_docx_template.py` holds it to, and
`benchmarks/bench_report_docx.py` measures what skipping some of them would save on a national report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError

from tonghop.errors import ConfigError
from tonghop.render.nd30 import enforce_times_new_roman
from tonghop.settings import PROJECT_ROOT, Settings
from tonghop.store.atomic import atomic_path

BUILTIN_TEMPLATES = PROJECT_ROOT / "templates"


def template_path(settings: Settings, name: str) -> Path:
    """The Sở's own template if its templates directory has one, else the one shipped with tonghop."""
    own = Path(settings.templates_dir) / name
    return own if own.is_file() else BUILTIN_TEMPLATES / name


def open_template(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise ConfigError(f"Không tìm thấy mẫu văn bản {path}. Hãy chạy: python templates/build_templates.py")
    return DocxTemplate(str(path))


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
