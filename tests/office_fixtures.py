"""Build real DOCX, XLSX and PDF files from the tables of the real seed reports in corpora/.

A seed's text is read into items the way `targetqa` reads it (`read_items`), then written out
as a Word document with python-docx (paragraphs, and tables with the merged cells the original
publications have: level1/level2 cells merged down over the rows they head, the 指标值 header
merged over its 符号/值/单位 subheader, a repeated header row on tables that break across a
page) and as an Excel workbook with openpyxl (same merges). LibreOffice headless turns the DOCX
into a PDF. Conversions are cached by the DOCX's content hash, so a second run is instant.

Run as a script to measure agreement and PDF reading time on whole seed documents:
    .venv/bin/python tests/office_fixtures.py
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
sys.path.insert(0, str(ROOT / "src"))

from targetqa.extract import columns  # noqa: E402
from targetqa.extract.layout import CellRow, TextLine, read_items  # noqa: E402
from targetqa.ingest.clean import clean_text  # noqa: E402
from targetqa.ingest.decode import decode_bytes  # noqa: E402

# (seed prefix, first line, last line): whole tables with the prose and titles around them.
SLICES = (
    ("000", 139, 432),  # one-cell-per-line tables: row numbers, 符号/值/单位 subheader, placeholders
    ("004", 548, 595),  # tab-separated tables: goals row spanning the width
    ("001", 204, 374),  # cells with their own line breaks, long wrapping basis cells
)
FONT = "Noto Sans CJK SC"
FIELDS = ("level1", "level2", "level3", "description", "operator", "value", "unit", "basis", "expected", "actual")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def seed_lines(prefix: str, first: int = 1, last: int | None = None) -> list[str]:
    path = next(CORPORA.glob(f"{prefix}_*.txt"))
    text, _ = decode_bytes(path.read_bytes())
    lines = clean_text(text)
    return lines[first - 1 : last]


def sample_lines() -> list[str]:
    out: list[str] = []
    for prefix, first, last in SLICES:
        out.extend(seed_lines(prefix, first, last))
        out.extend(["", ""])
    return out


def _runs(lines: list[str]):
    """Items grouped: a TextLine alone, or a run of consecutive CellRows (one source table)."""
    run: list[CellRow] = []
    for item in read_items(lines):
        if isinstance(item, CellRow):
            run.append(item)
            continue
        if run:
            yield run
            run = []
        yield item
    if run:
        yield run


def _layout(run: list[CellRow]) -> tuple[int, list[list[tuple[str, int]]], list[int], int]:
    """Cells with their column spans on a common grid; the columns of level1/level2; header row."""
    width = max(len(r.cells) for r in run)
    rows: list[list[tuple[str, int]]] = []
    header_at = -1
    levels: list[int] = []
    for k, item in enumerate(run):
        cells = list(item.cells)
        spans = [1] * len(cells)
        nxt = run[k + 1].cells if k + 1 < len(run) else None
        if columns.is_header(cells):
            header_at = k
            levels = [i for i, c in enumerate(cells) if "一级" in c or "二级" in c]
            if nxt is not None and _is_subheader(nxt) and len(nxt) > len(cells):
                # 指标值 spans the subheader's 符号 / 值 / 单位 columns (not the row number's)
                skip = 1 if columns.has_row_number_column(nxt) else 0
                first = next(i for i, c in enumerate(nxt) if c.strip() and i >= skip)
                spans[first] += len(nxt) - len(cells)
        missing = width - sum(spans)
        if missing > 0:
            spans[-1] += missing
        rows.append(list(zip(cells, spans)))
    return width, rows, levels, header_at


def _is_subheader(cells: list[str]) -> bool:
    return columns.is_subheader(columns.strip_row_number(cells))


def _set_cell(cell, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for extra in lines[1:]:
        cell.add_paragraph(extra)


def _docx_table(doc, run: list[CellRow], split_head: bool, ruled: bool = True, centred: bool = False) -> None:
    from docx.oxml import OxmlElement

    width, rows, levels, header_at = _layout(run)
    parts = [(0, len(rows))]
    if split_head and header_at > 0:
        # the head (goals) and the indicator table as two tables, the header row repeated on
        # every page the indicator table runs onto
        parts = [(0, header_at), (header_at, len(rows))]
    for n, (start, end) in enumerate(parts):
        if n:
            doc.add_paragraph("")
        part_width = max(sum(s for _, s in r) for r in rows[start:end])
        table = doc.add_table(rows=end - start, cols=part_width)
        if ruled:
            table.style = "Table Grid"
        first_data = header_at + 1 if header_at >= 0 else len(rows)
        if header_at + 1 < len(rows) and _is_subheader([c for c, _ in rows[header_at + 1]]):
            first_data += 1
        for r in range(start, end):
            trow = table.rows[r - start]
            col = 0
            for text, span in rows[r]:
                cell = trow.cells[col]
                if span > 1:
                    cell = cell.merge(trow.cells[col + span - 1])
                _set_cell(cell, text)
                col += span
            if r == header_at and split_head:
                trpr = trow._tr.get_or_add_trPr()
                trpr.append(OxmlElement("w:tblHeader"))
        # level1/level2 cells left empty under a label: one merged cell, as published
        for c in levels:
            top = None
            for r in range(max(start, first_data), end):
                text = rows[r][c][0] if c < len(rows[r]) and rows[r][c][1] == 1 else None
                if text is None:
                    top = None
                    continue
                if text.strip():
                    top = r
                elif top is not None:
                    table.cell(top - start, c).merge(table.cell(r - start, c))
        # the same basis on consecutive rows: one merged cell (a common layout in Word tables)
        if header_at >= 0 and start <= header_at:
            header = [t for t, _ in rows[header_at]]
            basis = [i for i, t in enumerate(header) if "依据" in t]
            if basis and len(rows[header_at]) == part_width and all(s == 1 for _, s in rows[header_at]):
                c = basis[0]
                top = None
                for r in range(first_data, end):
                    if len(rows[r]) != part_width:
                        top = None
                        continue
                    text = rows[r][c][0]
                    if top is not None and text.strip() and text == rows[top][c][0]:
                        table.cell(top - start, c).merge(table.cell(r - start, c))
                        table.cell(top - start, c).text = text
                    else:
                        top = r
        if centred:
            from docx.enum.table import WD_ALIGN_VERTICAL

            for trow in table.rows:
                for cell in trow.cells:
                    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def build_docx(
    lines: list[str],
    path: Path,
    *,
    split_head_tables: bool = True,
    footer: bool = True,
    ruled: bool = True,
    centred: bool = False,
    spacing: float | None = None,
) -> Path:
    """The lines as a Word document: paragraphs, and the tables with their merges.

    ruled=False: tables without borders (a PDF of them has no ruling lines); centred: cells
    centred vertically (Excel and WPS templates often are); spacing: the space after each
    paragraph in points (None: the template's 10 pt, which also sets the rows of a table apart;
    0: rows follow each other at the line pitch)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    if spacing is not None:
        style.paragraph_format.space_after = Pt(spacing)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), FONT)
    if footer:
        # a page number in the footer, as published reports have: the reader must drop it
        p = section.footer.paragraphs[0]
        run = p.add_run()
        for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.text = text
            run._r.append(el)
    split = split_head_tables
    for block in _runs(lines):
        if isinstance(block, TextLine):
            doc.add_paragraph(block.text.strip())
        else:
            _docx_table(doc, block, split and _is_tab_free(block), ruled, centred)
    import datetime as dt

    fixed = dt.datetime(2025, 1, 1)  # fixed, so the same input gives the same bytes (cache key)
    doc.core_properties.created = doc.core_properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _is_tab_free(run: list[CellRow]) -> bool:
    """One-cell-per-line runs (001) without row numbers: the ones split into head + indicators."""
    return not any(columns.has_row_number_column(r.cells) for r in run) and any(
        columns.is_header(r.cells) for r in run[1:]
    )


