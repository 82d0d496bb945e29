"""Lambda code without Docker: two layers and one small asset per function.

- Dependency layer: the runtime group of pyproject.toml ([project].dependencies), pip-installed as
  manylinux wheels for the Lambda's Python. Built once per distinct dependency list into
  .data/cdk-cache/ and linked into each synth's asset, so a synth after the first costs ~1 s.
- Core layer: the `doctorlive` package (layers/core/doctorlive), migrations included.
- Function assets: a function's module and the `functions.*` modules it imports, nothing else,
  so changing one endpoint changes one function.

Every asset ships bytecode for the runtime's Python (compile_bytecode): CDK zips assets with
every file's time set to 1980-01-01, so the timestamp-checked .pyc files pip writes never match
their sources on Lambda, and /opt and /var/task are read-only, so without hash-based bytecode
every module would be compiled again on every cold start. Unchecked-hash .pyc files are loaded
without looking at the source at all; the bundling host's Python must be the runtime's.

Everything here uses CDK's local bundling (ILocalBundling); the Docker image named in the
bundling options is never pulled because local bundling always succeeds or raises.
"""
from __future__ import annotations

import ast
import compileall
import hashlib
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".data" / "cdk-cache"
CORE_PACKAGE = REPO / "layers" / "core" / "doctorlive"

# The local executor runs handlers under the host's Python 3.11 with these same layer wheels.
RUNTIME = lambda_.Runtime.PYTHON_3_11
ARCHITECTURE = lambda_.Architecture.X86_64
PYTHON_VERSION = "3.11"
# The __pycache__ tag of the runtime's bytecode (sys.implementation.cache_tag on Lambda).
BYTECODE_TAG = "cpython-" + PYTHON_VERSION.replace(".", "")
# Lambda's python3.11 runtime is Amazon Linux 2 (glibc 2.26): manylinux2014 (glibc 2.17) wheels
# only. The local stage's "runtime" is this host (Debian 12, glibc 2.36), which also loads
# manylinux_2_28 wheels; StageConfig.layer_platforms says which a stage uses.
CLOUD_PLATFORMS = ("manylinux2014_x86_64",)
HOST_PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64")


def pip_target_args(platforms: tuple[str, ...]) -> list[str]:
    args = [arg for platform in platforms for arg in ("--platform", platform)]
    return [*args, "--only-binary=:all:", "--python-version", PYTHON_VERSION, "--implementation", "cp"]

# Modules that import their siblings at run time (importlib), so their asset holds the whole
# package: the OpenAPI document is built from every route's module.
WHOLE_PACKAGE = {"functions.api.openapi": "functions/api"}

_NEVER_PACKAGED = {"__pycache__"}


def check_bundling_python(version: str | None = None) -> None:
    """Bytecode is only loaded by the Python minor that wrote it: refuse to bundle with another."""
    version = version or PYTHON_VERSION
    host = f"{sys.version_info.major}.{sys.version_info.minor}"
    if host != version:
        raise RuntimeError(
            f"assets are bundled with Python {host} ({sys.executable}) but the Lambda runtime is "
            f"python{version}: its bytecode would be ignored on every cold start. Run the synth "
            f"with a Python {version} interpreter, or move RUNTIME and PYTHON_VERSION together.")


def compile_bytecode(root: Path, *, strict: bool = True) -> None:
    """Hash-based, unchecked .pyc next to every .py under root (in __pycache__, tagged for the
    runtime's Python), replacing any timestamp-based ones pip wrote. strict: a file that does
    not compile fails the build (our code); a wheel may ship such files (templates, tests)."""
    check_bundling_python()
    ok = compileall.compile_dir(
        str(root), quiet=2, force=True, workers=1,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    if strict and not ok:
        raise RuntimeError(f"some Python files under {root} do not compile for {PYTHON_VERSION}")


def missing_bytecode(root: Path) -> list[str]:
    """The .py files under root without a matching runtime-tagged .pyc (tests and the bench)."""
    return sorted(
        path.relative_to(root).as_posix() for path in root.rglob("*.py")
        if not (path.parent / "__pycache__" / f"{path.stem}.{BYTECODE_TAG}.pyc").is_file())


def runtime_dependencies(pyproject: Path = REPO / "pyproject.toml") -> list[str]:
    return list(tomllib.loads(pyproject.read_text())["project"]["dependencies"])


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another filesystem (a test's tmp dir): copy instead
        shutil.copy2(src, dst)


def _files_hash(files: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + files[rel].read_bytes() + b"\0")
    return digest.hexdigest()


def _tree(root: Path, prefix: str) -> dict[str, Path]:
    return {
        f"{prefix}/{path.relative_to(root).as_posix()}": path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not _NEVER_PACKAGED.intersection(path.parts) and path.suffix != ".pyc"
    }


@jsii.implements(ILocalBundling)
class PipInstall:
    """pip-installs Lambda-platform wheels into a cache folder, then links it into the asset."""

    def __init__(self, requirements: list[str], cache_dir: Path, platforms: tuple[str, ...]):
        self.requirements = requirements
        self.cache_dir = cache_dir
        self.platforms = platforms

    def build(self) -> Path:
        done = self.cache_dir / "python"
        compiled = self.cache_dir / f".bytecode-{BYTECODE_TAG}-unchecked-hash"
        if done.is_dir():
            if not compiled.exists():  # a cache from before the layer shipped hash-based bytecode
                compile_bytecode(done, strict=False)
                compiled.touch()
            return done
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="build-", dir=self.cache_dir))
        print(f"infra: building the dependency layer into {self.cache_dir} (once per dependency list)",
              file=sys.stderr)
        pip = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-input", "--no-color", *pip_target_args(self.platforms), "--target", str(work / "python"),
             *self.requirements],
            capture_output=True, text=True, check=False,
        )
        if pip.returncode != 0:
            shutil.rmtree(work, ignore_errors=True)
            errors = [line for line in pip.stderr.splitlines() if line.startswith("ERROR:")]
            raise RuntimeError(
                f"the dependency layer cannot be built for CPython {PYTHON_VERSION} on "
                f"{', '.join(self.platforms)}: " + " | ".join(errors or pip.stderr.splitlines()[-3:]) +
                ". Lambda's python3.11 runtime (Amazon Linux 2, glibc 2.26) loads manylinux2014 "
                "wheels only: pin the package below the release that dropped them in "
                "pyproject [project].dependencies, or move every stage to python3.12 (AL2023).")
        compile_bytecode(work / "python", strict=False)
        try:
            (work / "python").rename(done)  # atomic: a concurrent synth either wins or reuses ours
        except OSError:
            if not done.is_dir():
                raise
        shutil.rmtree(work, ignore_errors=True)
        compiled.touch()
        return done

    def try_bundle(self, output_dir: str, *_args, **_kwargs) -> bool:
        shutil.copytree(self.build(), Path(output_dir) / "python", copy_function=_link_or_copy,
                        dirs_exist_ok=True)
        return True


