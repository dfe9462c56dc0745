"""`make tour`: every step of the tutorial (labstack.experiments) on the
cluster, on stacks of its own, then one page of all of them. The modules:

- `plan`:     which steps run, in what order, what side by side, from where (`FROM=`)
- `runner`:   runs the plan through the Automation API, cleans up after itself
- `progress`: the one line per step, with the time left
- `kubectl`:  what a step does as the kubectl a learner would type
- `page`:     `out/tour.html`, made of the report page's parts
- `junit`:    `out/tour-checks.xml`, one test suite per step
"""
