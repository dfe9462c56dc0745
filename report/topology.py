"""Where things are, as SVG: the nodes side by side, the pods each runs, and
the volume (claim and host directory) each pod mounts, joined by a line.

What the lab teaches is then a picture: the Deployment's pods sit on the
node of their one volume, each StatefulSet pod has its own volume on its
own node. A pod the scheduler has not placed waits in a column of its own,
with a dashed line to the volume whose node it waits for; strangers (pods
with a workload's label that it does not own) stand apart; a line from a
pod to a volume on another node is dashed red, as it should never be.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from probes.document import ProbeDocument
from probes.facts import ClaimFacts, NodeFacts, PodFacts

WIDTH = 1180
MARGIN = 10
GAP = 18
HEADER = 58
BOX_H = 40
ROW = 48
GUTTER = 26
LANES = 5
"""Lines side by side in a gutter; more volumes in a column share them."""
EMPTY_WIDTH = 190
MOST_WIDTH = 330
"""Room at the right of a column for the lines from pods down to their volumes."""

FILL = {"statefulset": "#ebf4ff", "deployment": "#fffaf0", "stranger": "#edf2f7"}
STROKE = {"statefulset": "#2b6cb0", "deployment": "#c05621", "stranger": "#718096"}
AWAY = "#c53030"
UNPLACED = "not scheduled"
STRANGERS = "strangers"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float = BOX_H

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def middle(self) -> float:
        return self.y + self.h / 2


def _fit(text: str, width: float, font_px: float) -> str:
    """The text, cut with an ellipsis to about `width` pixels (DejaVu Sans averages 0.6 em a character)."""
    most = max(int(width / (font_px * 0.6)), 4)
    return text if len(text) <= most else text[: most - 1] + "…"


def _short_taint(taint: str) -> str:
    key, _, rest = taint.partition(":")
    return key.rsplit("/", 1)[-1] + (f":{rest}" if rest else "")


def _short_dir(path: str | None) -> str:
    """The part of a host directory that tells volumes apart: pvc-<first 8 of its uid>."""
    if not path:
        return "no host directory"
    base = path.rstrip("/").rsplit("/", 1)[-1]
    if base.startswith("pvc-") and len(base) > 12:
        return f"…/{base[:12]}…"
    return f"…/{base}"


def _columns(doc: ProbeDocument) -> list[str]:
    """The nodes (from the document, else from where pods and volumes are), then the pseudo-columns."""
    pods = doc.pods
    own = pods.statefulset + pods.deployment + pods.terminating
    names = [n.name for n in doc.nodes]
    seen = {p.node for p in own if p.node} | {c.node for c in doc.claims if c.node}
    columns = names + sorted(seen - set(names))
    unplaced = any(not p.node for p in own) or any(not c.node for c in doc.claims)
    return columns + ([UNPLACED] if unplaced else []) + ([STRANGERS] if pods.strangers else [])


def _node_status(node: NodeFacts | None, column: str) -> list[tuple[str, str]]:
    """(text, colour) pieces of a column's second header line."""
    if column == UNPLACED:
        return [("waiting for a node", "#4a5568")]
    if column == STRANGERS:
        return [("a workload's label, not its pods", "#4a5568")]
    if node is None:
        return [("node not listed", "#4a5568")]
    pieces = [("Ready", "#2f855a") if node.ready else ("NotReady", AWAY)]
    if node.unschedulable:
        pieces.append(("cordoned", "#b7791f"))
    pieces += [(_short_taint(t), "#4a5568") for t in node.taints]
    return pieces


