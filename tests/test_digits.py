"""Run-together digit recovery: the enumeration, the identity checks and the joint search."""
from __future__ import annotations

from nianbao.parsing.digits import Chunk, group_sum_check, readings, row_choices, solve_jointly

R2 = group_sum_check([(tuple(range(6)), 6)])
R4 = group_sum_check([(tuple(range(b * 5, b * 5 + 4)), b * 5 + 4) for b in range(3)])


def run(s: str) -> Chunk:
    return Chunk(s, s)


def num(v) -> Chunk:
    return Chunk(str(v), None, v)


def test_leading_zero_rule_forces_zeros():
    got, more = readings([run("0000000")], 7)
    assert got == [(0,) * 7] and not more
    # "00" cannot be one number, "05" neither
    assert readings([run("00")], 1)[0] == []
    assert readings([run("05")], 1)[0] == []
    assert readings([run("05")], 2)[0] == [(0, 5)]


def test_row_total_picks_the_one_reading():
    every, _ = readings([run("713000074")], 7)
    assert len(every) > 1
    fit, _ = readings([run("713000074")], 7, R2)
    assert fit == [(71, 3, 0, 0, 0, 0, 74)]


def test_whitespace_is_a_hard_boundary():
    # "500000 5": the second run is a whole cell, so the first holds exactly six
    fit, _ = readings([run("500000"), num(5)], 7, R2)
    assert fit == [(5, 0, 0, 0, 0, 0, 5)]
    every, _ = readings([num(0)] * 5 + [run("00")], 7)
    assert every == [(0,) * 7]


def test_table4_blocks():
    fit, _ = readings([run("10203120001200000")], 15, R4)
    assert fit == [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]


def test_three_columns_without_identity_stay_open():
    every, _ = readings([run("693665")], 3)
    assert (69, 3, 665) in every and len(every) == 10
    assert readings([run("000")], 3)[0] == [(0, 0, 0)]
    every, _ = readings([run("20"), run("155")], 3)
    assert sorted(every) == [(2, 0, 155), (20, 1, 55), (20, 15, 5)]


def test_sign_and_decimals_stay_with_their_number():
    assert readings([num(0), run("+11")], 3)[0] == [(0, 1, 1)]
    assert readings([run("35"), run("-15")], 2)[0] == [(35, -15)]
    got, _ = readings([Chunk("6251000.5", "6251000", None, "5")], 2)
    assert (6, 251000.5) in got and all(isinstance(r[-1], float) for r in got)


def test_cannot_make_more_cells_than_digits():
    assert readings([num(0)] * 6, 7)[0] == []


def test_truncation_is_reported():
    got, more = readings([run("1234567891234567")], 5, limit=10)
    assert more and len(got) == 10


def test_joint_search_unique_and_multiple():
    # two open rows; the column identity a + b = t decides between the readings of row a
    fixed = {"b": (1, 1), "t": (3, 2)}
    options = {"a": [(2, 1), (1, 2)]}
    ident = [(("a", "b"), ("t",))]
    sols, cut = solve_jointly(fixed, options, ident, 2)
    assert not cut and row_choices(sols, "a") == [(2, 1)]
    # without a decisive total both readings fit
    sols, _ = solve_jointly({"b": (1, 1), "t": (None, None)}, options, ident, 2)
    assert sorted(row_choices(sols, "a")) == [(1, 2), (2, 1)]
    # nothing fits: no solution (the caller then leaves the cells null)
    sols, _ = solve_jointly({"b": (1, 1), "t": (9, 9)}, options, ident, 2)
    assert sols == []


def test_search_budget_bounds_pathological_runs():
    # 20 digits into 7 cells has tens of thousands of splits: the search stops and says so
    got, more = readings([run("98765432198765432198")], 7, R2)
    assert more and got == []


def test_pathological_row_is_left_ambiguous_by_the_parser():
    from nianbao.parsing.rows import resolve_row
    from nianbao.parsing.scan import Piece

    ps = [Piece(run("98765432198765432198"), 0, 20)]
    res = resolve_row(ps, 7, lambda off: 1, check=R2, check_name="R2")
    assert all(c.value is None and c.how == "ambiguous" and "过多" in c.reason for c in res.cells)
