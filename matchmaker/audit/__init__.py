"""The audit log of organiser actions, sign-ins and password changes (below the features: any may record)."""