def _pod_box(p: PodFacts, box: Box, kind: str) -> list[str]:
    """A pod: its name in its workload's colour, what it is doing under it;
    dashed while not Ready, faded while terminating."""
    terminating = p.terminating
    dash = ' stroke-dasharray="5,3"' if terminating or not p.ready else ""
    faded = ' fill-opacity="0.55"' if terminating else ""
    state = p.state or p.phase or "-"
    if kind == "stranger":
        state = f"owner {p.owner or 'none'}, on {p.node or 'no node'}: {state}"
    shown = ("✓ " if p.ready else "") + state
    return [
        f'<g class="pod {kind}"><title>{escape(p.name)}: {escape(state)}</title>',
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h}" rx="6" '
        f'fill="{FILL[kind]}" stroke="{STROKE[kind]}" stroke-width="1.8"{dash}{faded}/>',
        f'<text x="{box.x + 8:.1f}" y="{box.y + 16:.1f}" font-weight="bold" fill="{STROKE[kind]}">'
        f"{escape(_fit(p.name, box.w - 16, 12.5))}</text>",
        f'<text x="{box.x + 8:.1f}" y="{box.y + 32:.1f}" font-size="11" fill="#4a5568">'
        f"{escape(_fit(shown, box.w - 16, 11))}</text>",
        "</g>",
    ]


def _volume_box(c: ClaimFacts, box: Box, mounted: bool) -> list[str]:
    where = c.host_path or "no host directory"
    label = c.name + ("" if mounted else " (not mounted)")
    return [
        f'<g class="volume"><title>{escape(c.name)}: {escape(c.phase)}, {escape(where)}</title>',
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h}" rx="14" '
        f'fill="{"#f0fff4" if mounted else "#f7fafc"}" stroke="{"#2f855a" if mounted else "#a0aec0"}" '
        'stroke-width="1.5"/>',
        f'<text x="{box.x + 10:.1f}" y="{box.y + 16:.1f}" font-weight="bold" fill="#22543d">'
        f"{escape(_fit(label, box.w - 20, 12.5))}</text>",
        f'<text x="{box.x + 10:.1f}" y="{box.y + 32:.1f}" font-size="11" fill="#4a5568" font-family="DejaVu Sans Mono, '
        f'monospace">{escape(_fit(_short_dir(c.host_path), box.w - 20, 11))}</text>',
        "</g>",
    ]


def _bracket(pod: Box, volume: Box, lane: int, color: str) -> str:
    """A line out of the pod's right side, down the column's gutter, into the volume's right side."""
    gx = pod.right + GUTTER - 4 - lane * (GUTTER - 8) / LANES
    return (
        f'<path d="M{pod.right:.1f},{pod.middle:.1f} H{gx:.1f} V{volume.middle:.1f} H{volume.right + 1:.1f}" '
        f'fill="none" stroke="{color}" stroke-width="1.8" marker-end="url(#arrow)"/>'
    )


def _across(pod: Box, volume: Box, color: str) -> str:
    """A dashed curve from a pod's side to the facing side of a volume in another column."""
    rightward = volume.x > pod.x
    x1, x2 = (pod.right, volume.x) if rightward else (pod.x, volume.right)
    bend = (x2 - x1) / 2
    return (
        f'<path d="M{x1:.1f},{pod.middle:.1f} C{x1 + bend:.1f},{pod.middle:.1f} {x2 - bend:.1f},{volume.middle:.1f} '
        f'{x2:.1f},{volume.middle:.1f}" fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="6,4" '
        'marker-end="url(#arrow)"/>'
    )


@dataclass(frozen=True)
class _Placed:
    """A pod or a volume where the picture draws it."""

    item: PodFacts | ClaimFacts
    kind: str
    """statefulset, deployment or stranger for a pod; volume for a claim."""
    column: str
    box: Box


Entry = tuple[PodFacts | ClaimFacts, str, str]
"""A pod or a claim, its kind and its column."""


def _entries(doc: ProbeDocument) -> list[Entry]:
    """(pod or claim, kind, column) of everything drawn, pods in the document's order, then volumes."""
    pods = doc.pods
    own: list[Entry] = [
        (p, p.workload, p.node or UNPLACED) for p in pods.statefulset + pods.deployment + pods.terminating
    ]
    strangers: list[Entry] = [(p, "stranger", STRANGERS) for p in pods.strangers]
    # Volumes in the order of the first pod that mounts them, so the lines run
    # roughly parallel; volumes no pod mounts come last.
    first_mount: dict[str, int] = {}
    for i, p in enumerate(pods.statefulset + pods.deployment + pods.terminating + pods.strangers):
        for claim in p.claims:
            first_mount.setdefault(claim, i)
    entries = own + strangers
    claims = sorted(doc.claims, key=lambda c: first_mount.get(c.name, len(entries)))
    return entries + [(c, "volume", c.node or UNPLACED) for c in claims]


