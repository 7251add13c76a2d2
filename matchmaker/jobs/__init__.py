"""The job queue: the Huey instance and the app-context wrapper (queue.py), and the consumer's entry (consumer.py).

Features define their tasks in their own `tasks.py` against `matchmaker.jobs.queue`; only the
consumer entry, at the top of the layers, knows every feature and the app factory.
"""
