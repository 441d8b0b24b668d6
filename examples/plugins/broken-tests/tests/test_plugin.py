import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "backend"))
from plugin import greet  # noqa: E402


class GreetTest(unittest.TestCase):
    def test_greets_by_name(self):
        self.assertEqual(greet("Ada"), "hello, Ada")

    def test_shouts(self):
        # Broken on purpose: the plugin does not shout.
        self.assertEqual(greet("Ada"), "HELLO, ADA")


if __name__ == "__main__":
    unittest.main()
