"""Which service functions write, found in the source, and a guard that refuses a write
called from app/ui outside the gateway (app/ui/operations.py).

A function of app/services writes when it opens ``db.transaction()`` /
``db.durable_transaction()``, or calls a function of app/services that writes (found to a
fixed point, across modules: the demo company's builder writes through the others).

The same holds for the methods of a class of app/services (``MasterData`` in
app/services/crud.py: ``self.editing(...)`` opens the transaction of ``delete``) and for
what a module makes of them: ``CRUD.delete(...)`` called on a module-level instance
(``CRUD = MasterData(...)``), or a module attribute bound to one (``delete = CRUD.delete``),
writes when the method does.
"""

from __future__ import annotations

import ast
import functools
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "app" / "services"
UI = ROOT / "app" / "ui"
# The gateway, and what only the gateway runs: the service calls of each resource and the
# undo steps (their perform_undo / perform_redo run inside Operations.take_step).
GATEWAY_MODULES = frozenset({"app/ui/operations.py", "app/ui/resources.py", "app/ui/undo.py",
                             "app/ui/posting/steps.py"})
TRANSACTIONS = frozenset({"transaction", "durable_transaction"})


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _aliases(tree: ast.Module, package: str = "app.services") -> tuple[dict[str, str],
                                                                         dict[str, str]]:
    """Names bound to service modules (alias -> module) and to service functions imported
    by name (alias -> "module.function"), anywhere in the file (also inside functions)."""
    modules: dict[str, str] = {}
    functions: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module == package:
                    modules[bound] = f"{package}.{alias.name}"
                elif node.module.startswith(package + "."):
                    functions[bound] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(package + ".") and alias.asname:
                    modules[alias.asname] = alias.name
    return modules, functions


def _instance_of(value: ast.expr | None, module: str, functions: dict[str, str],
                 classes: frozenset[str]) -> str | None:
    """The service class ``value`` instantiates (``MasterData(...)``), if it does."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        name = functions.get(value.func.id, f"{module}.{value.func.id}")
        if name in classes:
            return name
    return None


def _target(target: ast.expr, module: str, modules: dict[str, str],
            functions: dict[str, str], owner: str | None = None) -> str | None:
    """The qualified service function or method that ``target`` (a called or bound
    expression) names: ``payments.update``, ``save`` (imported by name), ``helper`` (same
    module), ``CRUD.delete`` / ``accounts.CRUD.delete`` (a method of a module's service
    instance), ``self.editing`` (inside a method of ``owner``)."""
    instances = _scan().instances
    if isinstance(target, ast.Name):
        return functions.get(target.id, f"{module}.{target.id}")
    if not isinstance(target, ast.Attribute):
        return None
    holder = target.value
    if isinstance(holder, ast.Name):
        if holder.id in modules:
            return f"{modules[holder.id]}.{target.attr}"
        if holder.id == "self" and owner is not None:
            return f"{owner}.{target.attr}"
        instance = functions.get(holder.id, f"{module}.{holder.id}")
        if instance in instances:
            return f"{instances[instance]}.{target.attr}"
    elif isinstance(holder, ast.Attribute) and isinstance(holder.value, ast.Name) \
            and holder.value.id in modules:
        instance = f"{modules[holder.value.id]}.{holder.attr}"
        if instance in instances:
            return f"{instances[instance]}.{target.attr}"
    return None


def _called(node: ast.AST, module: str, modules: dict[str, str],
            functions: dict[str, str], owner: str | None = None) -> Iterator[str]:
    """Qualified names of the service functions (and methods) called inside ``node``."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            name = _target(call.func, module, modules, functions, owner)
            if name is not None:
                yield name


class _Scan:
    """The parsed service modules, the classes they define ("app.services.m.C") and their
    module-level instances of them ("app.services.m.NAME" -> "app.services.crud.MasterData").
    """

    def __init__(self) -> None:
        self.trees: dict[str, ast.Module] = {}
        self.aliases: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        classes: set[str] = set()
        for path in sorted(SERVICES.glob("*.py")):
            module = _module_name(path)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            self.trees[module] = tree
            self.aliases[module] = _aliases(tree)
            classes |= {f"{module}.{node.name}" for node in tree.body
                        if isinstance(node, ast.ClassDef)}
        self.classes = frozenset(classes)
        self.instances: dict[str, str] = {}
        for module, tree in self.trees.items():
            functions = self.aliases[module][1]
            for node in tree.body:
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    cls = _instance_of(node.value, module, functions, self.classes)
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if cls is not None and isinstance(target, ast.Name):
                            self.instances[f"{module}.{target.id}"] = cls


@functools.cache
def _scan() -> _Scan:
    return _Scan()


def _writes_in(node: ast.AST) -> bool:
    return any(isinstance(sub, ast.Attribute) and sub.attr in TRANSACTIONS
               for sub in ast.walk(node))


