"""Tables from ruling lines, with merged cells resolved.

A chain of small pure functions, the way pdfplumber finds tables (and reusing its own):
rules → edges (``rules_to_edges``) → snapped and joined edges (``pdfplumber.table.merge_edges``)
→ intersections (``edges_to_intersections``) → the smallest rectangles with ruled sides
(``intersections_to_cells``: a merged cell has no rule inside it, so it comes out as one
rectangle) → groups of cells sharing corners (``group_cells``; unlike pdfplumber's
``cells_to_tables`` a one-cell table is kept: section 八 of the form is one ruled cell)
→ :class:`Grid` with column boundaries ``xs``, row boundaries ``ys`` and each cell's row,
column and spans on them (``grid_of``).

Works the same on a PDF's drawn lines and on lines a scan reader found by morphology.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

from pipeline.model.document import BBox

from .pieces import Rule


class GridCell(NamedTuple):
    bbox: BBox
    row: int
    col: int
    row_span: int
    col_span: int


@dataclass
class Grid:
    bbox: BBox
    xs: list[float]                  # column boundaries, left to right (n_cols + 1)
    ys: list[float]                  # row boundaries, top to bottom (n_rows + 1)
    cells: list[GridCell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def rules_to_edges(rules: list[Rule], min_length: float = 3.0) -> list[dict]:
    """pdfplumber edge dicts (orientation "h" or "v") from rule segments; specks dropped."""
    edges = []
    for r in rules:
        x0, x1 = sorted((r.x0, r.x1))
        top, bottom = sorted((r.top, r.bottom))
        if (x1 - x0) >= (bottom - top):
            if x1 - x0 < min_length:
                continue
            y = (top + bottom) / 2.0
            edges.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                          "orientation": "h", "object_type": "edge"})
        else:
            if bottom - top < min_length:
                continue
            x = (x0 + x1) / 2.0
            edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                          "orientation": "v", "object_type": "edge"})
    return edges


def group_cells(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables: a cell sharing a corner with a group joins it (one-cell tables kept)."""
    groups: list[tuple[set, list[BBox]]] = []
    for c in sorted(cells, key=lambda c: (c[1], c[0])):
        corners = {(c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3])}
        hit = [g for g in groups if g[0] & corners]
        if not hit:
            groups.append((set(corners), [c]))
            continue
        base = hit[0]
        base[0].update(corners)
        base[1].append(c)
        for g in hit[1:]:                       # the cell bridges groups: merge them
            base[0].update(g[0])
            base[1].extend(g[1])
            groups.remove(g)
    out = [g[1] for g in groups]
    return sorted(out, key=lambda t: min((c[1], c[0]) for c in t))


def _boundaries(values: list[float], tol: float) -> list[float]:
    vs = sorted(values)
    out: list[float] = []
    for v in vs:
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    i = bisect_left(bounds, v)
    if i == len(bounds):
        return i - 1
    if i > 0 and v - bounds[i - 1] < bounds[i] - v:
        return i - 1
    return i


def grid_of(cells: list[BBox], tol: float = 2.0) -> Grid:
    """Row and column boundaries of one table's cells and each cell's place and spans on them."""
    xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells], tol)
    ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells], tol)
    out = []
    for c in cells:
        c0, c1 = _index(xs, c[0]), _index(xs, c[2])
        r0, r1 = _index(ys, c[1]), _index(ys, c[3])
        if c1 <= c0 or r1 <= r0:
            continue
        out.append(GridCell(tuple(float(v) for v in c), r0, c0, r1 - r0, c1 - c0))
    out.sort(key=lambda g: (g.row, g.col))
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return Grid(bbox, xs, ys, out)


def find_grids(rules: list[Rule], snap_tolerance: float = 3.0, join_tolerance: float = 3.0,
               intersection_tolerance: float = 3.0, min_cell: float = 4.0,
               max_edges: int = 4000) -> list[Grid]:
    """Every ruled table on a page, top to bottom, merged cells resolved.

    Cells smaller than ``min_cell`` points either way (double rules, hairline gaps) are
    dropped.  More than ``max_edges`` edges (a page of hatching, not a form) gives no grid.
    """
    edges = rules_to_edges(rules)
    if not edges or len(edges) > max_edges:
        return []
    edges = merge_edges(edges, snap_tolerance, snap_tolerance, join_tolerance, join_tolerance)
    inter = edges_to_intersections(edges, intersection_tolerance, intersection_tolerance)
    cells = [c for c in intersections_to_cells(inter) if c[2] - c[0] >= min_cell and c[3] - c[1] >= min_cell]
    return [grid_of(g) for g in group_cells(cells)]


def cell_at(grid: Grid, x: float, y: float) -> Optional[GridCell]:
    """The cell of ``grid`` holding the point, if any."""
    for c in grid.cells:
        if c.bbox[0] <= x <= c.bbox[2] and c.bbox[1] <= y <= c.bbox[3]:
            return c
    return None
