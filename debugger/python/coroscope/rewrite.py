"""Recompile a source file with breakpoint hooks (the 3.8–3.11 backend's way to avoid ``sys.settrace``).

Before 3.12, any trace function makes CPython run every instruction of its thread through the slow
tracing path. Instead, the functions that hold breakpoints are recompiled from their source with a call
to the runtime placed at each breakpoint line, so code without a breakpoint runs at full speed and a
breakpoint line costs one call when (and only when) it runs:

- a line breakpoint on line L gets the statement ``__coroscope_line__()`` inserted before the statement
  starting on L, with line number L, so ``f_lineno``, tracebacks and the stack stay what they were;
  a ``for`` / ``async for`` header also gets one at the start of each iteration (a trace function sees
  the header line once per iteration too);
- a suspend/resume breakpoint on line L wraps each ``await X`` on L as
  ``await __coroscope_await__(X, L)``: an awaitable that drives X's iterator itself and tells the runtime
  when the task suspends there and when it resumes (``hooks.AwaitHook``).

Only what can be placed exactly is rewritten. A line that is not the first line of a statement, that
more than one code object runs (a lambda, a comprehension, a decorator), a ``while`` header (evaluated
again on every iteration), an ``async for`` / ``async with`` header or an await spread over several lines
makes the whole file fall back to tracing: ``RewriteError`` says why.
"""
import ast
import dis
import types

from .hooks import AWAIT_HOOK, LINE_HOOK



class RewriteError(Exception):
    """The file cannot be recompiled with hooks; the message says why (logged, then traced instead)."""


class Rewritten:
    """The result of recompiling one file.

    ``original`` is the module code compiled from the unmodified source and ``hooked`` the one with hooks;
    ``pairs`` maps each code object of ``original`` that changed to its counterpart in ``hooked`` (the
    functions holding hooks and their enclosing functions, whose constants now hold the hooked code).
    """

    def __init__(self, original, hooked, pairs):
        self.original = original
        self.hooked = hooked
        self.pairs = pairs


def _codes(code):
    """``code`` and its nested code objects, depth first, in constant order (the same order on both trees)."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def own_lines(code):
    """The lines where ``code`` itself (not its nested code objects) starts a line."""
    return {line for _offset, line in dis.findlinestarts(code) if line is not None}


def _hook_statement(name, node):
    call = ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=[], keywords=[])
    statement = ast.Expr(value=call)
    for item in (statement, call, call.func):
        item.lineno = node.lineno
        item.col_offset = node.col_offset
        item.end_lineno = node.lineno
        item.end_col_offset = node.col_offset
    return statement


class _Hooker(ast.NodeTransformer):
    """Inserts the hooks; records which requested lines got one and which cannot be hooked exactly."""

    def __init__(self, lines, await_lines):
        self.lines = lines
        self.await_lines = await_lines
        self.placed = set()
        self.awaits_placed = set()
        self.problems = []

    def _statements(self, statements):
        out = []
        for statement in statements:
            line = statement.lineno
            if line in self.lines and line not in self.placed:
                if isinstance(statement, ast.While):
                    self.problems.append("line %d is a while header" % line)
                elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                        and statement.decorator_list:
                    self.problems.append("line %d is a decorated definition" % line)
                else:
                    self.placed.add(line)
                    out.append(_hook_statement(LINE_HOOK, statement))
                    if isinstance(statement, (ast.For, ast.AsyncFor)):
                        statement.body.insert(0, _hook_statement(LINE_HOOK, statement))
            if isinstance(statement, (ast.AsyncFor, ast.AsyncWith)) and line in self.await_lines:
                self.problems.append("line %d suspends in an async for / async with header" % line)
            out.append(self.visit(statement))
        return out

    def generic_visit(self, node):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, self._statements(value))
            elif isinstance(value, list):
                setattr(node, field, [self.visit(item) if isinstance(item, ast.AST) else item for item in value])
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node

    def visit_Await(self, node):
        node = self.generic_visit(node)
        first, last = node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno
        touched = [line for line in self.await_lines if first <= line <= last]
        if not touched:
            return node
        if first != last:
            self.problems.append("the await on line %d spans several lines" % first)
            return node
        self.awaits_placed.add(first)
        hook = ast.Call(func=ast.Name(id=AWAIT_HOOK, ctx=ast.Load()),
                        args=[node.value, ast.Constant(value=first)], keywords=[])
        for item in (hook, hook.func, hook.args[1]):
            ast.copy_location(item, node)
        node.value = hook
        return node


def rewrite(path, source, lines, await_lines):
    """Compile ``source`` (the text of ``path``) with hooks at ``lines`` (line breakpoints) and
    ``await_lines`` (suspend/resume breakpoints). Returns a Rewritten; raises RewriteError."""
    try:
        original = compile(source, path, "exec", dont_inherit=True)
        tree = ast.parse(source, path)
    except (SyntaxError, ValueError) as error:
        raise RewriteError("does not compile: %s" % error)
    owners = {}
    for code in _codes(original):
        for line in own_lines(code):
            owners.setdefault(line, []).append(code)
    for line in sorted(set(lines) | set(await_lines)):
        count = len(owners.get(line, ()))
        if count > 1:
            raise RewriteError("line %d runs in %d code objects" % (line, count))
    hooker = _Hooker(set(lines), set(await_lines))
    tree = hooker.visit(tree)
    if hooker.problems:
        raise RewriteError(hooker.problems[0])
    missing = (set(lines) - hooker.placed) | (set(await_lines) - hooker.awaits_placed)
    if missing:
        raise RewriteError("no statement or await starts on line %d" % min(missing))
    ast.fix_missing_locations(tree)
    try:
        hooked = compile(tree, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, TypeError) as error:
        raise RewriteError("the hooked source does not compile: %s" % error)
    before, after = list(_codes(original)), list(_codes(hooked))
    if len(before) != len(after) or any(a.co_name != b.co_name or a.co_firstlineno != b.co_firstlineno
                                        for a, b in zip(before, after)):
        raise RewriteError("the hooked code objects do not line up with the original ones")
    pairs = [(a, b) for a, b in zip(before[1:], after[1:]) if a != b]
    return Rewritten(original, hooked, pairs)
