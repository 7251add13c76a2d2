"""The directory of creative organisations, for approved commissioners, link workers and organisers."""