def write_functions() -> frozenset[str]:
    """Every public function of app/services that writes, as "app.services.m.f", and every
    public method of a service class that writes, as "app.services.m.C.f"."""
    calls: dict[str, set[str]] = {}
    writes: set[str] = set()
    scan = _scan()
    for module, tree in scan.trees.items():
        modules, functions = scan.aliases[module]
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                name = f"{module}.{node.name}"
                calls[name] = set(_called(node, module, modules, functions))
                if _writes_in(node):
                    writes.add(name)
            elif isinstance(node, ast.ClassDef):
                owner = f"{module}.{node.name}"
                for method in node.body:
                    if isinstance(method, ast.FunctionDef):
                        name = f"{owner}.{method.name}"
                        calls[name] = set(_called(method, module, modules, functions, owner))
                        if _writes_in(method):
                            writes.add(name)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name
                                                             | ast.Attribute):
                # ``delete = CRUD.delete``: the module's function is the instance's method
                bound = _target(node.value, module, modules, functions)
                for target in node.targets:
                    if bound is not None and isinstance(target, ast.Name):
                        calls[f"{module}.{target.id}"] = {bound}
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name not in writes and called & writes:
                writes.add(name)
                changed = True
    return frozenset(n for n in writes if not n.rsplit(".", 1)[1].startswith("_"))


def _owner_and_attribute(name: str) -> tuple[Any, str]:
    """The module (or class of a module) that holds ``name``'s function, and its name."""
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            holder: Any = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for part in parts[split:-1]:
            holder = getattr(holder, part)
        return holder, parts[-1]
    raise ModuleNotFoundError(name)


GATEWAY_METHODS = frozenset({"run", "run_long", "attempt", "attempt_long"})


def _handed_to_gateway(tree: ast.Module) -> set[int]:
    """The lambdas and nested functions handed to a gateway method (``ops.run(lambda:
    ...)``, ``gateway.attempt_long(title, text, job)``): their calls run inside it."""
    names: set[str] = set()
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in GATEWAY_METHODS:
            for arg in (*node.args, *(k.value for k in node.keywords)):
                if isinstance(arg, ast.Lambda):
                    inside.add(id(arg))
                elif isinstance(arg, ast.Name):
                    names.add(arg.id)
    for top in tree.body:
        for node in ast.walk(top):
            if node is not top and isinstance(node, ast.FunctionDef) and node.name in names:
                inside.add(id(node))
    return inside


def violations(source: str, filename: str, writes: frozenset[str]) -> list[str]:
    """Calls of a writing service in ``source`` (a file of app/ui) that do not run inside
    the gateway, as "file:line: name"."""
    tree = ast.parse(source)
    modules, functions = _aliases(tree)
    allowed = _handed_to_gateway(tree)
    found: set[str] = set()

    def visit(node: ast.AST, handed: bool) -> None:
        handed = handed or id(node) in allowed
        if isinstance(node, ast.Call) and not handed:
            target = ast.Call(func=node.func, args=[], keywords=[])
            for name in _called(target, "", modules, functions):
                if name in writes:
                    found.add(f"{filename}:{node.lineno}: {name}")
        for child in ast.iter_child_nodes(node):
            visit(child, handed)

    visit(tree, False)
    return sorted(found)


def ui_violations(writes: frozenset[str]) -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in GATEWAY_MODULES:
            continue
        found += violations(path.read_text(encoding="utf-8"), relative, writes)
    return found


# --- the guard at run time -----------------------------------------------------------------
class OutsideGateway(AssertionError):
    pass


def _called_from_ui_outside_gateway() -> str | None:
    """The app/ui file and line that called the service, if that was outside the gateway."""
    from app.ui.operations import in_gateway

    if in_gateway():
        return None
    frame = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(SERVICES):
            frame = frame.f_back  # type: ignore[assignment]
            continue
        if path.is_relative_to(UI):
            return f"{path.relative_to(ROOT).as_posix()}:{frame.f_lineno}"
        return None
    return None


def guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def check(*args: Any, **kwargs: Any) -> Any:
        where = _called_from_ui_outside_gateway()
        if where is not None:
            raise OutsideGateway(f"{where} called {name} outside the gateway "
                                 "(app/ui/operations.py)")
        return function(*args, **kwargs)

    check.__wrapped_service__ = name  # type: ignore[attr-defined]
    return check


def install(monkeypatch: Any, writes: frozenset[str]) -> int:
    """Wrap every writing service (as its module's attribute, or its class's: a method of
    ``MasterData``) in the guard."""
    count = 0
    for name in sorted(writes):
        holder, function_name = _owner_and_attribute(name)
        function = (holder.__dict__.get(function_name) if isinstance(holder, type)
                    else getattr(holder, function_name, None))
        if callable(function):
            monkeypatch.setattr(holder, function_name, guarded(name, function))
            count += 1
    return count
