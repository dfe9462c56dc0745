"""`make mutation`'s summary, read from `mutmut results --all true`."""

from __future__ import annotations

from tests.mutation_summary import parse_results, report, shares

LISTING = """\
    probes.checks.dns.x_check_dns__mutmut_1: killed
    probes.checks.dns.x_check_dns__mutmut_2: survived
    probes.checks.dns.xǁ_LookupsǁTEXT__mutmut_3: timeout
    probes.checks.dns.xǁ_Lookupsǁ__init____mutmut_4: caught by type check
    probes.revisions.x_fate__mutmut_1: no tests
    probes.revisions.x_fate__mutmut_2: killed
    probes.revisions.x_fate__mutmut_3: not checked
some line mutmut prints that names no mutant
"""


def test_functions_and_methods_are_filed_under_their_module() -> None:
    results = parse_results(LISTING.splitlines())
    assert {r.module for r in results} == {"probes.checks.dns", "probes.revisions"}
    assert len(results) == 7


def test_timeouts_and_type_check_refusals_count_as_killed_and_untested_mutants_do_not() -> None:
    by_module = shares(parse_results(LISTING.splitlines()))
    assert (by_module["probes.checks.dns"].killed, by_module["probes.checks.dns"].total) == (3, 4)
    assert (by_module["probes.revisions"].killed, by_module["probes.revisions"].total) == (1, 2)
    assert (by_module["all"].killed, by_module["all"].total) == (4, 6)


def test_mutants_not_run_yet_are_counted_apart_from_the_share() -> None:
    text = report(parse_results(LISTING.splitlines()))
    assert "probes.revisions" in text
    (revisions_line,) = [line for line in text.splitlines() if line.startswith("probes.revisions ")]
    assert revisions_line.split()[1:] == ["1", "/", "2", "50.0%", "1"]
    assert "not checked" not in text


def test_the_report_lists_every_mutant_left_alive_by_what_became_of_it() -> None:
    text = report(parse_results(LISTING.splitlines()))
    assert "survived (1):\n  probes.checks.dns.x_check_dns__mutmut_2" in text
    assert "no tests (1):\n  probes.revisions.x_fate__mutmut_1" in text
    assert "mutmut_1: killed" not in text
