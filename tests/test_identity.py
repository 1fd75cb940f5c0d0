"""Department identity: the same department across years and spellings, never two merged into one.

All names are real: they are how the departments in corpora/ name themselves in titles, in the
opening sentence and in 项目单位 cells.
"""

from __future__ import annotations

import pytest

from targetqa.identity import department_key, normalize, parse, resolve, same_department

SHANHAIGUAN = [
    "中共秦皇岛市山海关区委组织部",  # 000 (2020) and 002 (2025) titles
    "组织部门中共秦皇岛市山海关区委组织部本级",  # 002, 项目单位 cell
    "203001-1]组织部门中共秦皇岛市山海关区委组织部本级",  # the same cell with its code
    "中共秦皇岛市山海关区委组织部管理部门",  # 000, first title line
    "山海关区委组织部",  # the city left out
]


def test_shanhaiguan_spellings_are_one_department() -> None:
    keys = resolve(SHANHAIGUAN)
    assert len(set(keys.values())) == 1, keys
    assert set(keys.values()) == {"秦皇岛市/山海关区|中共委组织部"}


def test_full_party_name_equals_short_form() -> None:
    # 003 calls itself both ways: 中国共产党开江县委员会组织部 in tables, 中共开江县委组织部 in prose.
    assert same_department("中国共产党开江县委员会组织部", "中共开江县委组织部")
    assert same_department("中国共产党廊坊市广阳区委员会组织部", "中共廊坊市广阳区委组织部")
    assert parse("中国共产党开江县委员会组织部").canonical == "中共开江县委组织部"


def test_generic_names_of_two_districts_stay_apart() -> None:
    assert not same_department("中共秦皇岛市山海关区委组织部", "中国共产党廊坊市广阳区委员会组织部")
    assert not same_department("中共开江县委组织部", "中共秦皇岛市山海关区委组织部")
    # The department without any region cannot be matched to either district.
    keys = resolve(["组织部", "中共秦皇岛市山海关区委组织部", "中共开江县委组织部"])
    assert len(set(keys.values())) == 3
    assert keys["组织部"].startswith("?|")


def test_other_department_of_the_same_district_is_not_merged() -> None:
    # 004's 党建工作部 sits under the development zone's 工委, not under a district 委.
    a = "中共秦皇岛经济技术开发区工作委员会党建工作部"
    assert not same_department(a, "中共秦皇岛市山海关区委组织部")
    assert parse(a).region == ("秦皇岛经济技术开发区",)
    assert parse(a).org == "工委党建工作部"
    assert not same_department("上海市普陀区人民政府办公室", "上海市普陀区商务委员会")


def test_short_name_is_not_attached_when_two_cities_fit() -> None:
    # Two real 新城区 (呼和浩特 and 西安): "新城区财政局" alone could be either, so it stays apart.
    names = ["内蒙古自治区呼和浩特市新城区财政局", "陕西省西安市新城区财政局", "新城区财政局"]
    keys = resolve(names)
    assert len(set(keys.values())) == 3
    # With only one candidate it is attached.
    keys = resolve(names[:1] + names[2:])
    assert keys[names[0]] == keys[names[2]]


@pytest.mark.parametrize(
    ("name", "region", "org"),
    [
        ("中共秦皇岛市山海关区委组织部", ("秦皇岛市", "山海关区"), "委组织部"),
        ("中国共产党廊坊市广阳区委员会组织部", ("廊坊市", "广阳区"), "委组织部"),
        ("中国共产党开江县委员会组织部", ("开江县",), "委组织部"),
        ("上海市普陀区人民政府办公室", ("上海市", "普陀区"), "政府办公室"),
        ("上海市普陀区商务委员会", ("上海市", "普陀区"), "商务委"),
        # Organisation words that end like regions are not read as regions.
        ("秦皇岛市城市管理综合行政执法局", ("秦皇岛市",), "城市管理综合行政执法局"),
        ("中共秦皇岛市委社区工作部", ("秦皇岛市",), "委社区工作部"),
    ],
)
def test_parse_region_and_organisation(name: str, region: tuple[str, ...], org: str) -> None:
    ident = parse(name)
    assert ident.region == region
    assert ident.org == org


def test_normalize_drops_decorations_only() -> None:
    assert normalize("组织部门中共秦皇岛市山海关区委组织部本级") == "中共秦皇岛市山海关区委组织部"
    assert normalize("中共秦皇岛市山海关区委组织部管理部门") == "中共秦皇岛市山海关区委组织部"
    assert department_key("中共秦皇岛市山海关区委组织部") == department_key("组织部门中共秦皇岛市山海关区委组织部本级")


def test_corpus_documents_group_into_four_departments(seeds) -> None:  # noqa: ANN001
    keys = resolve(d.department for d in seeds.values())
    by_doc = {p: keys[d.department] for p, d in seeds.items()}
    assert by_doc["000"] == by_doc["002"]  # 2020 and 2025 of the same 组织部
    assert len({by_doc[p] for p in ("000", "001", "003", "004")}) == 4
