"""An organisation's own page: venue, accessibility, open sessions, the Open Referral opt-in; details kept fresh."""
