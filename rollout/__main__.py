"""python -m rollout '<JSON of rollout.wait.RolloutSpec>': exit 0 once the rollout is over."""

from __future__ import annotations

import sys

from rollout.wait import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
