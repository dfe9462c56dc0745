"""The upgrade step finds exactly the old dynamic command resources."""

from __future__ import annotations

from labstack.migrate import OLD_COMMAND_TYPE, old_command_urns


def test_only_the_old_dynamic_commands_are_picked() -> None:
    state = {
        "deployment": {
            "resources": [
                {"urn": "urn:a", "type": OLD_COMMAND_TYPE},
                {"urn": "urn:b", "type": "command:local:Command"},
                {"urn": "urn:c", "type": "pulumi:providers:pulumi-python"},
                {"urn": "urn:d", "type": OLD_COMMAND_TYPE},
            ]
        }
    }
    assert old_command_urns(state) == ["urn:a", "urn:d"]


def test_an_empty_or_new_stack_has_nothing_to_migrate() -> None:
    assert old_command_urns({}) == []
    assert old_command_urns({"deployment": {}}) == []
    assert old_command_urns({"deployment": {"resources": None}}) == []
