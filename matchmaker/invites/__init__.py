"""Calendar invites: iCalendar, invite emails, RSVP, calendar feeds and reminders."""
