"""Renderings of a probe document.

- `text`:     the side-by-side StatefulSet/Deployment table, the pods and the checks
- `timeline`: the pods' lives as an SVG picture
"""
