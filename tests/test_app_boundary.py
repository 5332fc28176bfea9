"""Dependencies between the apps run one way: claims builds on courtinfo, never the reverse."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            modules.append(str(node.args[0].value))
    return modules


def test_courtinfo_imports_nothing_from_claims():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / "courtinfo").rglob("*.py"))
        for module in _imported_modules(path)
        if module == "claims" or module.startswith("claims.")
    ]
    assert offenders == []


def test_the_check_sees_every_form_of_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import claims.models\nfrom claims import workflow\n"
        "import importlib\nimportlib.import_module('claims.admin')\n"
    )
    assert _imported_modules(sample) == ["claims.models", "claims", "importlib", "claims.admin"]
