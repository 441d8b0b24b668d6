"""Health probe: exits 0 when the plugin can serve a request."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plugin import handle  # noqa: E402

result = handle({"name": "probe"})
ok = result["status"] == 200 and result["body"] == "hello, probe"
print("ok" if ok else f"unexpected answer: {result}")
sys.exit(0 if ok else 1)
