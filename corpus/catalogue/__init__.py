"""The bundled first-set catalogue (entries.csv); loaded by checker.catalogue."""