def build_xlsx(lines: list[str], path: Path) -> Path:
    """All tables on one sheet, one above the other, titles and prose as rows of their own."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    r = 1
    for block in _runs(lines):
        if isinstance(block, TextLine):
            ws.cell(r, 1, block.text.strip())
            r += 1
            continue
        width, rows, levels, header_at = _layout(block)
        first_data = header_at + 1 if header_at >= 0 else len(rows)
        if header_at + 1 < len(rows) and _is_subheader([c for c, _ in rows[header_at + 1]]):
            first_data += 1
        top_of: dict[int, int] = {}
        for k, row in enumerate(rows):
            col = 1
            for text, span in row:
                if text:
                    ws.cell(r, col, text)
                if span > 1:
                    ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + span - 1)
                col += span
            if k >= first_data:
                for c in levels:
                    text = row[c][0] if c < len(row) and row[c][1] == 1 else None
                    if text is None:
                        top_of.pop(c, None)
                    elif text.strip():
                        top_of[c] = r
                    elif c in top_of:
                        top = top_of[c]
                        ranges = [m for m in ws.merged_cells.ranges if m.min_row == top and m.min_col == c + 1]
                        for m in ranges:
                            ws.unmerge_cells(str(m))
                        ws.merge_cells(start_row=top, start_column=c + 1, end_row=r, end_column=c + 1)
            r += 1
        r += 1
    import datetime as dt

    wb.properties.created = wb.properties.modified = dt.datetime(2025, 1, 1)  # same bytes (cache key)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def _content_hash(path: Path) -> str:
    """Hash of the zip members' contents: python-docx stamps the zip entries with the time."""
    import zipfile

    h = hashlib.sha256()
    with zipfile.ZipFile(path) as zf:
        for name in sorted(zf.namelist()):
            h.update(name.encode() + b"\0" + zf.read(name))
    return h.hexdigest()[:24]


