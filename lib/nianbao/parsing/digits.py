"""Run-together digit recovery: which numbers a whitespace-free digit run can stand for.

Crawled pages flatten a table row into one string and often lose the cell borders, so
"713000074" is what is left of 71 | 3 | 0 | 0 | 0 | 0 | 74. A run can be split many ways, but
only a few splits respect the printing rule (no leading zeros except "0" itself) and fewer still
satisfy the table's own identities (a row total equals its parts; a column adds up across rows).
This module enumerates the readings of a row and then picks rows jointly; it never chooses
between readings that fit equally well — the caller leaves such cells null and lists the
readings, because a guessed number is worse than a blank one in an audit.

Whitespace between runs is a hard boundary: "500000 5" is two runs, and the second one holds
exactly one or more whole cells.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Longest count a single cell may plausibly hold when split out of a run (9,999,999).
MAX_DIGITS = 7
#: Stop enumerating a row beyond this many readings: the row is hopelessly ambiguous anyway.
MAX_READINGS = 2000
#: Backtracking budget of a row's enumeration and of the joint (across rows) search; a row
#: that exhausts it is left ambiguous ("too many readings") rather than slowing the parse.
MAX_NODES = 5000
#: Fitting assignments collected before the joint search stops (enough to list the choices).
MAX_SOLUTIONS = 200


@dataclass(frozen=True)
class Chunk:
    """One whitespace-delimited piece of a row: ``value`` when it is a single number (decimal,
    signed, thousands-separated, or a lone digit), ``digits`` when it is a bare digit run that
    may hold several cells."""

    raw: str
    digits: str | None = None  # a splittable run (pure digits, optionally with a leading sign)
    value: float | int | None = None  # a chunk that is exactly one number
    frac: str = ""  # decimals printed after the run: they belong to its last number

    @property
    def max_cells(self) -> int:
        return len(self.digits.lstrip("+-")) if self.digits else 1


def readings(chunks: Sequence[Chunk], n: int,
             check: Callable[[list], bool] | None = None,
             limit: int = MAX_READINGS) -> tuple[list[tuple], bool]:
    """The ways ``chunks`` can make exactly ``n`` cells, numbers without leading zeros (a sign
    belongs to the first number of its run). ``check(values_so_far)`` may reject a partial
    reading; it is called after every value, so sums prune the search early.
    Returns (readings, truncated): truncated when more than ``limit`` readings exist or the
    search budget (``MAX_NODES``) ran out — either way the list is not exhaustive."""
    bodies = [c.digits.lstrip("+-") if c.digits else "" for c in chunks]
    # how many values the chunks from i on can give at least / at most
    suffix_min = [0] * (len(chunks) + 1)
    suffix_max = [0] * (len(chunks) + 1)
    for i in range(len(chunks) - 1, -1, -1):
        b = len(bodies[i])
        suffix_min[i] = suffix_min[i + 1] + (-(-b // MAX_DIGITS) if b else 1)
        suffix_max[i] = suffix_max[i + 1] + (b or 1)
    out: list[tuple] = []
    acc: list = []
    truncated = False
    nodes = 0

    def push(v, i: int, pos: int) -> None:
        acc.append(v)
        if len(acc) <= n and (check is None or check(acc)):
            run(i, pos)
        acc.pop()

    def run(i: int, pos: int) -> None:
        """Continue inside chunk ``i`` at digit ``pos`` of its run."""
        nonlocal truncated, nodes
        nodes += 1
        if nodes > MAX_NODES:
            truncated = True
        if truncated:
            return
        if i == len(chunks):
            if len(acc) == n:
                out.append(tuple(acc))
                truncated = len(out) > limit
            return
        c = chunks[i]
        if c.digits is None:
            push(c.value, i + 1, 0)
            return
        body = bodies[i]
        if pos == len(body):
            run(i + 1, 0)
            return
        need, rest = n - len(acc), len(body) - pos
        # the rest of this run gives 1..rest values of at most MAX_DIGITS digits each
        if not (-(-rest // MAX_DIGITS) + suffix_min[i + 1] <= need <= rest + suffix_max[i + 1]):
            return
        last = pos + 1 if body[pos] == "0" else min(len(body), pos + MAX_DIGITS)
        for end in range(pos + 1, last + 1):
            v = int(body[pos:end]) if not (c.frac and end == len(body)) \
                else float(f"{body[pos:end]}.{c.frac}")
            push(-v if (pos == 0 and c.digits.startswith("-")) else v, i, end)

    run(0, 0)
    return out[:limit], truncated


def group_sum_check(groups: Sequence[tuple[Sequence[int], int]]) -> Callable[[list], bool]:
    """A ``check`` for ``readings``: each (parts, total) group must satisfy
    total = sum(parts) once all its positions are filled (表三 R2 per row, 表四 R4 per block).
    Null cells are skipped."""
    done_at = {max(total, *parts): (parts, total) for parts, total in groups}

    def check(acc: list) -> bool:
        g = done_at.get(len(acc) - 1)
        if g is None:
            return True
        parts, total = g
        vals = [acc[p] for p in parts]
        if acc[total] is None or None in vals:
            return True
        return sum(vals) == acc[total]

    return check


def solve_jointly(fixed: dict[str, tuple], options: dict[str, list[tuple]],
                  identities: Sequence[tuple[Sequence[str], Sequence[str]]],
                  ncols: int) -> tuple[list[dict[str, tuple]], bool]:
    """Choose one reading per row in ``options`` so that every identity holds in every column.

    ``fixed`` rows are known (values may be None: such a column is skipped for the identities
    that involve it). An identity (lhs rows, rhs rows) says Σ lhs = Σ rhs per column.
    Returns the complete assignments that fit (at most ``MAX_SOLUTIONS``) and whether the search
    was cut short (budget or solution cap), in which case the list is not exhaustive."""
    order = sorted(options, key=lambda r: len(options[r]))
    assigned: dict[str, tuple] = dict(fixed)
    solutions: list[dict[str, tuple]] = []
    nodes = 0

    def holds(ident) -> bool:
        lhs, rhs = ident
        for c in range(ncols):
            a = [assigned[r][c] for r in lhs]
            b = [assigned[r][c] for r in rhs]
            if any(v is None for v in a + b):
                continue
            if sum(a) != sum(b):
                return False
        return True

    relevant = {r: [i for i in identities if r in i[0] or r in i[1]] for r in order}

    def rec(k: int) -> bool:
        nonlocal nodes
        if k == len(order):
            solutions.append({r: assigned[r] for r in order})
            return len(solutions) < MAX_SOLUTIONS
        row = order[k]
        for opt in options[row]:
            nodes += 1
            if nodes > MAX_NODES:
                return False
            assigned[row] = opt
            ok = all(holds(i) for i in relevant[row]
                     if all(r in assigned for r in (*i[0], *i[1])))
            if ok and not rec(k + 1):
                del assigned[row]
                return False
            del assigned[row]
        return True

    finished = rec(0)
    return solutions, not finished


def row_choices(solutions: list[dict[str, tuple]], row: str) -> list[tuple]:
    """The distinct readings of ``row`` across the fitting assignments."""
    return list(dict.fromkeys(s[row] for s in solutions))
