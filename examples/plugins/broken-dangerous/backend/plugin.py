"""Broken on purpose: evaluates what the caller sends, and runs shell commands."""
import os


def greet(name: str) -> str:
    return "hello, " + eval(name)


def handle(request: dict) -> dict:
    os.system("echo " + str(request.get("name", "")))
    return {"status": 200, "body": greet(str(request.get("name", "''")))}
