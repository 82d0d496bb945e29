"""After the meeting: its transcript, the assistant's notes, recordings and AI usage and cost,
read by whoever may see the meeting; the notes e-mailed to the organiser once."""
