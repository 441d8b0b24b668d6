// The Python side of ./python.ts, run as `python3 -I -c`: reads [{file, text, changed}] as JSON
// on stdin and writes, per file and in order, {functions} or {error} as JSON on stdout. Each
// function and method (Class.method, outer.inner) gets 1 + its own decision points: if, elif,
// conditional expressions, loops, except clauses, match cases, each comprehension `if`, each
// extra operand of `and`/`or`. Nested functions count for themselves only.
export const pythonSource = String.raw`
import ast, bisect, json, sys

LIMIT = int(sys.argv[1])
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
BRANCHES = tuple(getattr(ast, n) for n in ("If", "IfExp", "For", "AsyncFor", "While", "ExceptHandler", "match_case") if hasattr(ast, n))

def functions(tree):
    found = []
    stack = [(tree, (), None)]
    while stack:
        node, scope, owner = stack.pop()
        if isinstance(node, FUNCTIONS):
            inner = scope + (node.name,)
            fn = {"name": ".".join(inner)[:300], "line": node.lineno, "endLine": getattr(node, "end_lineno", None) or node.lineno, "complexity": 1}
            found.append(fn)
            around = list(node.decorator_list) + [node.args] + ([node.returns] if node.returns else [])
            stack.extend((c, scope, owner) for c in around)
            stack.extend((c, inner, fn) for c in node.body)
            continue
        if isinstance(node, ast.ClassDef):
            stack.extend((c, scope, owner) for c in list(node.decorator_list) + node.bases + node.keywords)
            stack.extend((c, scope + (node.name,), owner) for c in node.body)
            continue
        if owner is not None:
            if isinstance(node, BRANCHES):
                owner["complexity"] += 1
            elif isinstance(node, ast.BoolOp):
                owner["complexity"] += len(node.values) - 1
            elif isinstance(node, ast.comprehension):
                owner["complexity"] += len(node.ifs)
        stack.extend((c, scope, owner) for c in ast.iter_child_nodes(node))
    return found

def touched(found, changed):
    if changed is None:
        return found
    ends = [r[1] for r in changed]
    kept = []
    for fn in found:
        i = bisect.bisect_left(ends, fn["line"])
        if i < len(changed) and changed[i][0] <= fn["endLine"]:
            kept.append(fn)
    return kept

def measure(source):
    try:
        tree = ast.parse(source["text"], filename=source["file"])
        kept = touched(functions(tree), source.get("changed"))
    except SyntaxError as e:
        return {"error": "syntax error at line %s: %s" % (e.lineno or 1, e.msg)}
    except (RecursionError, MemoryError):
        return {"error": "too deeply nested to parse"}
    except (ValueError, TypeError) as e:
        return {"error": "could not parse: %s" % e}
    kept.sort(key=lambda fn: (-fn["complexity"], fn["line"]))
    return {"functions": kept[:LIMIT]}

sys.stdout.write(json.dumps([measure(s) for s in json.loads(sys.stdin.buffer.read())]))
`;
