"""Per-process settings: command-line flags, environment variables (SANDBOX_*), then the platform's defaults.
Some can be changed at run time through `PUT /_sandbox/config` (tests shorten token lifetimes that way);
`POST /_sandbox/reset` puts them back."""

import argparse
import os
from dataclasses import dataclass, fields


@dataclass
class Settings:
    port: int
    db: str
    host: str = "127.0.0.1"
    access_token_ttl: float = 4 * 3600
    refresh_token_ttl: float = 30 * 86400
    code_ttl: float = 600
    rate_limit: float = 10.0
    push_timeout: float = 3.0
    push_retry_base: float = 5.0
    push_max_attempts: int = 5
    duplicate_push_rate: float = 0.0
    seed: int = 2019


RUNTIME = ("access_token_ttl", "refresh_token_ttl", "code_ttl", "rate_limit", "push_timeout", "push_retry_base",
           "push_max_attempts", "duplicate_push_rate")


def parse_settings(defaults: Settings, argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(description="Run a partner-platform sandbox.")
    for field in fields(Settings):
        env = os.environ.get(f"SANDBOX_{field.name.upper()}")
        default = field.type(env) if env is not None else getattr(defaults, field.name)
        parser.add_argument(f"--{field.name.replace('_', '-')}", type=field.type, default=default)
    args = parser.parse_args(argv)
    return Settings(**{field.name: getattr(args, field.name) for field in fields(Settings)})
