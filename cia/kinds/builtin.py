"""The kinds the service ships with: importing this module registers every one of them."""

from cia.kinds import choice, dates, grid, lists, numbers, text  # noqa: F401  (each registers its kinds on import)
