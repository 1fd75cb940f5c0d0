"""Real seed tables, re-laid out as other converters print them, must give back the seed's rows.

The extractor is exact on the five seeds; it will meet other departments' documents in other
layouts. Each variant here renders the reference rows of the seeds (tests/reference: real cells,
copied unchanged) in one layout seen in converted budget documents, reads the text back with
the normal loader, and compares every row (level1 … basis, operator / value / unit) with the
reference. Run this file as a script to print rows equal / total per variant.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_extract_variants_render import (  # noqa: E402
    HEADER_VARIANTS,
    ROW_FIELDS,
    Columns,
    Spec,
    aligned_table,
    as_101,
    browser_copy,
    continued,
    continued_tab,
    csv_text,
    department_goal,
    department_tab,
    document,
    excel_tab_text,
    flow_table,
    html_table,
    load_specs,
    markdown_grid,
    markdown_pipe,
    respelled,
    respelled_value,
    standard_columns,
    tab_table,
    width,
)

from targetqa.ingest import load  # noqa: E402
from targetqa.model import Table  # noqa: E402

SEEDS = ("000", "001", "002", "004")
# PDF reading-order text keeps no column positions: cells are told apart by wrap widths and by
# the value expression. Where a value is plain text (长期推动, 有效) right after a wrapped
# description, or a description holds spaced numbers ('为区内 87 个村'), nothing in the text says
# where one cell ends; those rows (about one in ten of the seeds' rows rendered so) may differ.
FLOW_FLOOR = 0.9
# pdftotext -layout of a table whose cells are centred vertically: a row has no first line, so
# rows are found from their markers (row number or value) and cut where cells sit centred.
# Where two adjacent rows' cells both fill their rows, or a document number wraps early
# ('廊广办传【2020】' / '16'), the line where one row ends is ambiguous.
CENTRED_FLOOR = 0.95


@dataclass
class Variant:
    """A layout: how to render a list of tables as one document, and which tables it takes."""

    render: Callable[[list[Spec]], str]
    kinds: tuple[str, ...] = ("project",)
    seeds: tuple[str, ...] = SEEDS
    prepare: Callable[[Spec], Spec] = lambda spec: spec
    encoding: str = "utf-8"
    # Share of rows that must come back equal. 1.0 except where the layout itself loses what
    # tells cells apart (see FLOW_FLOOR).
    floor: float = 1.0


def each(table_lines) -> Callable[[list[Spec]], str]:
    """A document renderer from a one-table renderer."""
    return lambda specs: document(specs, table_lines)


def with_header(name: str, renderer=tab_table) -> Callable[[list[Spec]], str]:
    factory = HEADER_VARIANTS[name]
    return each(lambda spec, k: renderer(spec, k, cols=factory(spec)))


def respelled_columns(spec: Spec) -> Columns:
    cols = standard_columns(spec)
    return Columns(cols.header, lambda r: cols.cells(r)[:4] + [respelled_value(r)] + cols.cells(r)[5:])


def _respell(spec: Spec) -> Spec:
    return replace(spec, rows=respelled(spec.rows))


def _cost_101(spec: Spec) -> Spec:
    return replace(spec, rows=as_101(spec.rows))


VARIANTS: dict[str, Variant] = {
    # the seeds' own tab layout, as a control
    "tab": Variant(each(tab_table)),
    # markdown
    "md_pipe": Variant(each(markdown_pipe)),
    "md_pipe_rowspan_dropped": Variant(each(partial(markdown_pipe, rowspan_dropped=True))),
    "md_pipe_head_outside": Variant(each(partial(markdown_pipe, head_in_table=False))),
    "md_pipe_split_value": Variant(with_header("split_value", markdown_pipe)),
    "md_grid": Variant(each(markdown_grid)),
    "md_html_rowspan": Variant(each(html_table)),
    # a web page's table copied from the browser
    "browser_copy": Variant(each(browser_copy)),
    # Excel exports
    "csv_excel": Variant(csv_text),
    "csv_excel_gbk": Variant(csv_text, encoding="gb18030"),
    "excel_tab_quoted": Variant(excel_tab_text),
    # aligned text: pdftotext -layout (character index), pandoc plain (display width)
    "layout": Variant(each(aligned_table)),
    "layout_numbered": Variant(each(partial(aligned_table, numbered=True))),
    "layout_narrow": Variant(each(partial(aligned_table, scale=0.6, gap="  "))),
    "layout_narrow_left_header": Variant(each(partial(aligned_table, scale=0.5, centered_header=False))),
    "layout_centered": Variant(each(partial(aligned_table, centered=True, scale=0.7)), floor=CENTRED_FLOOR),
    "layout_centered_numbered": Variant(
        each(partial(aligned_table, centered=True, scale=0.7, numbered=True)), floor=CENTRED_FLOOR
    ),
    "layout_split_value": Variant(with_header("split_value", aligned_table)),
    "layout_value_unit": Variant(with_header("value_over_two_rows", aligned_table)),
    "pandoc_plain": Variant(each(partial(aligned_table, measure=width, dashes=True, blank_between=True, centered_header=False))),
    # PDF reading-order text (002's converter) without the row-number column
    "flow_unnumbered": Variant(each(flow_table), floor=FLOW_FLOOR),
    "flow_numbered": Variant(each(partial(flow_table, numbered=True)), floor=FLOW_FLOOR),
    # header spellings and two-row headers
    **{f"header_{name}": Variant(with_header(name)) for name in HEADER_VARIANTS},
    "md_header_nature": Variant(with_header("nature", markdown_pipe)),
    "md_header_two_rows": Variant(with_header("two_rows", markdown_pipe)),
    # 财预〔2021〕101号: 成本指标 as a level1
    "cost_101_tab": Variant(each(tab_table), prepare=_cost_101),
    "cost_101_flow": Variant(each(flow_table), prepare=_cost_101, floor=FLOW_FLOOR),
    "cost_101_layout": Variant(each(aligned_table), prepare=_cost_101),
    # department-wide table with 年度主要任务 and 年度总体目标
    "department_tab": Variant(each(department_tab), kinds=("department",), seeds=("001",)),
    "department_md": Variant(each(partial(department_tab, markdown=True)), kinds=("department",), seeds=("001",)),
    # titles and page breaks
    "title_unit_line": Variant(each(partial(tab_table, title_gap=["", "单位：万元", ""]))),
    "continued_title": Variant(each(continued_tab)),
    "continued_md": Variant(each(continued(markdown_pipe))),
    "continued_layout": Variant(each(continued(aligned_table))),
    "continued_flow": Variant(each(continued(flow_table)), floor=FLOW_FLOOR),
    "continued_page_number_only": Variant(each(partial(continued_tab, title=False, debris=("第 7 页",)))),
    # operators typed other ways
    "respelled_tab": Variant(each(lambda spec, k: tab_table(spec, k, cols=respelled_columns(spec))), prepare=_respell),
    "respelled_layout": Variant(each(lambda spec, k: aligned_table(spec, k, cols=respelled_columns(spec))), prepare=_respell),
    "respelled_flow": Variant(each(flow_table), prepare=_respell, floor=FLOW_FLOOR),
    # 决算 completion tables (003): 预期 / 实际 columns
    "final_md": Variant(each(markdown_pipe), kinds=("final",), seeds=("003",)),
    "final_layout": Variant(each(aligned_table), kinds=("final",), seeds=("003",)),
}


def variant_specs(variant: Variant) -> list[Spec]:
    return [variant.prepare(s) for p in variant.seeds for s in load_specs(p) if s.kind in variant.kinds]


def read_back(variant: Variant, specs: list[Spec], folder: Path) -> list[Table]:
    path = folder / "variant.txt"
    path.write_bytes(variant.render(specs).encode(variant.encoding))
    return load(path).tables


def compare(specs: list[Spec], tables: list[Table]) -> tuple[int, int, list[str]]:
    """(rows equal, rows expected, problems) for tables read back against the specs, in order."""
    problems: list[str] = []
    if len(tables) != len(specs):
        problems.append(f"{len(tables)} tables found, {len(specs)} expected: {[t.project for t in tables]}")
    equal = total = 0
    for spec, table in zip(specs, tables):
        want = [{k: r[k] for k in ROW_FIELDS} for r in spec.rows]
        got = [{k: getattr(r, k) for k in ROW_FIELDS} for r in table.rows]
        total += len(want)
        if len(got) != len(want):
            problems.append(f"{spec.seed} table {spec.table_no}: {len(got)} rows, {len(want)} expected")
        for n, (w, g) in enumerate(zip(want, got), start=1):
            if w == g:
                equal += 1
                continue
            diff = {k: (w[k], g[k]) for k in ROW_FIELDS if w[k] != g[k]}
            problems.append(f"{spec.seed} table {spec.table_no} row {n}: {diff}")
    return equal, total, problems


_READ: dict[str, tuple[list[Spec], list[Table]]] = {}


@pytest.fixture
def read_variant(tmp_path_factory):
    """Render and read back a variant once per session: (specs, tables read)."""

    def read(name: str) -> tuple[list[Spec], list[Table]]:
        if name not in _READ:
            variant = VARIANTS[name]
            specs = variant_specs(variant)
            _READ[name] = (specs, read_back(variant, specs, tmp_path_factory.mktemp(name)))
        return _READ[name]

    return read


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_gives_the_seed_rows(name, read_variant):
    variant = VARIANTS[name]
    specs, tables = read_variant(name)
    equal, total, problems = compare(specs, tables)
    message = f"{name}: {equal}/{total} rows equal\n" + "\n".join(problems[:30])
    if variant.floor < 1.0:
        assert len(tables) == len(specs) and equal >= variant.floor * total, message
    else:
        assert not problems, message


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_keeps_titles_and_heads(name, read_variant):
    # the project named in the title (or head), and the kind of table, come back too
    specs, tables = read_variant(name)
    for spec, table in zip(specs, tables):
        assert table.kind == spec.kind and not table.title.startswith("#")
        if spec.kind == "department":
            assert table.table_no == 0 and table.goals == [department_goal(spec)]
        else:
            assert table.project == spec.project


PROSE = [
    "XX局2025年部门预算公开说明",
    "",
    "一、部门预算绩效目标",
    "根据《项目支出绩效评价管理办法》，项目绩效目标由一级指标、二级指标和三级指标构成，一级指标包括产出指标、效益指标和满意度指标。",
    "一级指标 二级指标 三级指标的设置应当与部门职责相匹配。",
    "产出指标主要反映项目的数量、质量、时效和成本，效益指标反映经济效益、社会效益和生态效益。",
    "满意度指标反映服务对象对项目实施的满意程度，原则上不低于90%。",
    "本单位绩效指标体系包括一级指标,二级指标,三级指标,指标值等内容。",
    "绩效指标设置情况：一级指标  二级指标  三级指标  指标值",
    "产出指标  数量指标  完成培训人数不少于100人。",
    "效益指标方面，社会效益指标预计达到预期，详见一级指标 | 二级指标 | 三级指标说明。",
    "\t一级指标和二级指标按财预〔2021〕101号文件设置。",
    "二、其他说明",
    "本部门无其他需要说明的事项。",
]


def test_prose_about_indicators_makes_no_tables(tmp_path):
    # a budget document's prose names the levels in every form a header takes, and no table
    path = tmp_path / "prose.txt"
    path.write_text("\n".join(PROSE), encoding="utf-8")
    assert load(path).tables == []


def summary() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, variant in VARIANTS.items():
            specs = variant_specs(variant)
            try:
                tables = read_back(variant, specs, Path(tmp))
                equal, total, problems = compare(specs, tables)
                print(f"{name:32s} {equal:4d}/{total:<4d} tables {len(tables)}/{len(specs)}")
            except Exception as exc:  # a crash is a result too
                print(f"{name:32s} error {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    summary()
