import pytest

from kommune360.core.registry import (
    DemoStep,
    Figure,
    NavigationEntry,
    PersonalData,
    Registry,
    registry,
)


def test_entries_are_kept_per_kind_and_added_once():
    r = Registry()
    entry = PersonalData("beispiel", "Beispiel", lambda user: {}, lambda user: None)

    r.add(entry)
    r.add(entry)
    r.add(Figure("beispiel.zahl", "Beispielzahl", lambda: 1))

    assert r.personal_data() == [entry]
    assert [f.key for f in r.figures()] == ["beispiel.zahl"]
    assert r.commentables() == []


def test_navigation_and_demo_steps_come_in_their_order():
    r = Registry()
    order = []
    r.add(DemoStep("c", lambda: order.append("c"), order=30))
    r.add(DemoStep("a", lambda: order.append("a"), order=10))
    r.add(DemoStep("b", lambda: order.append("b"), order=20))
    r.add(NavigationEntry("Zweites", "zwei", order=20))
    r.add(NavigationEntry("Erstes", "eins", order=10))

    for step in r.demo_steps():
        step.load()

    assert order == ["a", "b", "c"]
    assert [e.label for e in r.navigation()] == ["Erstes", "Zweites"]


def test_the_apps_declare_their_parts():
    labels = [entry.app_label for entry in registry.personal_data()]
    assert "accounts" in labels
    steps = [step.app_label for step in registry.demo_steps()]
    # core first (taxonomy, places), then the accounts, then everything built on them.
    assert steps[:2] == ["core", "accounts"]
    orders = [step.order for step in registry.demo_steps()]
    assert orders == sorted(orders)


@pytest.mark.django_db
def test_load_demo_runs_every_step_in_order(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr(registry, "_entries", {})
    order = []
    registry.add(DemoStep("zwei", lambda: order.append("zwei"), order=20))
    registry.add(DemoStep("eins", lambda: order.append("eins"), order=10))

    call_command("load_demo")

    assert order == ["eins", "zwei"]


@pytest.mark.django_db
def test_load_demo_only_runs_the_named_apps(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr(registry, "_entries", {})
    order = []
    registry.add(DemoStep("zwei", lambda: order.append("zwei"), order=20))
    registry.add(DemoStep("eins", lambda: order.append("eins"), order=10))

    call_command("load_demo", "--only", "zwei")

    assert order == ["zwei"]


@pytest.mark.django_db
def test_every_registered_figure_counts_by_year_and_ignores_what_it_does_not_know():
    for figure in registry.figures():
        for value in (
            figure.compute(),
            figure.compute(year=2025),
            figure.compute(year=2025, unknown=True),
        ):
            assert isinstance(value, int | float), figure.key
        assert 0 <= figure.stage <= 7, figure.key
