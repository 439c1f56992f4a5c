"""Static assets of the explorer page served at ``/``."""
