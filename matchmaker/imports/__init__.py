"""Bulk import of creative organisations from an organiser's spreadsheet (CSV): preview, then confirm."""
