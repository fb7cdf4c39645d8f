"""`planpack build`: every plan's packets, incremental and parallel, and the roll-ups."""
