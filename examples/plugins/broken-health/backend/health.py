"""Health probe, broken on purpose: the plugin cannot reach its (pretend) database."""
import sys

print("database unreachable: connection refused")
sys.exit(1)
