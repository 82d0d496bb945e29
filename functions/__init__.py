"""Lambda entry points: thin doorways into the doctorlive core."""
