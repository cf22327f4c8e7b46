"""Linli's own import-linter contract: the boundaries between its apps (`lint-imports`).

Every direct subpackage or module of `root` is one of:
- foundation (core, orgs, accounts, notifications): imports only other foundation packages
  (their order among themselves is the built-in layers contract's job);
- shell (urls, api, settings, cli, ...): may import everything, and only the shell imports it
  (`shared` modules, like the Celery app, may be imported from anywhere);
- a domain app: everything else, so a new app is covered the day it is created. A domain
  app imports the foundation, and another domain app only through its `public` modules
  (services, selectors, models, and their sub-packages).

Code in a `tests` package (and conftest modules) is exempt: tests use other apps' factories.
Not imported by the product; named in pyproject.toml's `[tool.importlinter]`.
"""

import os

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _top(module: str, root: str) -> str:
    """`linli.cases.services.care` -> `linli.cases`; the root itself stays the root."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == root and len(parts) > 1 else module


def _exempt(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] == "conftest"


class AppBoundaryContract(Contract):
    type_name = "app_boundaries"

    root = fields.StringField()
    foundation = fields.SetField(subfield=fields.StringField())
    shell = fields.SetField(subfield=fields.StringField())
    shared = fields.SetField(subfield=fields.StringField(), required=False, default=set())
    public = fields.SetField(subfield=fields.StringField())

    def _problem(self, importer: str, imported: str) -> str | None:
        """Why `importer` may not import `imported`, or None when it may."""
        root = str(self.root)
        source, target = _top(importer, root), _top(imported, root)
        if source == target or target == root or source in self.shell:
            return None
        if target in self.shell:
            return None if target in self.shared else f"only the shell imports {target}"
        if source in self.foundation:
            return None if target in self.foundation else \
                f"{source} is a foundation package: it imports no domain app"
        if target in self.foundation:
            return None
        inside = imported.split(".")[2:3]
        if inside and inside[0] in self.public:
            return None
        return (f"{source} may use {target} only through its "
                f"{', '.join(sorted(self.public))} modules")

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        root = str(self.root)
        violations = []
        for importer in sorted(graph.find_children(root) | graph.find_descendants(root)):
            if _exempt(importer):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if imported.split(".")[0] != root:
                    continue
                problem = self._problem(importer, imported)
                if problem is None:
                    continue
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    violations.append({"importer": importer, "imported": imported,
                                       "line_number": detail["line_number"],
                                       "line": detail["line_contents"], "problem": problem})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for v in check.metadata["violations"]:
            path = v["importer"].replace(".", "/")
            path += "/__init__.py" if os.path.isdir(path) else ".py"
            output.print_error(f"{path}:{v['line_number']}: {v['line']}", bold=False)
            output.indent_cursor()
            output.print(f"{v['importer']} -> {v['imported']}: {v['problem']}")
            output.new_line()
