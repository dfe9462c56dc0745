"""Renderings of a probe document.

- `text`:     the side-by-side StatefulSet/Deployment table, the pods and the checks
- `summary`:  the rows the text report and the page share (side by side, pods, nodes)
- `timeline`: the pods' lives as an SVG picture
- `topology`: the nodes, their pods and the volume each pod mounts, as an SVG picture
- `page`:     all of it as one self-contained HTML page (`page_checks`, `page_style`, `hints`)
- `junit`:    the checks as JUnit XML for CI
- `marks`:    how each verdict is marked
"""
