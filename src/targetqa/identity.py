"""Department identity: one key for the same department across years and spellings.

Departments spell themselves differently from year to year and even within one document:
"中共秦皇岛市山海关区委组织部", "组织部门中共秦皇岛市山海关区委组织部本级" (a 项目单位 cell),
"山海关区委组织部" (the city left out), "中国共产党开江县委员会组织部" (the full party name) and
"中共开江县委组织部" (the usual short form). Yet the bare "组织部" of two districts are two
departments and must never be merged.

The key is built from two parts:
- the region, as the chain of administrative names the department gives ("秦皇岛市", "山海关区"),
  read from the front of the name;
- the organisation type: the rest of the name after normalising the standard long forms
  (中国共产党 → 中共, X委员会 → X委, 工作委员会 → 工委, 人民政府 → 政府) and dropping the decorations
  that are not part of the name (a leading "组织部门"-style category, codes, 本级, 管理部门, 机关).

Two names are the same department when their organisation types are equal and their regions
are compatible: the same lowest-level region, and one chain contained in the other
(山海关区 ⊂ 秦皇岛市/山海关区 ⊂ 河北省/秦皇岛市/山海关区). A short name is attached to a fuller
one only when exactly one fuller candidate fits; when two cities each have a 山海关区-like
district, the short name stays on its own rather than being merged with the wrong one. A name
with no region at all ("组织部") cannot be told apart from another district's and is kept
apart, per document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from targetqa import rx

# Region suffixes, longest first so that "经济技术开发区" wins over "区".
_REGION_SUFFIX = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "经济技术开发区", "高新技术产业开发区",
    "经济开发区", "高新区", "开发区", "新区", "地区", "省", "盟", "市", "区", "县", "旗",
)
# Characters that never occur inside a region name but do in organisation names; they stop the
# region reader so that "委社区" or "城市管理局" are not taken for regions.
_NOT_REGION = "委局部办厅处队组党府院站所馆科股室会中心团联社司"
_REGION_TOKEN = rx.compile(
    rf"[^\W\d_{_NOT_REGION}]{{2,12}}?(?:{'|'.join(_REGION_SUFFIX)})"
    rf"|[^\W\d_{_NOT_REGION}]县"  # one-character counties: 沛县, 蠡县
)
# Endings of words inside organisation names that look like regions ("旅游景区管理处").
_FALSE_REGION_ENDS = ("社区", "景区", "校区", "辖区", "片区", "库区", "矿区", "营区")

_PREFIX_CODE = rx.compile(r"^[\s\dA-Za-z\-_.、:：\]\[）)(（]+")
_SUFFIXES = ("（本级）", "(本级)", "机关本级", "部门本级", "本级", "管理部门", "（汇总）", "(汇总)", "汇总", "机关")


@dataclass(frozen=True)
class DeptId:
    """A department name read into region chain and organisation type."""

    raw: str
    region: tuple[str, ...]
    org: str
    party: bool

    @property
    def canonical(self) -> str:
        """The name in its normal short form: 中共秦皇岛市山海关区委组织部."""
        return ("中共" if self.party else "") + "".join(self.region) + self.org

    @property
    def key(self) -> str:
        """A stable text key: region chain, then organisation type ("秦皇岛市/山海关区|中共委组织部")."""
        return "/".join(self.region) + "|" + ("中共" if self.party else "") + self.org

    @property
    def region_text(self) -> str:
        return "".join(self.region)


def normalize(name: str) -> str:
    """Spelling differences that do not change the department, removed."""
    text = rx.sub(r"\s+", "", name or "")
    text = text.replace("（", "(").replace("）", ")")
    text = _PREFIX_CODE.sub("", text)
    # 项目单位 cells prefix the name with a category: "组织部门中共秦皇岛市…本级".
    text = rx.sub(r"^[\u4e00-\u9fff]{1,8}?部门(?=中共|中国共产党)", "", text)
    text = text.replace("中国共产党", "中共")
    for _ in range(2):
        for suffix in _SUFFIXES:
            suffix = suffix.replace("（", "(").replace("）", ")")
            if text.endswith(suffix) and len(text) > len(suffix) + 2:
                text = text[: -len(suffix)]
    text = rx.sub(r"\((?:含所属单位|含下属单位|本部|部门)\)$", "", text)
    text = text.replace("人民代表大会常务委员会", "人大常委会")
    text = text.replace("人民政府", "政府")
    text = text.replace("工作委员会", "工委")
    # "…区委员会组织部" → "…区委组织部": a region directly followed by 委员会 is its party committee.
    text = rx.sub(r"(省|自治区|市|州|区|县|旗|盟)委员会", r"\1委", text)
    text = text.replace("委员会", "委")
    return text


def _read_region(text: str) -> tuple[tuple[str, ...], str]:
    region: list[str] = []
    rest = text
    while len(region) < 5:
        m = _REGION_TOKEN.match(rest)
        if not m:
            break
        token = m.group(0)
        remainder = rest[m.end():]
        if token.endswith(_FALSE_REGION_ENDS):
            break
        # A region must leave something that names the organisation.
        if not remainder:
            break
        region.append(token)
        rest = remainder
    return tuple(region), rest


def parse(name: str) -> DeptId:
    text = normalize(name)
    party = text.startswith("中共")
    body = text[2:] if party else text
    region, org = _read_region(body)
    if not party and org.startswith(("委", "工委")) and region:
        party = True  # "山海关区委组织部": the district's party committee
    return DeptId(name, region, org, party)


def same_department(a: str, b: str) -> bool:
    """True when the two names are one department (see the module notes)."""
    keys = resolve([a, b])
    return keys[a] == keys[b]


def _compatible(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """`short` names the same place as `full` with fewer levels (a subsequence, same last level)."""
    if not short or not full or short[-1] != full[-1] or len(short) > len(full):
        return False
    it = iter(full)
    return all(any(part == f for f in it) for part in short)


def resolve(names: Iterable[str]) -> dict[str, str]:
    """Map every name to its department key, grouping spellings of one department.

    Names with no region get a key of their own ("?|name"), so two districts' bare "组织部" are
    never merged; callers that need one key per document should make such keys unique.
    """
    parsed = {n: parse(n) for n in dict.fromkeys(names)}
    groups: dict[tuple[str, str, bool], list[DeptId]] = defaultdict(list)
    for ident in parsed.values():
        if ident.region:
            groups[(ident.region[-1], ident.org, ident.party)].append(ident)
    out: dict[str, str] = {}
    for members in groups.values():
        chains = sorted({m.region for m in members}, key=len, reverse=True)
        # Maximal chains: not contained in a longer one.
        maximal = [c for c in chains if not any(c != o and _compatible(c, o) for o in chains)]
        for m in members:
            fits = [c for c in maximal if c == m.region or _compatible(m.region, c)]
            chain = fits[0] if len(fits) == 1 else m.region
            out[m.raw] = DeptId(m.raw, chain, m.org, m.party).key
    for n, ident in parsed.items():
        if n not in out:
            out[n] = "?|" + (("中共" if ident.party else "") + ident.org if ident.org else n)
    return out


def department_key(name: str) -> str:
    """The key of one name on its own (no grouping with other spellings)."""
    return parse(name).key if parse(name).region else "?|" + normalize(name)


def region_of(name: str) -> str:
    return parse(name).region_text


__all__ = ["DeptId", "department_key", "normalize", "parse", "region_of", "resolve", "same_department"]
