"""Reads this stack's raw config from the Pulumi runtime into LabSettings.

The only place that touches Pulumi's config store; validation itself is the
pure `settings_from_config`.
"""

from __future__ import annotations

import pulumi
from pulumi.runtime import config as runtime_config

from components.settings import LabSettings, SettingsError, settings_from_config


def raw_stack_config() -> dict[str, object]:
    """Every config key of the stack (all namespaces), as Pulumi passed it."""
    return {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}


def load_settings() -> LabSettings:
    """Validated settings, or a clean error (no stack trace) before any resource exists."""
    try:
        return settings_from_config(raw_stack_config())
    except SettingsError as err:
        raise pulumi.RunError(str(err)) from err
