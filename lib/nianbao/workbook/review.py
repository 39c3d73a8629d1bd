"""The audit notebook's review cells: each finding's review state, and recording a decision.

``nb.review(result, review_path)`` shows the state of every finding (new, open, confirmed, ask,
accepted, dismissed) and the confirmed ones that no longer fire (resolved), from the review file
(``nianbao.review``); ``nb.decide(result, 3, "dismissed", reason=…, reviewer=…)`` records one
decision in that file — one call per decision, in a cell of its own. The next batch run shows it
on the index, the page and in findings.csv. An empty ``review_path`` is ``outputs/review.csv``.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..review import (DECISION_LABELS, STATE_LABELS, ReviewStore, decision_status, record,
                      review_report)
from .views import View, default_result_path, esc, html_table, severity_badge


def _path(result, review_path: str = "") -> Path:
    if review_path:
        return Path(review_path).expanduser()
    remembered = getattr(result, "_nianbao_review_path", None)
    return remembered or default_result_path(result).parent / "review.csv"


def state_badge(state: str) -> str:
    return f'<span class="nb-rv nb-rv-{esc(state)}" data-review="{esc(state)}">' \
           f'{esc(STATE_LABELS.get(state, state))}</span>'


def review(result, review_path: str = "") -> View:
    """Every finding with its review state, then the resolved ones; remembers ``review_path``
    for ``decide``."""
    path = _path(result, review_path)
    result._nianbao_review_path = path  # decide() records where review() read
    rv = review_report(result.to_json(), ReviewStore.load(path))
    rows = []
    for r in rv.findings:
        d = r.decision
        who = "，".join(x for x in ((d.reason, d.reviewer, d.date) if d and d.status != "open"
                                    else ()) if x)
        rows.append([f'<a href="#nb-finding-{r.no}">{r.no}</a>', state_badge(r.state),
                     severity_badge(r.finding.get("severity") or ""),
                     f"<code>{esc(r.finding.get('rule') or '')}</code>",
                     esc(r.finding.get("message") or ""), esc(who)])
    for d in rv.resolved:
        rows.append(["", state_badge("resolved"), severity_badge(d.severity),
                     f"<code>{esc(d.rule)}</code>", esc(d.message),
                     esc(f"原结论：{DECISION_LABELS[d.status]}（"
                         + "，".join(x for x in (d.reviewer, d.date) if x) + "）")])
    counts = rv.counts()
    line = "　".join(f"{state_badge(s)} <b>{n}</b>" for s, n in counts.items() if n)
    head = (f'<p class="nb-review-counts">{line or "无发现"}</p>'
            f'<p class="nb-note">审核记录：<code>{esc(str(path))}</code>'
            f'（报告标识 {esc(rv.key)}）</p>')
    table = html_table(["#", "审核状态", "严重程度", "规则", "说明", "理由·审核人·日期"], rows,
                       "nb-table nb-review") if rows else ""
    return View(head + table, f"review of {rv.key}: {counts}")


def decide(result, finding_no: int, status: str, reason: str = "", reviewer: str = "",
           review_path: str = "") -> View:
    """Record the decision on finding ``finding_no`` (the number in the findings list):
    ``confirmed``, ``dismissed`` (not a defect), ``accepted`` (with a reason) or ``ask``
    (ask the agency); the Chinese labels (确认, 不是问题, 接受, 询问) work too."""
    try:
        st = decision_status(status)
        path = _path(result, review_path)
        store = ReviewStore.load(path)
        (d,) = record(store, result.to_json(), {int(finding_no): (st, reason, reviewer)})
    except ValueError as e:
        raise InputError(f"finding {finding_no}", str(e)) from None
    store.save()
    return View(f'<p class="nb-written">已记录：第{int(finding_no)}条 <code>{esc(d.rule)}</code> '
                f"→ {state_badge(d.status)}（{esc(d.reason)}）写入 <code>{esc(str(path))}</code>。"
                "重新运行批量审核后，索引页与审核页将显示该结论。</p>",
                f"recorded {d.status} for finding {finding_no} in {path}")
