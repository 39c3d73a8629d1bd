"""Write the bundled samples (data/samples/) and the report fixtures (tests/fixtures/reports/).

Why a script: both folders are generated from ``tests/synth.py`` so that every planted defect and
its expected rule ids are known exactly, and so that a change to the generator shows up as a diff
in the committed files. ``tests/test_samples.py`` regenerates into a temporary directory and
compares bytes, so the committed outputs must always equal what this script writes.

    python scripts/make_samples.py            # rewrite both folders in the repo
    python scripts/make_samples.py --out DIR  # write DIR/data/samples and DIR/tests/fixtures/reports
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import synth  # noqa: E402

SAMPLES_DIR = Path("data/samples")
FIXTURES_DIR = Path("tests/fixtures/reports")

FORM_NAMES = {"txt": "plain text (tab-separated tables)", "flat": "crawler text (body on one line)",
              "md": "markdown (pipe tables)", "html": "portal web page (Word-exported tables)",
              "docx": "Word document (merged cells)", "pdf": "PDF with a text layer",
              "scan": "scanned PDF (colour page images, no text layer: OCR)",
              "doc": "legacy Word .doc (converted by LibreOffice)"}


@dataclass
class Item:
    file: str
    form: str  # txt | flat | md | html | docx | pdf | scan | doc
    spec: synth.Spec
    note: str = ""
    extra_rules: tuple[str, ...] = field(default_factory=tuple)

    @property
    def defects(self) -> list[str]:
        return [d if isinstance(d, str) else d.name for d in self.spec.defects]

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(synth.defect_rules(self.spec.defects) + list(self.extra_rules)))

    @property
    def also(self) -> list[str]:
        return list(dict.fromkeys(r for d in self.spec.defects for r in synth.DEFECTS[d].also
                                  if r not in self.rules))


# ------------------------------------------------------------------ samples
def samples() -> list[Item]:
    R = synth.make_report
    QL, LX, BL = synth.CITY, synth.DISTRICT, synth.COUNTY
    return [
        Item("lanxi-market-2023.txt", "txt", R(
            agency=f"{QL}{LX}市场监督管理局", short="区市场监管局", year=2023,
            new=[14, 5, 0, 1, 2, 0], carried=[2, 0, 0, 0, 0, 0],
            results={"granted": [8, 3, 0, 1, 1, 0], "partially_granted": [2, 1, 0, 0, 0, 0],
                     "withheld_third_party": [1, 0, 0, 0, 0, 0], "unavailable_not_held": [2, 1, 0, 0, 0, 0],
                     "rejected_complaint": [1, 0, 0, 0, 0, 0], "other_no_correction": [1, 0, 0, 0, 0, 0]},
            table2_rows={"normative_documents": (2, 1, 17), "licensing": 1286, "penalty": 57, "coercion": 4},
            proactive_items=436), "clean 2021-format department report"),
        Item("lanxi-gov-2023.html", "html", R(
            kind="government", year=2023, new=[38, 6, 1, 0, 2, 1], carried=[3, 1, 0, 0, 0, 0],
            results={"granted": [20, 3, 1, 0, 1, 1], "partially_granted": [5, 1, 0, 0, 0, 0],
                     "withheld_process_info": [2, 0, 0, 0, 0, 0], "unavailable_not_held": [6, 2, 0, 0, 1, 0],
                     "unavailable_needs_creation": [2, 0, 0, 0, 0, 0], "rejected_repeat": [3, 0, 0, 0, 0, 0],
                     "other_other": [1, 0, 0, 0, 0, 0]},
            table2_rows={"regulations": (0, 0, 0), "normative_documents": (5, 2, 41), "licensing": 3920,
                         "penalty": 312, "coercion": 17, "fees": 12.5},
            t4=synth.table4(review=(1, 0, 0, 1), direct=(1, 0, 0, 0)), proactive_items=2874,
            seed=7), "clean 本级政府 report on a portal page; one review and one suit in 表四"),
        Item("bailu-education-2020.docx", "docx", R(
            agency=f"{QL}{BL}教育局", short="县教育局", region=f"{QL}{BL}", year=2020,
            new=[9, 0, 0, 0, 0, 0], results={"granted": [6, 0, 0, 0, 0, 0], "unavailable_not_held": 2,
                                              "other": 1},
            table2_rows={"normative_documents": (1, 1, 6), "licensing": (12, 0, 35), "penalty": (2, 0, 3)}),
             "clean 2019-format (试行) report for year 2020, tables with merged cells"),
        Item("qinglan-transport-2022.pdf", "pdf", R(
            agency=f"{QL}交通运输局", short="市交通运输局", region=QL, year=2022,
            new=[21, 7, 0, 0, 1, 0], carried=[1, 0, 0, 0, 0, 0],
            results={"granted": [12, 4, 0, 0, 1, 0], "partially_granted": [3, 1, 0, 0, 0, 0],
                     "unavailable_not_held": [4, 2, 0, 0, 0, 0], "rejected_publication": [1, 0, 0, 0, 0, 0]},
            table2_rows={"normative_documents": (3, 0, 22), "licensing": 5310, "penalty": 688, "coercion": 9},
            proactive_items=1250), "clean PDF; 表三 continues onto the next page"),
        Item("bailu-health-2022-crawl.txt", "flat", R(
            agency=f"{QL}{BL}卫生健康局", short="卫生健康局", region=f"{QL}{BL}", year=2022,
            new=[12, 3, 0, 0, 0, 0], results={"granted": [9, 3, 0, 0, 0, 0], "unavailable_not_held": [3, 0, 0, 0, 0, 0]},
            table2_rows={"normative_documents": (1, 0, 9), "licensing": 214, "penalty": 35}),
             "clean report as a crawler saves it: header block, body on one line, run-together digits "
             "(each run has one reading that satisfies the row total)"),
        Item("lanxi-civil-affairs-2024.md", "md", R(
            agency=f"{QL}{LX}民政局", short="区民政局", year=2024,
            new=[4, 0, 0, 0, 0, 0], results={"granted": 3, "rejected_confirmation": 1},
            table2_rows={"normative_documents": (1, 0, 5), "licensing": 46}), "clean markdown report"),
        Item("lanxi-science-2021-defects.txt", "txt", R(
            agency=f"{QL}{LX}科技和工业信息化局", short="区科工局", year=2021,
            defects=["dup-heading", "citation", "narr-overall5", "text-deixis", "t2-allzero", "t2-unit",
                     "t3-header-social", "t3-six-cells", "t3-row-wording", "dmg-halfwidth", "dmg-shift",
                     "dmg-split-blank", "text-region", "narr-problems", "narr-empty6"]),
             "a defect profile like the seed's, in new words: repeated title and heading, 七11 citation, "
             "generic 总体情况, 今年以来, all-zero tables, 4-decimal fee header, 社会组织, rows 一/二 without "
             "总计, 其他法律法规, shifted and split 表三, another district's portal, thin 五, 六 = 无"),
        Item("bailu-agriculture-2023-defects.html", "html", R(
            agency=f"{QL}{BL}农业农村局", short="县农业农村局", region=f"{QL}{BL}", year=2023,
            new=[7, 2, 0, 0, 0, 0], carried=[1, 0, 0, 0, 0, 0],
            results={"granted": [5, 1, 0, 0, 0, 0], "unavailable_not_held": [2, 1, 0, 0, 0, 0]},
            table2_rows={"normative_documents": (2, 0, 11), "licensing": 133, "penalty": 19},
            defects=["late", "meta-agency", "narr-apps", "t3-r1", "t4-r4", "text-typo"]),
             "published late; another agency in the 编制 sentence; prose count of applications off by 2; "
             "R1 and R4 broken; typos"),
        Item("qinglan-housing-2022-defects.docx", "docx", R(
            agency=f"{QL}住房和城乡建设局", short="市住房城乡建设局", region=QL, year=2022,
            new=[16, 4, 0, 0, 0, 0], results={"granted": [10, 3, 0, 0, 0, 0], "partially_granted": [2, 0, 0, 0, 0, 0],
                                               "unavailable_not_held": [4, 1, 0, 0, 0, 0]},
            table2_rows={"normative_documents": (4, 1, 30), "licensing": 760, "penalty": 48},
            defects=["version-2019-in-2021", "period-year", "narr-review", "t3-blank", "text-year-future"]),
             "2019 表二 in a 2022 report; statistics period of the wrong year; prose denies a review that "
             "表四 shows; blank 表三 cells; a year two years ahead"),
        Item("bailu-water-2023-scan.pdf", "scan", R(
            agency=f"{QL}{BL}水利局", short="县水利局", region=f"{QL}{BL}", year=2023,
            new=[6, 1, 0, 0, 0, 0], carried=[1, 0, 0, 0, 0, 0],
            results={"granted": [4, 1, 0, 0, 0, 0], "partially_granted": [1, 0, 0, 0, 0, 0],
                     "unavailable_not_held": [1, 0, 0, 0, 0, 0]},
            table2_rows={"normative_documents": (1, 0, 7), "licensing": 92, "penalty": 14}),
             "clean report as a scan of the printed, sealed copy: 3 colour page images at 200 dpi, 0.6–1.1° "
             "askew with grain, the red seal over the signature; no text layer, so it is read by OCR"),
        Item("lanxi-culture-2022.doc", "doc", R(
            agency=f"{QL}{LX}文化和旅游局", short="区文旅局", year=2022,
            new=[11, 2, 0, 1, 0, 0], results={"granted": [7, 2, 0, 1, 0, 0], "unavailable_not_held": [3, 0, 0, 0, 0, 0],
                                               "other_other": [1, 0, 0, 0, 0, 0]},
            table2_rows={"normative_documents": (2, 0, 13), "licensing": 318, "penalty": 26}),
             "clean report as a legacy Word .doc (the Word rendering saved by LibreOffice as Word 97); "
             "read after LibreOffice converts it back"),
    ]


# ------------------------------------------------------------------ fixtures
def _baseline(**kw) -> synth.Spec:
    """The fixture baseline: applications in several columns, carried over and forward, 表二
    counts, so that every defect has something to act on."""
    args = dict(agency=f"{synth.CITY}{synth.DISTRICT}文化旅游体育局", short="区文旅体局", year=2023,
                new=[6, 2, 0, 0, 1, 0], carried=[1, 0, 0, 0, 0, 0],
                results={"granted": [4, 1, 0, 0, 1, 0], "partially_granted": [1, 0, 0, 0, 0, 0],
                         "unavailable_not_held": [1, 0, 0, 0, 0, 0]},
                table2_rows={"normative_documents": (3, 1, 24), "licensing": 58, "penalty": 41, "coercion": 2},
                seed=11)
    args.update(kw)
    return synth.make_report(**args)


def fixtures() -> list[Item]:
    items = [Item("clean.txt", "txt", _baseline(), "clean baseline"),
             Item("clean.html", "html", _baseline(), "clean baseline, portal page"),
             Item("clean.md", "md", _baseline(), "clean baseline, markdown"),
             Item("clean.docx", "docx", _baseline(), "clean baseline, Word"),
             Item("clean.pdf", "pdf", _baseline(), "clean baseline, PDF (表三 continues on the next page)"),
             Item("clean-flat.txt", "flat", _baseline(), "clean baseline, crawler text"),
             Item("clean-2019.txt", "txt", _baseline(year=2020), "clean 2019-format report (year 2020)"),
             Item("clean-gov.txt", "txt", _baseline(kind="government", agency=None, short=None),
                  "clean 本级政府 report (adds 考核/社会评议/责任追究)"),
             Item("clean-review.txt", "txt", _baseline(t4=synth.table4(review=(1, 1, 0, 0), after=(0, 0, 0, 1))),
                  "clean, with review and suit cases in 表四 and the prose saying so")]
    for name, d in synth.DEFECTS.items():
        if name.startswith("dmg-"):
            continue
        form = "html" if name == "late" else "txt"
        spec = _baseline(defects=[name], **({"year": 2020} if name == "version-2021-in-2019" else {}))
        items.append(Item(f"defect-{name}.{'html' if form == 'html' else 'txt'}", form, spec, d.doc))
    items.append(Item("defect-late-flat.txt", "flat", _baseline(defects=["late"]),
                      "published late, date in the crawler header"))
    for name, form in (("t3-r1", "docx"), ("citation", "pdf"), ("narr-review", "md"), ("dup-heading", "html"),
                       ("text-region", "flat")):
        items.append(Item(f"defect-{name}-flat.txt" if form == "flat" else f"defect-{name}.{form}", form,
                          _baseline(defects=[name]), f"{synth.DEFECTS[name].doc} ({FORM_NAMES[form]})"))
    for name in ("dmg-shift", "dmg-split-blank", "dmg-halfwidth", "dmg-blank-tokens", "dmg-fullwidth-digits"):
        items.append(Item(f"{name}.txt", "txt", _baseline(defects=[name]), synth.DEFECTS[name].doc))
    items += [
        Item("dmg-split-blank.html", "html", _baseline(defects=["dmg-split-blank"]),
             "表三 printed as three tables"),
        Item("dmg-pagebreak.pdf", "pdf", _baseline(defects=["dmg-split-blank"]),
             "表三 broken by forced page breaks (three pieces, merged labels continued empty)"),
        Item("dmg-thousands.txt", "txt", _big(defects=["dmg-thousands"]),
             "counts ≥ 1000 printed with thousands separators (1,024)"),
        Item("flat-one-reading.txt", "flat", _runtogether_one(),
             "crawler text, no separators in 表三: each run of digits has exactly one reading whose six "
             "applicant values add up to the printed total"),
        Item("flat-two-readings.txt", "flat", _runtogether_two(),
             "crawler text, no separators in 表三: the rows 一, （一） and （七） read 1|10|…|11 or "
             "11|0|…|11; both readings satisfy R1–R3, so those cells are ambiguous"),
    ]
    return items


def _big(**kw) -> synth.Spec:
    return _baseline(new=[1024, 35, 2, 0, 3, 1], carried=[12, 0, 0, 0, 0, 0],
                     results={"granted": [870, 30, 2, 0, 3, 1], "partially_granted": [61, 2, 0, 0, 0, 0],
                              "unavailable_not_held": [95, 3, 0, 0, 0, 0]},
                     table2_rows={"normative_documents": (3, 1, 24), "licensing": 1530, "penalty": 2046}, **kw)


def _runtogether_one() -> synth.Spec:
    return _baseline(new=[12, 3, 0, 0, 0, 0], carried=None, results={"granted": [12, 3, 0, 0, 0, 0]},
                     flat_sep="none")


def _runtogether_two() -> synth.Spec:
    return _baseline(new=[1, 10, 0, 0, 0, 0], carried=None, results={"granted": [1, 10, 0, 0, 0, 0]},
                     flat_sep="none")


# ------------------------------------------------------------------ writing
def write_item(item: Item, folder: Path) -> None:
    path = folder / item.file
    if item.form == "flat":
        text = synth.render_flat(item.spec)
        synth._atomic_save(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    elif item.form == "scan":
        synth.render_scan(item.spec, path)
    elif item.form == "doc":
        write_doc(item.spec, path)
    else:
        synth.write_report(item.spec, path, item.form)


def write_doc(spec: synth.Spec, path: Path) -> None:
    """The Word rendering saved as a Word 97 .doc by LibreOffice (headless, a fresh profile in a
    temporary directory). The bytes depend on the LibreOffice version, so the test compares the
    .doc by what it reads as, not byte for byte."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit(f"{path.name}: LibreOffice (soffice) is needed to write the .doc sample "
                         "(apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        work = Path(tmp)
        src = work / (path.stem + ".docx")
        synth.render_docx(spec, src)
        subprocess.run([exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(work / "out"), str(src)],
                       check=True, capture_output=True, timeout=300, stdin=subprocess.DEVNULL)
        data = (work / "out" / (path.stem + ".doc")).read_bytes()
    synth._atomic_save(path, lambda t: Path(t).write_bytes(data))


