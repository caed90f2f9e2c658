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
from docx.oxml.ns import qn
from docx.oxml.parser import element_class_lookup
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError
from lxml import etree

from tonghop.errors import ConfigError
from tonghop.render.nd30 import enforce_times_new_roman
from tonghop.settings import PROJECT_ROOT, Settings
from tonghop.store.atomic import atomic_path

BUILTIN_TEMPLATES = PROJECT_ROOT / "templates"
# What docxtpl's listing pass turns into Word markup (tab, paragraph, line and page breaks), and the
# paragraphs it works on (its own expression).
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", flags=re.DOTALL)
_MARKUP = re.compile(r"<[^>]*>")
_COLUMN_LOOP = re.compile(r"\{%-?\s*tc\b")
_BODY_OPENING = re.compile(r"<w:body\b[^>]*>")
_BODY = re.compile(r"<w:body\b.*</w:body>|<w:body\b[^>]*/>", flags=re.DOTALL)


def _body_parser() -> etree.XMLParser:
    """docxtpl's parser for the rendered body (blank text kept), making python-docx's element classes."""
    parser = etree.XMLParser(recover=True, resolve_entities=False)
    parser.set_element_class_lookup(element_class_lookup)
    return parser


class _Template(DocxTemplate):
    """docxtpl, minus the passes that cost seconds on a national report and have nothing to do there.

    A national report (appendices of 3,321 communes and 3,580 files) has a body of some 10 MB of XML, and
    docxtpl walks it several times after Jinja has rendered it:
    - it rewrites every paragraph with regular expressions to turn `\t`, `\a`, `\n` and `\f` in the
      values into Word markup (more than a second), though only the odd paragraph holds such a character:
      only those paragraphs go through it now, one at a time, with docxtpl's own code;
    - it walks every row of every table to widen the grid for `{%tc %}` columns (0.9 s): only templates
      that use `{%tc %}` need it, so the others skip it;
    - it moves the parsed body into the template's document element (0.6 s: lxml reconciles the
      namespaces of every node it moves): the body is parsed inside a copy of the whole document instead,
      and that element replaces the document's.
    """

    def resolve_listing(self, xml: str) -> str:
        if not _LISTING_CHARACTERS.search(xml):
            return xml
        own = super().resolve_listing

        def paragraph(match: re.Match[str]) -> str:
            text = match.group(0)
            return str(own(text)) if _LISTING_CHARACTERS.search(text) else text

        return _PARAGRAPH.sub(paragraph, xml)

    def fix_tables(self, xml: str) -> Any:
        if self._column_loops:
            return super().fix_tables(xml)
        document = self.xml_to_string(self.docx.element)
        # The body rendered alone repeats the document's namespace declarations; inside it they are noise.
        opening = _BODY_OPENING.match(xml)
        own = _BODY_OPENING.search(document)
        if opening and own:
            xml = own.group(0).removesuffix("/>").removesuffix(">") + ">" + xml[opening.end() :]
        return etree.fromstring(_BODY.sub(lambda _: xml, document, count=1).encode("utf-8"), _body_parser())

    def fix_docpr_ids(self, tree: Any) -> None:
        # python-docx's elements take no `namespaces` in xpath(), which docxtpl's own version passes.
        for element in tree.iter(qn("wp:docPr")):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        if tree.tag != self.docx.element.tag:  # super().fix_tables parsed the body alone
            super().map_tree(tree)
            return
        part = self.docx.part
        part._element = tree
        self.docx._element = tree
        self.docx._Document__body = None

    def build_xml(self, context: Any, jinja_env: Any = None) -> str:
        # Word may split `{%tc` across runs, so look for it in the text with the markup removed.
        self._column_loops = bool(_COLUMN_LOOP.search(_MARKUP.sub("", self.get_xml())))
        return str(super().build_xml(context, jinja_env))


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
