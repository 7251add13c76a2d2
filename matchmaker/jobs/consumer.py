"""What a Huey consumer loads: the queue, every module that defines tasks, and the app factory.

`huey_consumer matchmaker.jobs.consumer.huey`
"""

from matchmaker.answers import tasks as answer_tasks  # noqa: F401  (registers the decline digest)
from matchmaker.factory import create_app
from matchmaker.invites import tasks as invite_tasks  # noqa: F401  (registers the reminder task)
from matchmaker.jobs.queue import huey, use_app_factory
from matchmaker.mail import tasks as mail_tasks  # noqa: F401  (registers the mail tasks)
from matchmaker.matching import tasks as matching_tasks  # noqa: F401  (registers the matching tasks)
from matchmaker.rounds import tasks as round_tasks  # noqa: F401  (registers closing registration on time)

use_app_factory(create_app)

__all__ = ["huey"]
