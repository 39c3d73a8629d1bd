"""Issue 9 rules on short synthetic reports (every sentence written for these tests): dates that
cannot be right (META-DATES), the signing agency (META-SIGNER), self-references that are not
names (META-AGENCY), and stated totals against their own breakdown (NARR-BREAKDOWN)."""
from __future__ import annotations

from nianbao.engine import run_rule
from nianbao.parsing import parse
from nianbao.rules.registry import RULES, all_rules

AGENCY = "青岚市云溪区文旅局"


def report(tmp_path, body: str, year: int = 2023, agency: str = AGENCY, sign: str | None = None):
    sign = sign if sign is not None else f"{agency}\n{year + 1}年1月18日"
    text = (f"{agency}{year}年政府信息公开工作年度报告\n"
            f"本报告统计期限为{year}年1月1日至{year}年12月31日。\n"
            f"一、总体情况\n{body}\n二、主动公开政府信息情况\n详见下表。\n"
            "三、收到和处理政府信息公开申请情况\n详见下表。\n四、政府信息公开行政复议、行政诉讼情况\n详见下表。\n"
            "五、存在的主要问题及改进情况\n问题在于培训不足。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n"
            f"{sign}\n")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    return parse(p)


def run(rep, rule_id):
    all_rules()
    return run_rule(RULES[rule_id], rep)


def test_signed_in_january_of_the_report_year_is_an_error(tmp_path):
    rep = report(tmp_path, "本局认真落实条例。", sign=f"{AGENCY}\n2023年1月18日")
    (f,) = run(rep, "META-DATES")
    assert (f.severity, f.actual) == ("error", "2023-01-18") and "2024" in f.message
    assert rep.text[f.location["span"][0]:f.location["span"][1]] == "2023年1月18日"
    assert run(report(tmp_path, "本局认真落实条例。"), "META-DATES") == []


def test_signed_on_the_last_day_is_a_warning_and_period_without_year_an_error(tmp_path):
    rep = report(tmp_path, "本局认真落实条例。", sign=f"{AGENCY} 2023年12月31日")
    assert [f.severity for f in run(rep, "META-DATES")] == ["warning"]
    p = tmp_path / "p.txt"
    p.write_text(f"{AGENCY}2023年政府信息公开工作年度报告\n本报告统计期限自2023月1日起至2023年12月31日止。\n"
                 "一、总体情况\n本局认真落实条例。\n", encoding="utf-8")
    (f,) = run(parse(p), "META-DATES")
    assert f.severity == "error" and f.actual == "2023月1日"


def test_report_naming_another_years_report_as_itself(tmp_path):
    rep = report(tmp_path, "现将本局2024年度政府信息公开工作年度报告公布如下。")
    (f,) = run(rep, "META-DATES")
    assert (f.expected, f.actual) == (2023, 2024)
    assert run(report(tmp_path, "现将本局2023年度政府信息公开工作年度报告公布如下。"), "META-DATES") == []


def test_signer_differs_from_title_agency(tmp_path):
    rep = report(tmp_path, "本局认真落实条例。", sign="青岚市云溪区交通运输局\n2024年1月18日")
    (f,) = run(rep, "META-SIGNER")
    assert (f.severity, f.actual, f.expected) == ("error", "青岚市云溪区交通运输局", AGENCY)


def test_own_office_abbreviation_and_typo_are_not_another_agency(tmp_path):
    gov = "青岚市云溪区人民政府"
    assert run(report(tmp_path, "我区认真落实条例。", agency=gov,
                      sign="青岚市云溪区人民政府办公室\n2024年1月18日"), "META-SIGNER") == []
    assert run(report(tmp_path, "本局认真落实条例。", sign="云溪区文旅局\n2024年1月18日"), "META-SIGNER") == []
    (f,) = run(report(tmp_path, "本局认真落实条例。", sign="青岚市云溪区文路局\n2024年1月18日"), "META-SIGNER")
    assert f.severity == "warning" and "错字" in f.message


def test_compiled_guide_of_another_agency(tmp_path):
    rep = report(tmp_path, "本局按要求编制了《青岚市云溪区水利局政府信息公开指南》。")
    (f,) = run(rep, "META-SIGNER")
    assert f.actual == "青岚市云溪区水利局" and f.severity == "error"


def test_self_references_and_clauses_are_never_agency_names(tmp_path):
    rep = report(tmp_path, "今年我局坚持以人民为中心。结合我局职能，在全局坚持公开为常态。"
                           "根据《中华人民共和国政府信息公开条例》规定编制本报告。")
    assert run(rep, "META-AGENCY") == []


def test_breakdown_complete_list_must_add_up(tmp_path):
    rep = report(tmp_path, "本年度主动公开政府信息50条，其中工作动态类20条、通知公告类10条、其他类15条。")
    (f,) = run(rep, "NARR-BREAKDOWN")
    assert (f.severity, f.expected, f.actual) == ("error", 50, 45)
    rep = report(tmp_path, "在公开的40条信息中，工作动态类20条，占50%；通知公告类19条，占47.5%。")
    (f,) = run(rep, "NARR-BREAKDOWN")
    assert (f.severity, f.expected, f.actual) == ("error", 40, 39)


def test_breakdown_partial_list_is_not_an_error(tmp_path):
    rep = report(tmp_path, "本年度主动公开政府信息50条，其中工作动态类20条、通知公告类10条。")
    assert run(rep, "NARR-BREAKDOWN") == []  # a 其中 list below the total may be partial
    rep = report(tmp_path, "本年度主动公开政府信息50条，其中工作动态类40条、通知公告类30条。")
    assert [f.severity for f in run(rep, "NARR-BREAKDOWN")] == ["warning"]
    rep = report(tmp_path, "本年度主动公开政府信息50条，其中全文电子化的主动公开信息数50条，工作动态类30条，其他类20条。")
    assert run(rep, "NARR-BREAKDOWN") == []
