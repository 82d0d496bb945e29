"""One module per HTTP route; routes.py is the table."""
