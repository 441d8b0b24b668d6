import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "backend"))
from plugin import greet, handle  # noqa: E402


class GreetTest(unittest.TestCase):
    def test_greets_by_name(self):
        self.assertEqual(greet("Ada"), "hello, Ada")

    def test_blank_name_greets_the_world(self):
        self.assertEqual(greet("  "), "hello, world")

    def test_handle_answers_200(self):
        self.assertEqual(handle({"name": "x"})["status"], 200)


if __name__ == "__main__":
    unittest.main()
