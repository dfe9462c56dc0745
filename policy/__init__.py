"""The lab's policy pack: Pulumi runs `policy/__main__.py` in its own virtualenv;
the tests import the rules from `policy.advice`."""
