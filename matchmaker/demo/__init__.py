"""Demo data for `make run`: people and profiles, a round with registrations, bookings; `flask demo load`."""
