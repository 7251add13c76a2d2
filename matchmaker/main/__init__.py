"""Pages for everyone: home, accessibility statement, language switch, errors."""
