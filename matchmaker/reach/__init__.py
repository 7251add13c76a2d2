"""The reach and outcomes report: who the sessions reach, and what they lead to."""
