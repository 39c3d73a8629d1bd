"""Synthetic *batches* for the cross-report rules: several agencies over several years, each report
written independently, with copies planted where a test asks for them.

Why a second generator: ``synth`` picks its prose from a few variants per paragraph, so two
agencies print the same sentence by design — fine for single-report rules, but exactly what the
copy rules look for. Here each report's prose is composed sentence by sentence from independent
choices (subject, action, object, purpose, numbers), with the agency's own place in some of them,
so two reports share a sentence only by chance and never a passage; the tables stay ``synth``'s
(consistent, with each year's 上年结转 equal to the year before's 结转下年度).

Everything is synthetic; the places are fictitious (``PLACES``, checked against the gazetteer in
tests/test_crossreport.py).
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import synth

#: Fictitious county-level places (none is a real division name).
PLACES = ("青岚市澜溪区", "青岚市白鹭县", "青岚市雁汀县", "青岚市栖梧区", "青岚市苇塘县", "青岚市霁川县",
          "青岚市沐禾区", "青岚市砚屿县")
BUREAUS = (("市场监督管理局", "局"), ("财政局", "局"), ("自然资源局", "局"), ("卫生健康委员会", "委"),
           ("交通运输局", "局"), ("司法局", "局"))

_SUBJ = ("我{u}", "{u}办公室", "{u}政务公开领导小组", "{u}各科室", "{u}信息公开工作专班", "{u}法制部门",
         "{u}党组", "{u}机关各股室", "{u}政务服务窗口", "{u}综合科")
_ACT = ("进一步梳理了", "全面更新了", "按季度核查了", "逐项完善了", "集中清理了", "分批公开了", "重新编制了",
        "定期评估了", "细化落实了", "专题研究了", "跟踪督办了", "统一规范了")
_OBJ = ("权责清单和办事指南", "行政执法公示信息", "重大决策预公开事项", "财政预决算说明", "政策解读材料",
        "依申请公开办理流程", "政务新媒体栏目", "基层政务公开标准目录", "公共企事业单位信息", "涉企优惠政策",
        "民生实事项目进展", "建议提案办理结果", "统计数据发布安排", "招标采购信息", "行政处罚裁量基准")
_HOW = ("结合{p}实际", "围绕年度重点工作", "对照上级部署", "依托{p}政府门户网站", "在{p}范围内",
        "通过线上线下两种渠道", "按照“谁制作谁公开”的原则", "会同相关部门", "针对群众反映集中的问题",
        "以便民利企为导向")
_AIM = ("确保信息发布及时准确", "方便群众查询办事", "回应社会关切", "提升公开质量", "压实工作责任",
        "减少重复申请", "推动公开内容标准化", "增强政策知晓度", "便于社会监督", "提高办理效率")
_WHEN = ("年初", "一季度", "二季度", "上半年", "三季度", "四季度", "年中", "下半年", "全年", "汛期前",
         "节假日前后", "年底前")
_WITH = ("并形成台账", "并建立问题清单", "并同步更新目录", "并开展自查", "并征求群众意见", "并纳入考核",
         "并加强审核把关", "并做好归档", "并及时报送", "并实行动态管理", "并明确责任人", "并组织回头看")
_NUM = ("共涉及{n}项内容", "累计{n}条", "覆盖{n}个事项", "组织培训{n}次", "更新栏目{n}个", "")


def prose(rng: random.Random, place: str, unit: str, n: int) -> list[str]:
    """``n`` independently composed sentences (one paragraph)."""
    out = []
    for _ in range(n):
        num = rng.choice(_NUM).format(n=rng.randint(2, 400))
        s = (rng.choice(_WHEN) + "，" + rng.choice(_HOW).format(p=place) + "，"
             + rng.choice(_SUBJ).format(u=unit) + rng.choice(_ACT) + rng.choice(_OBJ)
             + rng.choice(_WITH) + ("，" + num if num else "") + "，" + rng.choice(_AIM) + "。")
        out.append(s)
    return out


@dataclass
class Member:
    agency: str
    place: str
    unit: str  # how the body names the agency (本局/本委)
    years: tuple[int, ...]
    seed: int


def members(n_agencies: int = 6, years=(2021, 2022, 2023), seed: int = 1) -> list[Member]:
    out = []
    for i in range(n_agencies):
        place = PLACES[i % len(PLACES)]
        name, unit = BUREAUS[(i // len(PLACES) + i) % len(BUREAUS)]
        out.append(Member(place + name, place[3:], unit, tuple(years), seed * 1000 + i))
    return out


def report_doc(m: Member, year: int, carried_over: list[int], carried_forward: list[int],
               prose_seed: int | None = None):
    """The ``synth`` document of one member's report for ``year``, prose replaced by
    independent sentences (``prose_seed`` defaults to one per agency and year)."""
    new = [3, 1, 0, 0, 0, 0]
    # results: everything new + carried is granted except what is carried forward
    granted = [max(0, n + c - f) for n, c, f in zip(new, carried_over, carried_forward)]
    extra_new = [max(0, f - n - c) for n, c, f in zip(new, carried_over, carried_forward)]
    new = [a + b for a, b in zip(new, extra_new)]
    spec = synth.make_report(agency=m.agency, short=f"{m.place}{m.unit}", region=f"青岚市{m.place}",
                             year=year, new=new, carried=carried_over,
                             results={"granted": granted},
                             table2_rows={"normative_documents": (1, 0, 10 + year - 2021)},
                             seed=m.seed)
    doc = synth.build(spec)
    rng = random.Random(prose_seed if prose_seed is not None else m.seed * 7919 + year)
    for b in doc.blocks:
        if isinstance(b, synth.Para) and b.kind == "para" and 1 <= b.section <= 6:
            b.text = "".join(prose(rng, m.place, m.unit, rng.randint(3, 5)))
    return doc


def batch_texts(ms: list[Member]) -> dict[str, str]:
    """``{file name: text}`` for every member and year, tables continuous from year to year."""
    out = {}
    for m in ms:
        carried = [0] * 6
        for y in m.years:
            forward = [(m.seed + y + k) % 3 for k in range(6)]
            forward[1:] = [0] * 5
            doc = report_doc(m, y, carried, forward)
            out[f"{m.seed}-{y}.txt"] = synth.render_text(doc)
            carried = forward
    return out


def reissue(text: str, old_year: int, new_year: int) -> str:
    """Last year's report with only the year changed."""
    return text.replace(str(new_year), "\x00").replace(str(old_year), str(new_year)).replace(
        "\x00", str(new_year + 1))


def lift_paragraph(target: str, source: str, place: str) -> str:
    """``target`` with the first prose paragraph of ``source`` naming ``place`` appended to
    the target's first prose paragraph (a passage lifted with the other place left in)."""
    paras = [p for p in source.split("\n") if place in p and p.endswith("。") and len(p) > 80
             and "本报告" not in p]  # the prose, not the intro
    lifted = paras[0]
    lines = target.split("\n")
    i = next(k for k, p in enumerate(lines) if p.endswith("。") and len(p) > 80 and k > 3)
    lines[i] = lines[i] + lifted
    return "\n".join(lines)


#: A region's template paragraph that every agency of a batch prints (synthetic).
TEMPLATE = ("根据青岚市政务公开工作要点的统一部署，各单位应当把政务公开工作纳入年度目标责任考核，"
            "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果全过程公开，"
            "并按月向市政务公开办报送工作进展情况。")


def add_template(text: str) -> str:
    """``text`` with ``TEMPLATE`` after its first prose paragraph."""
    lines = text.split("\n")
    i = next(k for k, p in enumerate(lines) if p.endswith("。") and len(p) > 80 and k > 3)
    lines[i] = lines[i] + TEMPLATE
    return "\n".join(lines)