def _frames(columns: list[str], entries: list[Entry]) -> dict[str, tuple[float, float]]:
    """Each column's left edge and width: an empty node (a control plane) gets
    a narrow one, the others share the rest."""
    used = {column for _, _, column in entries}
    empty = [c for c in columns if c not in used]
    room = WIDTH - 2 * MARGIN - GAP * (len(columns) - 1) - EMPTY_WIDTH * len(empty)
    width = min(room / max(len(columns) - len(empty), 1), MOST_WIDTH)
    frames, x = {}, float(MARGIN)
    for column in columns:
        w = EMPTY_WIDTH if column in empty else width
        frames[column] = (x, w)
        x += w + GAP
    return frames


def _layout(entries: list[Entry], frames: dict[str, tuple[float, float]], volumes_top: float) -> list[_Placed]:
    placed, rows = [], dict.fromkeys([(c, v) for c in frames for v in (False, True)], 0)
    for item, kind, column in entries:
        is_volume = kind == "volume"
        row = rows[(column, is_volume)]
        rows[(column, is_volume)] += 1
        x, w = frames[column]
        top = volumes_top if is_volume else HEADER + 12
        placed.append(_Placed(item, kind, column, Box(x + 12, top + row * ROW, w - 24 - GUTTER)))
    return placed


def _column_frame(column: str, node: NodeFacts | None, x: float, col_w: float, height: float) -> list[str]:
    apart = column in (UNPLACED, STRANGERS)
    down = node is not None and not node.ready
    fill = "#fafafa" if apart else ("#fff5f5" if down else "#f8fafc")
    stroke = "#cbd5e0" if apart else (AWAY if down else "#4a5568")
    dash = ' stroke-dasharray="6,4"' if apart else ""
    status, sx = [], x + 12
    for text, color in _node_status(node, column):
        shown = _fit(text, x + col_w - 12 - sx, 11)
        status.append(f'<tspan fill="{color}">{escape(shown)}</tspan>')
        sx += (len(shown) + 2) * 6.6
        if sx > x + col_w - 40:
            break
    return [
        f'<rect x="{x:.1f}" y="4" width="{col_w:.1f}" height="{height:.1f}" rx="8" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="1.5"{dash}/>',
        f'<text x="{x + 12:.1f}" y="26" font-size="14.5" font-weight="bold" fill="#1a202c">'
        f"{escape(_fit(column, col_w - 24, 14.5))}</text>",
        f'<text x="{x + 12:.1f}" y="45" font-size="11">{"  ".join(status)}</text>',
    ]


def render_topology(doc: ProbeDocument) -> str:
    """The nodes, their pods and volumes, and which volume each pod mounts."""
    columns = _columns(doc)
    nodes = {n.name: n for n in doc.nodes}
    entries = _entries(doc)
    frames = _frames(columns, entries)
    most_pods = max([sum(1 for _, k, c in entries if c == column and k != "volume") for column in columns] + [1])
    most_volumes = max([sum(1 for _, k, c in entries if c == column and k == "volume") for column in columns] + [1])
    volumes_top = HEADER + 12 + most_pods * ROW + 26
    placed = _layout(entries, frames, volumes_top)
    height = volumes_top + most_volumes * ROW + 16
    total_h = height + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total_h}" viewBox="0 0 {WIDTH} {total_h}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12.5">',
        "<title>Nodes, the pods on each and the volume each pod mounts</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for column in columns:
        x, col_w = frames[column]
        out += _column_frame(column, nodes.get(column), x, col_w, height)
        if any(p.column == column and p.kind == "volume" for p in placed):
            out.append(
                f'<text x="{x + 12:.1f}" y="{volumes_top - 8:.1f}" font-size="11" fill="#4a5568">'
                "volumes (claim, host directory)</text>"
            )
    mounted = {name for p in placed if p.kind in ("statefulset", "deployment") for name in _claims_of(p.item)}
    boxes: list[str] = []
    for p in placed:
        if isinstance(p.item, ClaimFacts):
            boxes += _volume_box(p.item, p.box, p.item.name in mounted)
        else:
            boxes += _pod_box(p.item, p.box, p.kind)
    within, across = _lines(placed)
    out += within + boxes + across + _legend(total_h - 18)
    out.append("</svg>")
    return "\n".join(out)


