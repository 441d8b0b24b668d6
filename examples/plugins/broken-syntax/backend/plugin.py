"""Broken on purpose: a syntax error on line 6."""


def greet(name: str) -> str:
    name = name.strip() or "world"
    return f"hello, {name}"(


def handle(request: dict) -> dict:
    return {"status": 200, "body": greet(str(request.get("name", "")))}