def index_csv(items: list[Item]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["file", "format", "defect", "rules", "also", "year", "format_version", "kind", "note"])
    for it in items:
        w.writerow([it.file, it.form, ";".join(it.defects), ";".join(it.rules), ";".join(it.also),
                    it.spec.year, it.spec.format, it.spec.kind, it.note])
    return buf.getvalue()


def samples_readme(items: list[Item]) -> str:
    lines = ["# Bundled samples", "",
             "Synthetic 政府信息公开工作年度报告 of made-up agencies (青岚市, 澜溪区 and 白鹭县 are not real",
             "divisions), written by `scripts/make_samples.py` from `tests/synth.py` — do not edit by hand;",
             "change the generator and rerun the script (`tests/test_samples.py` checks they agree).",
             "Clean samples should audit with no error and no warning. The defect samples list the rule",
             "ids their planted defects should make fire; \"may also\" rules follow from the same defect.",
             "The only real place name in any sample is the district planted by the `text-region` defect.",
             "The scanned sample has no text layer: it is read by OCR (a few seconds a page; every table",
             "cell keeps its page, box and score, and a cell OCR doubts is left out of the arithmetic, which",
             "shows as info findings). The `.doc` sample needs LibreOffice (installed by `scripts/test.sh`",
             "as root); its bytes depend on LibreOffice's version, so the test compares what it reads as.",
             "", "| file | agency | year / format | input | planted defects | rules expected | may also |",
             "|---|---|---|---|---|---|---|"]
    for it in items:
        lines.append(f"| `{it.file}` | {it.spec.agency} | {it.spec.year} / {it.spec.format} | {FORM_NAMES[it.form]} | "
                     f"{', '.join(it.defects) or 'none'} | {', '.join(it.rules) or '—'} | {', '.join(it.also) or '—'} |")
    lines += ["", "Notes:", ""]
    lines += [f"- `{it.file}`: {it.note}." for it in items]
    lines += ["", "Defects (from `tests/synth.py`):", ""]
    used = list(dict.fromkeys(d for it in items for d in it.defects))
    lines += [f"- `{d}` → {', '.join(synth.DEFECTS[d].rules) or 'parser only'}: {synth.DEFECTS[d].doc}" for d in used]
    return "\n".join(lines) + "\n"


def write_all(out: Path, legacy_word: bool = True) -> list[Path]:
    """Write everything under ``out``; without ``legacy_word`` the .doc sample (which needs
    LibreOffice) is left out."""
    written = []
    for folder, items, index in ((SAMPLES_DIR, samples(), None), (FIXTURES_DIR, fixtures(), "INDEX.csv")):
        dest = out / folder
        dest.mkdir(parents=True, exist_ok=True)
        for it in items:
            if it.form == "doc" and not legacy_word:
                continue
            write_item(it, dest)
            written.append(dest / it.file)
        if index:
            text = index_csv(items)
            synth._atomic_save(dest / index, lambda tmp, t=text: Path(tmp).write_text(t, encoding="utf-8"))
            written.append(dest / index)
        else:
            text = samples_readme(items)
            synth._atomic_save(dest / "README.md", lambda tmp, t=text: Path(tmp).write_text(t, encoding="utf-8"))
            written.append(dest / "README.md")
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT, help="root to write data/samples and tests/fixtures/reports under")
    args = ap.parse_args(argv)
    for p in write_all(args.out):
        print(p.relative_to(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
