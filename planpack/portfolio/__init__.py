"""Roll-ups: one packet per manager (or owner) over their plans (writer.py writes them)."""
