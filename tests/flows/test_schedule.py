"""The scheduled deployment: weekly cron by default, configurable, one run at a time."""

from flows.refresh import deployment
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
