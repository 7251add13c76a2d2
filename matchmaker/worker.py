"""What a Huey consumer loads: the queue and every module that defines tasks.

`huey_consumer matchmaker.worker.huey`
"""

from matchmaker.accounts import tasks as account_tasks  # noqa: F401  (registers the password-reset task)
from matchmaker.invites import tasks as invite_tasks  # noqa: F401  (registers the reminder task)
from matchmaker.jobs import huey
from matchmaker.mail import tasks as mail_tasks  # noqa: F401  (registers the mail tasks)
from matchmaker.matching import tasks as matching_tasks  # noqa: F401  (registers the matching tasks)

__all__ = ["huey"]
