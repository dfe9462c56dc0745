"""python -m report [--input FILE] [--svg FILE] [--window MINUTES]

Prints the text report of a probe document (e.g. the probe command's stdout
from `pulumi stack export`, docs/probes.md) and, with --svg, writes its
timeline picture. `make report` does more (observes again, writes the page
and the JUnit file): labstack.report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from probes.document import DocumentError, read_document
from report import render_svg, render_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m report", description="print the report of a probe document")
    parser.add_argument("--input", default="-", help="file with the probe JSON document, - for stdin")
    parser.add_argument("--svg", default="", help="also write the pod timeline to this SVG file")
    parser.add_argument(
        "--window", type=float, default=0, help="minutes of history to draw (default: the current pods' lives)"
    )
    args = parser.parse_args(argv)
    text = Path(args.input).read_text() if args.input != "-" else sys.stdin.read()
    try:
        doc = read_document(text)
    except DocumentError as err:
        print(f"report: {err}", file=sys.stderr)
        return 1
    if doc is None:
        print("report: the stack has no probe results (probes disabled or not run yet)", file=sys.stderr)
        return 1
    sys.stdout.write(render_text(doc))
    if args.svg:
        Path(args.svg).write_text(render_svg(doc, args.window * 60 if args.window else None))
        print(f"\nTimeline: {args.svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
