"""Question kinds: see cia/kinds/base.py. `builtin` registers the kinds the service ships."""