@jsii.implements(ILocalBundling)
class CopyFiles:
    """Copies an explicit set of files (destination path -> source file) into the asset, and
    compiles them for the runtime's Python (compile_bytecode)."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def try_bundle(self, output_dir: str, *_args, **_kwargs) -> bool:
        check_bundling_python()
        for rel, src in self.files.items():
            dst = Path(output_dir) / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        compile_bytecode(Path(output_dir))
        return True


def dependency_bundler(platforms: tuple[str, ...] = CLOUD_PLATFORMS) -> PipInstall:
    """The dependency layer's bundler, its cache folder named by a hash of what decides its
    contents: the requirement list and the pip target (platforms, Python version)."""
    requirements = runtime_dependencies()
    key = hashlib.sha256(json.dumps(
        {"requirements": requirements, "pip": pip_target_args(platforms)}).encode()).hexdigest()
    return PipInstall(requirements, CACHE / f"deps-{key[:20]}", platforms)


def _local_asset(source: Path, asset_hash: str, bundler: ILocalBundling) -> lambda_.Code:
    return lambda_.Code.from_asset(
        str(source),
        asset_hash=asset_hash,
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(image=DockerImage.from_registry("local-bundling-only"), local=bundler),
    )


def core_layer_files() -> dict[str, Path]:
    """The doctorlive package (migrations included) under python/, where Lambda looks in /opt."""
    return _tree(CORE_PACKAGE, "python/doctorlive")


def _module_path(module: str) -> Path | None:
    base = REPO.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_functions_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "functions")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.split(".")[0] == "functions":
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names
                         if _module_path(f"{node.module}.{a.name}"))
    return found


def function_files(module: str) -> dict[str, Path]:
    """The files a function's asset holds: its module, the `functions.*` modules it imports
    (statically, transitively), and the package __init__ files on the way."""
    files: dict[str, Path] = {}
    todo, seen = [module], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        for depth in range(1, len(parts)):  # parent packages
            init = REPO.joinpath(*parts[:depth], "__init__.py")
            if init.is_file():
                files[init.relative_to(REPO).as_posix()] = init
        path = _module_path(name)
        if path is None:
            raise FileNotFoundError(f"no source for module {name!r} under {REPO}")
        files[path.relative_to(REPO).as_posix()] = path
        todo.extend(_imported_functions_modules(path))
        if name in WHOLE_PACKAGE:
            package = REPO / WHOLE_PACKAGE[name]
            todo.extend(".".join(p.relative_to(REPO).with_suffix("").parts) for p in package.glob("*.py"))
    return files


class Packaging:
    """The code assets of one stack (CDK assets belong to the stack that first uses them)."""

    def __init__(self, scope: Construct, platforms: tuple[str, ...] = CLOUD_PLATFORMS):
        self.scope = scope
        self.platforms = platforms
        self._layers: list[lambda_.ILayerVersion] | None = None

    @property
    def layers(self) -> list[lambda_.ILayerVersion]:
        if self._layers is None:
            self._layers = [self._dependency_layer(), self._core_layer()]
        return self._layers

    def _dependency_layer(self) -> lambda_.LayerVersion:
        bundler = dependency_bundler(self.platforms)
        source = bundler.cache_dir / "source"  # what the asset "is": the list it was built from
        source.mkdir(parents=True, exist_ok=True)
        (source / "requirements.txt").write_text("\n".join(bundler.requirements) + "\n")
        return lambda_.LayerVersion(
            self.scope, "DependencyLayer",
            code=_local_asset(source, bundler.cache_dir.name, bundler),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="doctor-live runtime dependencies (pyproject [project].dependencies)",
        )

    def _core_layer(self) -> lambda_.LayerVersion:
        files = core_layer_files()
        return lambda_.LayerVersion(
            self.scope, "CoreLayer",
            code=_local_asset(CORE_PACKAGE, _files_hash(files), CopyFiles(files)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="doctor-live core package (doctorlive) with its SQL migrations",
        )

    def function_code(self, module: str) -> lambda_.Code:
        files = function_files(module)
        return _local_asset(REPO / "functions", _files_hash(files), CopyFiles(files))
