"""Where the lab cluster keeps things: the same rules as toolchain/paths.sh."""

from __future__ import annotations

from pathlib import Path

from labcluster.paths import DEFAULT_STATE_DIR, LabPaths, lab_cache_dir, toolchain_bin_dir


def test_explicit_cache_variable_wins() -> None:
    env = {"STATEFULSET_LAB_CACHE": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}
    assert lab_cache_dir(env) == Path("/c")


def test_xdg_cache_home_is_used_when_no_explicit_cache() -> None:
    assert lab_cache_dir({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/statefulset-lab")


def test_empty_variables_count_as_unset_like_the_shell_default_operator() -> None:
    env = {"STATEFULSET_LAB_CACHE": "", "XDG_CACHE_HOME": "", "HOME": "/h"}
    assert lab_cache_dir(env) == Path("/h/.cache/statefulset-lab")


def test_toolchain_bin_matches_build_sh() -> None:
    assert toolchain_bin_dir({"HOME": "/root"}) == Path("/root/.cache/statefulset-lab/toolchain/bin")


def test_state_defaults_to_var_lib_and_follows_the_variable() -> None:
    assert LabPaths.from_env({"HOME": "/h"}).state == DEFAULT_STATE_DIR
    paths = LabPaths.from_env({"HOME": "/h", "STATEFULSET_LAB_STATE": "/tmp/lab"})
    assert paths.admin_kubeconfig == Path("/tmp/lab/admin.kubeconfig")
    assert paths.log_file("kubelet") == Path("/tmp/lab/logs/kubelet.log")
    assert paths.pod_logs.parent == paths.logs


def test_containerd_socket_path_fits_a_unix_socket_address() -> None:
    assert len(str(LabPaths.from_env({"HOME": "/h"}).containerd_socket)) < 100
