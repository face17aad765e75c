"""Versions: restatements, amendments and readings; the deal in force on a date; `show`."""