def _claims_of(item: PodFacts | ClaimFacts) -> list[str]:
    """The claims a pod mounts; none for a claim."""
    return item.claims if isinstance(item, PodFacts) else []


def _lines(placed: list[_Placed]) -> tuple[list[str], list[str]]:
    """The lines from pods to their volumes, to draw under the boxes (brackets
    within a column, dashed curves from a pod waiting for its volume's node)
    and over them (a pod on another node than its volume, which must stand out)."""
    volumes = {p.item.name: p for p in placed if p.kind == "volume"}
    lanes: dict[str, int] = {}
    for name, placed_volume in volumes.items():
        lanes[name] = sum(1 for other in lanes if volumes[other].column == placed_volume.column) % LANES
    within: list[str] = []
    across: list[str] = []
    for p in placed:
        if p.kind == "volume":
            continue
        for claim in _claims_of(p.item):
            volume = volumes.get(claim)
            if volume is None:
                continue
            if p.column == volume.column:
                within.append(_bracket(p.box, volume.box, lanes[claim], STROKE[p.kind]))
            elif p.column in (UNPLACED, STRANGERS):
                # Waiting for the volume's node is expected: drawn under the boxes, not over them.
                within.append(_across(p.box, volume.box, STROKE[p.kind]))
            else:
                across.append(_across(p.box, volume.box, AWAY))
    return within, across


def _legend(y: float) -> list[str]:
    items = [
        (
            f'<rect x="0" y="-11" width="16" height="13" rx="3" fill="{FILL["statefulset"]}" '
            f'stroke="{STROKE["statefulset"]}" stroke-width="1.8"/>',
            "StatefulSet pod",
        ),
        (
            f'<rect x="0" y="-11" width="16" height="13" rx="3" fill="{FILL["deployment"]}" '
            f'stroke="{STROKE["deployment"]}" stroke-width="1.8"/>',
            "Deployment pod",
        ),
        (
            f'<rect x="0" y="-11" width="16" height="13" rx="3" fill="{FILL["stranger"]}" '
            f'stroke="{STROKE["stranger"]}" stroke-width="1.8"/>',
            "stranger",
        ),
        (
            '<rect x="0" y="-11" width="16" height="13" rx="3" fill="white" stroke="#4a5568" stroke-dasharray="4,2"/>',
            "not Ready",
        ),
        ('<rect x="0" y="-11" width="16" height="13" rx="6" fill="#f0fff4" stroke="#2f855a"/>', "volume"),
        ('<path d="M0,-4 H18" stroke="#4a5568" stroke-width="1.8" marker-end="url(#arrow)"/>', "mounts"),
        (
            '<path d="M0,-4 H18" stroke="#718096" stroke-width="2" stroke-dasharray="6,4"/>',
            "waits for its volume's node",
        ),
        (
            f'<path d="M0,-4 H18" stroke="{AWAY}" stroke-width="2" stroke-dasharray="6,4"/>',
            "runs away from its volume",
        ),
    ]
    out: list[str] = []
    x = float(MARGIN)
    for icon, label in items:
        out.append(f'<g transform="translate({x},{y})">{icon}<text x="24" y="0" font-size="12">{label}</text></g>')
        x += 30 + len(label) * 7.2 + 18
    return out
