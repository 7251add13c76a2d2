"""The public, read-only Open Referral UK feed (HSDS 3.0, UK profile) of the organisations that opted in."""
