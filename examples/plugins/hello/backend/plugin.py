"""The hello plugin: a greeting service."""


def greet(name: str) -> str:
    name = name.strip() or "world"
    return f"hello, {name}"


def handle(request: dict) -> dict:
    return {"status": 200, "body": greet(str(request.get("name", "")))}
