# Where the toolchain lives. Sourced by build.sh, the Makefile and the lab
# cluster scripts so that every one of them agrees on the same directories.
# Everything is under the user's cache directory, never inside the checkout,
# so clones and CI runs on the same machine share one warm build.

LAB_CACHE="${STATEFULSET_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/statefulset-lab}"
TOOLCHAIN_DIR="$LAB_CACHE/toolchain"
TOOLCHAIN_BIN="$TOOLCHAIN_DIR/bin"
TOOLCHAIN_LOGS="$LAB_CACHE/logs/toolchain"
# The CNI plugins: a directory of their own (their names, such as `bridge`,
# would shadow system commands on PATH), linked to the pinned version's.
TOOLCHAIN_CNI_BIN="$TOOLCHAIN_DIR/cni-bin"
