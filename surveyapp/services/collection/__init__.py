"""Collecting answers: collection links, anonymous responses, answer codes, QR codes and posters."""