def to_pdf(docx_path: Path, out_dir: Path, cache: Path | None = None, *, password: str = "") -> Path:
    """Convert with LibreOffice headless (own profile dir, so parallel runs do not collide);
    with `password`, the PDF is encrypted and needs it to be opened."""
    fmt = "pdf"
    if password:
        fmt = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},' \
              '"DocumentOpenPassword":{"type":"string","value":"%s"}}' % password
    suffix = "-encrypted" if password else ""
    return _convert(docx_path, out_dir, cache, "pdf", fmt, suffix, f"-pw-{password}" if password else "")


def resave(path: Path, out_dir: Path, cache: Path | None = None) -> Path:
    """The DOCX opened and saved again by LibreOffice Writer (as LibreOffice users hand files
    in): the same content, written the way LibreOffice writes merges and styles. (XLSX would
    need LibreOffice Calc, which the CI image does not install.)"""
    return _convert(path, out_dir, cache, "docx", "docx:MS Word 2007 XML", "-lo", "-resaved")


def _convert(src: Path, out_dir: Path, cache: Path | None, ext: str, fmt: str, suffix: str, key: str) -> Path:
    exe = soffice()
    if exe is None:
        raise RuntimeError("soffice not found")
    digest = _content_hash(src) + key
    target = out_dir / f"{src.stem}{suffix}.{ext}"
    if cache is not None:
        cached = cache / f"{digest}.{ext}"
        if cached.exists():
            shutil.copyfile(cached, target)
            return target
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as outdir:
        env = dict(os.environ, HOME=profile)
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", outdir, str(src)],
            check=True, capture_output=True, timeout=180, env=env,
        )
        made = Path(outdir) / f"{src.stem}.{ext}"
        shutil.copyfile(made, target)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, cache / f"{digest}.{ext}")
    return target


