import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "backend"))
from plugin import greet  # noqa: E402


class GreetTest(unittest.TestCase):
    def test_greets(self):
        self.assertEqual(greet("'Ada'"), "hello, Ada")


if __name__ == "__main__":
    unittest.main()
