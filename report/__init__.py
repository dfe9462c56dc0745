"""The report: renderings of a probe document, made on the host (`make
report`, `python -m report`), never by what `pulumi up` runs. What other
packages use is imported from here; the modules behind it:

- `text`:     the side-by-side StatefulSet/Deployment table, the pods and the checks
- `summary`:  the rows the text report and the page share (side by side, pods, nodes)
- `timeline`: the pods' lives as an SVG picture
- `topology`: the nodes, their pods and the volume each pod mounts, as an SVG picture
- `page`:     all of it as one self-contained HTML page (`page_checks`, `page_style`, `hints`)
- `junit`:    the checks as JUnit XML for CI
- `marks`:    how each verdict is marked
"""

from report.junit import render_junit
from report.page import RunRecord, render_page
from report.text import render_text
from report.timeline import render_svg

__all__ = ["RunRecord", "render_junit", "render_page", "render_svg", "render_text"]
