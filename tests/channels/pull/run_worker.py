"""A Celery worker for the pull fault tests, in its own process (so a test can SIGKILL it): the same app settings as
the test's, given as JSON on the command line."""

import json
import sys

from marketplace import create_app


def main() -> None:
    settings = json.loads(sys.argv[1])
    name = settings.pop("WORKER_NAME")
    app = create_app("testing", **settings)
    app.extensions["celery"].worker_main(["worker", "-Q", "channel.pull", "-c", "2", "--pool", "prefork",
                                          "-l", "WARNING", "--without-gossip", "--without-mingle",
                                          "-n", f"{name}@%h"])


if __name__ == "__main__":
    main()
