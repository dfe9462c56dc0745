import sys
from pathlib import Path

# The program's packages (components, probes, labstack, labcluster) live at the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
