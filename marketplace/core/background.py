"""What each domain's ``init_app`` declares for the background: the module holding its Celery tasks and its
periodic (beat) entries, and its step of the demo data. ``core.celery`` builds the one Celery app from these
declarations once every domain has made them, so no task module is imported for its side effects elsewhere."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask


@dataclass
class Background:
    task_modules: list[str] = field(default_factory=list)
    schedule: dict[str, dict] = field(default_factory=dict)
    demo_steps: list[Callable] = field(default_factory=list)


def background(app: Flask) -> Background:
    return app.extensions.setdefault("background", Background())


def register_tasks(app: Flask, module: str, schedule: dict[str, dict] | None = None) -> None:
    """``module`` holds the domain's tasks; ``schedule`` maps beat entry names to Celery beat entries."""
    declared = background(app)
    if module not in declared.task_modules:
        declared.task_modules.append(module)
    declared.schedule.update(schedule or {})


def register_demo_step(app: Flask, step: Callable) -> None:
    """``step(koperasi, products, rng)`` runs for each demo koperasi after its products exist."""
    steps = background(app).demo_steps
    if step not in steps:
        steps.append(step)