def text_pdf(lines: list[bytes]) -> bytes:
    """A one-page PDF whose text layer holds `lines` as raw bytes in a Latin font (WinAnsi).

    Fed Chinese text as GBK bytes it gives what a broken export gives: a text layer that reads
    as Latin-1 mojibake ("¼¨Ð§Ä¿±ê±í" for 绩效目标表).
    """
    def esc(b: bytes) -> bytes:
        return b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    body = b"BT /F1 10 Tf 14 TL 50 800 Td " + b" ".join(b"(" + esc(line) + b") Tj T*" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for k, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def image_pdf(pdf_path: Path, out: Path, pages: int = 2) -> Path:
    """A scan: the first pages of a real PDF rendered to images, saved as an image-only PDF."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        images = [pdf[i].render(scale=1.2).to_pil().convert("L") for i in range(min(pages, len(pdf)))]
    finally:
        pdf.close()
    images[0].save(str(out), save_all=True, append_images=images[1:])
    return out


def row_tuples(doc) -> list[tuple[str, ...]]:
    return [tuple(getattr(r, f) for f in FIELDS) for r in doc.rows]


def _same(a, b, loose: bool) -> bool:
    if loose:
        return all(re.sub(r"\s+", "", getattr(a, f)) == re.sub(r"\s+", "", getattr(b, f)) for f in FIELDS)
    return all(getattr(a, f) == getattr(b, f) for f in FIELDS)


def agreement(reference, other, loose: bool = False) -> tuple[int, int]:
    """(rows equal, rows total): rows compared in order, table by table.

    loose: whitespace inside cells ignored. A PDF cannot keep a space that fell where a line
    wrapped inside a cell ("26 号" wrapped after "26" reads "26号"), so PDFs are compared both ways.
    """
    equal = total = 0
    ref_tables = reference.tables
    for k, table in enumerate(ref_tables):
        mine = other.tables[k].rows if k < len(other.tables) else []
        for i, row in enumerate(table.rows):
            total += 1
            if i < len(mine) and _same(row, mine[i], loose):
                equal += 1
    extra = sum(len(t.rows) for t in other.tables[len(ref_tables):])
    return equal, total + extra


def heads(doc) -> list[tuple]:
    """What a table's head gives, table by table: title, project, code, budget, goals, plan, kind."""
    return [(t.title, t.project, t.project_code, t.budget, t.goals, t.plan, t.kind) for t in doc.tables]


def _measure() -> None:  # pragma: no cover - a measurement, run by hand
    """Agreement with the text version for every format and PDF variant, and PDF read times."""
    import time

    import pdfplumber

    from targetqa.ingest import load

    work = Path(tempfile.mkdtemp(prefix="targetqa-office-"))
    cache = ROOT / ".pytest_cache" / "d" / "office-fixtures"
    cases = {"sample": sample_lines()}
    for prefix in ("000", "001", "003", "004"):
        cases[prefix] = seed_lines(prefix)
    totals: dict[str, list[int]] = {}
    for name, lines in cases.items():
        txt = work / f"{name}.txt"
        txt.write_text("\n".join(lines), encoding="utf-8")
        ref = load(txt)
        docx_path = build_docx(lines, work / f"{name}.docx")
        xlsx_path = build_xlsx(lines, work / f"{name}.xlsx")
        files = {
            "docx": docx_path,
            "xlsx": xlsx_path,
            "docx-lo": resave(docx_path, work, cache),  # LibreOffice round trip
            "pdf": to_pdf(docx_path, work, cache),
            # tables without borders: rows set apart by the paragraph spacing (Word's 10 pt),
            # cells centred vertically, and rows at the line pitch (no spacing)
            "pdf-unruled": to_pdf(build_docx(lines, work / f"{name}-unruled.docx", ruled=False), work, cache),
            "pdf-centred": to_pdf(
                build_docx(lines, work / f"{name}-centred.docx", ruled=False, centred=True), work, cache
            ),
            "pdf-tight": to_pdf(build_docx(lines, work / f"{name}-tight.docx", ruled=False, spacing=0), work, cache),
        }
        for fmt, path in files.items():
            t0 = time.perf_counter()
            doc = load(path)
            seconds = time.perf_counter() - t0
            eq, tot = agreement(ref, doc)
            leq, _ = agreement(ref, doc, loose=True)
            same_heads = sum(1 for a, b in zip(heads(ref), heads(doc)) if a == b)
            total = totals.setdefault(fmt, [0, 0, 0, 0, 0])
            for k, v in enumerate((eq, leq, tot, same_heads, len(ref.tables))):
                total[k] += v
            timing = ""
            if path.suffix == ".pdf":
                with pdfplumber.open(path) as pdf:
                    timing = f", {len(pdf.pages)} pages read in {seconds:.2f} s"
            print(f"{name:7s} {fmt:11s} tables {len(ref.tables):3d}/{len(doc.tables):3d} rows equal {eq}/{tot}"
                  f" (ignoring spaces {leq}/{tot}), heads equal {same_heads}/{len(ref.tables)}{timing}")
    for fmt, (eq, leq, tot, hs, ht) in totals.items():
        print(f"all     {fmt:11s} rows equal {eq}/{tot} (ignoring spaces {leq}/{tot}), heads equal {hs}/{ht}")
    print("files in", work)


if __name__ == "__main__":  # pragma: no cover
    _measure()
