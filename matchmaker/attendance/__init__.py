"""Attendance: after a session, who came and who did not; no-shows counted per person."""
