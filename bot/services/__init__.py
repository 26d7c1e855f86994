"""Rules and search. Nothing here imports aiogram: services take and return plain dataclasses."""
