"""The scheduled deployment: weekly cron by default, configurable, one run at a time."""

from wfh.flows.refresh import deployment
from wfh.settings import setting


def test_default_schedule_is_the_wfh_toml_cron_with_one_run_at_a_time():
    dep = deployment()
    (schedule,) = dep.schedules
    assert schedule.schedule.cron == setting("schedule", "cron") == "0 3 * * 1"
    assert dep.concurrency_limit == 1
    assert dep.name == "wfh-refresh"


def test_cron_can_be_overridden():
    (schedule,) = deployment("15 2 * * *").schedules
    assert schedule.schedule.cron == "15 2 * * *"


def test_the_deployment_entrypoint_loads_the_refresh_flow():
    """`wfh serve` runs the flow from the deployment's entrypoint: it must resolve to this refresh flow."""
    from prefect.flows import load_flow_from_entrypoint

    from wfh.flows.refresh import refresh

    dep = deployment()
    assert dep.entrypoint.endswith("refresh.py:refresh")
    assert load_flow_from_entrypoint(dep.entrypoint).name == refresh.name
