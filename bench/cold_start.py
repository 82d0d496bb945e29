"""Cold-start imports as Lambda sees them: each handler imported from a read-only copy of its
packaged assets (what `cdk synth` bundled), against the floor of the stack it runs on.

    python -m bench.cold_start [--runs 7] [--stage prod] [--synth] [--cdk-out DIR]
                               [--only REGEX] [--no-bytecode] [--python PATH]

What it does, per run of the whole table (runs interleave, so a busy machine slows all alike):
- Assets: the synthesized cloud assembly (`--cdk-out`, default .data/bench/cdk.out, synthesized
  in-process for `--stage` when missing or with `--synth`; bundling takes minutes the first time).
  Each function's code asset is copied to a `task` folder (Lambda's /var/task) and its layers are
  merged, in the template's order, into one `opt` folder (/opt): PYTHONPATH = task, opt/python,
  then a stand-in for /var/runtime holding the runtime's boto3 (python3.11 ships it; the dependency
  layer does not). Every file is dated 1980-01-01 as in CDK's zip, and made read-only.
- Interpreter: the base CPython (not the venv: no site-packages, `-S`), PYTHONDONTWRITEBYTECODE=1,
  `-X importtime`, the function's own environment from the template. A fresh process per import.
- Floors: API handlers against `import fastapi, mangum, psycopg` (the HTTP stack), scheduled jobs
  against `import psycopg` + pydantic's models and types + Powertools logging and metrics (what every event
  function runs on), queue consumers against that + Powertools batch and idempotency (which
  imports boto3), all from the same layer, in the same run. Target: ratio <= 1.15.
- Columns: median import ms, ratio to its floor (the target's), "best" (the fastest run against
  the floor's fastest: noise only adds time, so it is the steadier reading), modules loaded, the time an API function's
  first invocation then spends building its FastAPI app (route analysis and the route's models,
  deferred from the import by doctorlive.web.Endpoint, so still on the cold path), and the
  modules with the most self import time that the floor does not load (what our code adds).

`--no-bytecode` strips every __pycache__ from the copy: what Lambda loaded before the assets
shipped hash-based bytecode (pip's timestamp .pyc never match files dated 1980).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # infra/ and devstack/ when run as a script, as bench/kb.py does
WORK = REPO / ".data" / "bench"
TARGET_RATIO = 1.15
API_FLOOR = ("fastapi", "mangum", "psycopg")
EVENT_FLOOR = ("psycopg", "pydantic.main", "pydantic.types", "aws_lambda_powertools.logging",
               "aws_lambda_powertools.metrics")
# The queue consumers (S3 and SNS rows of functions/events/wiring.py) also run on Powertools'
# batch processor and idempotency utility; the latter's package imports its DynamoDB store and so
# boto3 (beyond our reach, as FastAPI is for the API; boto3 is loaded by the first record anyway).
CONSUMER_FLOOR = EVENT_FLOOR + ("aws_lambda_powertools.utilities.batch",
                                "aws_lambda_powertools.utilities.idempotency")
# What Lambda's python3.11 runtime provides in /var/runtime (the dependency layer leaves it out).
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")
ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the date CDK gives every file it zips

PROBE = r"""
import importlib, json, os, sys, time
t0 = time.perf_counter()
for name in sys.argv[1].split(","):
    mod = importlib.import_module(name)
    if sys.argv[2]:
        getattr(mod, sys.argv[2])
elapsed = time.perf_counter() - t0
# An API function's first invocation builds its FastAPI app (doctorlive.web.Endpoint: route
# analysis, its models' validators): cold-path work too, timed apart from the import.
app_seconds = None
build = getattr(getattr(mod, "ep", None), "app", None)
if callable(build):
    # Its settings without their secrets: reading those is a network call, not timed here.
    for key in [k for k in os.environ if k.endswith("_SECRET_ARN")]:
        del os.environ[key]
    t1 = time.perf_counter()
    build()
    app_seconds = time.perf_counter() - t1
roots = tuple(sys.argv[3].split(","))
outside = sorted(n for n, m in list(sys.modules.items())
                 if (getattr(m, "__file__", None) or "").endswith(".py")
                 and not (m.__file__ or "").startswith(roots))
print(json.dumps({"seconds": elapsed, "app_seconds": app_seconds, "modules": sorted(sys.modules), "outside": outside}))
"""
IMPORTTIME = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


@dataclass
class Target:
    kind: str                 # api | event | deploy | floor
    name: str                 # the handler's module, or the floor's name
    modules: tuple[str, ...]  # what the probe imports
    attribute: str            # read after import ("handler"), "" for floors
    path: list[Path]
    env: dict[str, str]
    floor: str = ""
    samples: list[float] = field(default_factory=list)
    app_samples: list[float] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    self_us: dict[str, int] = field(default_factory=dict)
    outside: list[str] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.samples) * 1000

    @property
    def app_ms(self) -> float | None:
        return statistics.median(self.app_samples) * 1000 if self.app_samples else None


def synthesize(outdir: Path, stage: str) -> None:
    """`cdk synth -c stage=<stage>` in-process, bundling on (no nag, no template validation)."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from aws_cdk import App

    from infra.app import cdk_json_context
    from infra.config import stage_config
    from infra.stack import DoctorLiveStack

    shutil.rmtree(outdir, ignore_errors=True)
    app = App(context={**cdk_json_context(), "stage": stage}, outdir=str(outdir),
              builtin_cloud_formation_validation=False)
    config = stage_config(app.node.try_get_context)
    DoctorLiveStack(app, config.stack_name, config=config)
    app.synth()


def _asset_dir(outdir: Path, code: dict) -> Path:
    key = code["S3Key"]
    return outdir / f"asset.{key.removesuffix('.zip')}"


def _read_only_copy(src: Path, dst: Path, *, bytecode: bool) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True, symlinks=False,
                    ignore=None if bytecode else shutil.ignore_patterns("__pycache__"))


def _freeze(root: Path) -> None:
    """Dates as in CDK's zip, no write bits (root ignores them: PYTHONDONTWRITEBYTECODE and a
    check that nothing was written after the runs are what guarantee no cache is kept)."""
    for path in sorted(root.rglob("*"), reverse=True):
        os.utime(path, (ZIP_EPOCH, ZIP_EPOCH), follow_symlinks=False)
        if not path.is_symlink():
            path.chmod(0o555 if path.is_dir() else 0o444)
    root.chmod(0o555)


def _thaw(root: Path) -> None:
    if root.exists():
        for path in [root, *root.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(root)


def _runtime_standin(dest: Path) -> Path:
    """/var/runtime's boto3: links to the dev venv's copies (the same library Lambda ships)."""
    site = Path(sysconfig.get_paths()["purelib"])
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_PACKAGES:
        if (site / name).exists() and not (dest / name).exists():
            (dest / name).symlink_to(site / name)
    return dest


def _placeholder(key: str, value: object) -> str:
    """What stands in for a value resolved at deploy: a JSON list where the template joins one
    (CORS_ORIGINS with the sites' URLs), else `<KEY>`."""
    parts = value.get("Fn::Join", ["", []])[1] if isinstance(value, dict) else []
    if parts and isinstance(parts[0], str) and parts[0].startswith("["):
        return json.dumps([f"https://{key.lower()}.invalid"])
    return f"<{key}>"


def lambda_targets(outdir: Path, stage_dir: Path, *, bytecode: bool) -> list[Target]:
    template = next(outdir.glob("*.template.json"))
    resources = json.loads(template.read_text())["Resources"]
    _thaw(stage_dir)
    runtime = _runtime_standin(stage_dir / "var-runtime")
    targets: list[Target] = []
    from functions.events.wiring import EVENTS

    consumers = {r.module for r in EVENTS if not r.source.startswith("schedule:")}
    opts: dict[tuple[str, ...], Path] = {}
    for logical_id, res in sorted(resources.items()):
        props = res.get("Properties", {})
        handler = props.get("Handler", "")
        if res["Type"] != "AWS::Lambda::Function" or not handler.startswith("functions."):
            continue
        module, attribute = handler.rsplit(".", 1)
        layers = tuple(ref["Ref"] for ref in props.get("Layers", []))
        if layers not in opts:  # Lambda extracts the layers in order into /opt
            opt = stage_dir / f"opt-{len(opts)}"
            for layer in layers:
                _read_only_copy(_asset_dir(outdir, resources[layer]["Properties"]["Content"]), opt,
                                bytecode=bytecode)
            opts[layers] = opt
        task = stage_dir / "task" / logical_id
        _read_only_copy(_asset_dir(outdir, props["Code"]), task, bytecode=bytecode)
        # A value CloudFormation resolves at deploy (a Ref, a Join) is a string on Lambda: a
        # placeholder stands in, so checks of what a function was given (doctorlive.needs) pass.
        env = {k: v if isinstance(v, str) else _placeholder(k, v)
               for k, v in props.get("Environment", {}).get("Variables", {}).items()}
        kind = "api" if module.startswith("functions.api.") else \
            "deploy" if module == "functions.events.migrate" else "event"
        floor = "api-floor" if kind == "api" else \
            "consumer-floor" if module.rsplit(".", 1)[-1] in consumers else "event-floor"
        targets.append(Target(kind, module, (module,), attribute,
                              [task, opts[layers] / "python", runtime], env, floor=floor))
    if not targets:
        raise SystemExit(f"no doctor-live functions in {template}")
    for root in [*opts.values(), stage_dir / "task"]:
        _freeze(root)
    targets.sort(key=lambda t: (t.kind != "api", t.kind, t.name))
    first_api = next(t for t in targets if t.kind == "api")
    base = [first_api.path[1], runtime]  # floors: the same /opt, no function code
    floors = [Target("floor", "api-floor", API_FLOOR, "", base, first_api.env),
              Target("floor", "event-floor", EVENT_FLOOR, "", base, first_api.env),
              Target("floor", "consumer-floor", CONSUMER_FLOOR, "", base, first_api.env)]
    return floors + targets


def base_python() -> str:
    """The CPython the venv was made from: no venv site-packages on the path."""
    return getattr(sys, "_base_executable", None) or sys.executable


def run_once(python: str, target: Target) -> None:
    roots = [str(p) for p in target.path] + [sysconfig.get_paths()["stdlib"]]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "PYTHONPATH": os.pathsep.join(str(p) for p in target.path),
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "TZ": "UTC",
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
           "LAMBDA_TASK_ROOT": str(target.path[0]), **target.env}
    out = subprocess.run([python, "-S", "-X", "importtime", "-c", PROBE, ",".join(target.modules),
                          target.attribute, ",".join(roots)],
                         env=env, cwd=target.path[0], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"importing {target.name} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    target.samples.append(result["seconds"])
    if result["app_seconds"] is not None:
        target.app_samples.append(result["app_seconds"])
    target.loaded, target.outside = result["modules"], result["outside"]
    target.self_us = {}
    for line in out.stderr.splitlines():
        m = IMPORTTIME.match(line)
        if m:
            target.self_us[m.group(4)] = target.self_us.get(m.group(4), 0) + int(m.group(1))


def top_extra(target: Target, floor: Target, n: int = 3) -> str:
    skip = set(floor.loaded)
    extra = sorted(((us, name) for name, us in target.self_us.items() if name not in skip), reverse=True)
    return ", ".join(f"{name} {us / 1000:.0f}" for us, name in extra[:n])


def top_self(target: Target, n: int = 5) -> str:
    ranked = sorted(((us, name) for name, us in target.self_us.items()), reverse=True)
    return ", ".join(f"{name} {us / 1000:.0f}" for us, name in ranked[:n])


def _file_count(root: Path) -> int:
    return sum(1 for _ in root.rglob("*"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--stage", default="prod", choices=("dev", "prod", "local"))
    parser.add_argument("--cdk-out", type=Path, default=None)
    parser.add_argument("--synth", action="store_true", help="synthesize again even if --cdk-out exists")
    parser.add_argument("--only", default="", help="regex on handler modules (floors always run)")
    parser.add_argument("--no-bytecode", action="store_true", help="strip __pycache__ from the copy")
    parser.add_argument("--python", default=base_python())
    parser.add_argument("--check", action="store_true", help="exit 1 if a handler is over the target")
    args = parser.parse_args(argv)

    outdir = args.cdk_out or WORK / f"cdk.out-{args.stage}"
    if args.synth or not list(outdir.glob("*.template.json")):
        if args.cdk_out and not args.synth:
            raise SystemExit(f"no template in {outdir}")
        print(f"synthesizing the {args.stage} stage into {outdir} (bundling: minutes the first time)",
              file=sys.stderr)
        synthesize(outdir, args.stage)
    stage_dir = WORK / "lambda"
    targets = lambda_targets(outdir, stage_dir, bytecode=not args.no_bytecode)
    targets = [t for t in targets if t.kind == "floor" or re.search(args.only, t.name)]
    floors = {t.name: t for t in targets if t.kind == "floor"}
    before = _file_count(stage_dir)
    version = subprocess.run([args.python, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    print(f"packaged assets of {outdir.relative_to(REPO) if outdir.is_relative_to(REPO) else outdir}, "
          f"Python {version}, {args.runs} runs, bytecode {'stripped' if args.no_bytecode else 'as shipped'}",
          file=sys.stderr)
    for run in range(args.runs):
        for target in targets:
            run_once(args.python, target)
        print(f"  run {run + 1}/{args.runs} done", file=sys.stderr)
    if _file_count(stage_dir) != before:
        raise SystemExit("an import wrote into the read-only copy: the figures are not Lambda's")

    for floor in floors.values():
        print(f"{floor.name}: import {', '.join(floor.modules)} = {floor.median_ms:.0f} ms median "
              f"({len(floor.loaded)} modules); most self time (ms): {top_self(floor)}")
    print()
    print(f"{'kind':<7} {'handler':<40} {'median ms':>9} {'ratio':>6} {'best':>5} {'modules':>7} {'app ms':>6}  "
          f"most self time beyond its floor (ms)")
    over, best_over = [], []
    for t in targets:
        if t.kind == "floor":
            continue
        floor = floors[t.floor]
        ratio = t.median_ms / floor.median_ms
        best = t.min_ms / floor.min_ms
        if best > TARGET_RATIO and t.kind != "deploy":
            best_over.append(t.name)
        flag = " *" if ratio > TARGET_RATIO and t.kind != "deploy" else "  "
        if flag == " *":
            over.append(t.name)
        app = f"{t.app_ms:>6.0f}" if t.app_ms is not None else f"{'':>6}"
        print(f"{t.kind:<7} {t.name.removeprefix('functions.'):<40} {t.median_ms:>9.0f} {ratio:>6.2f}"
              f"{flag}{best:>5.2f}{len(t.loaded):>8} {app}  {top_extra(t, floor)}")
        stray = [m for m in t.outside if m.split(".")[0] not in RUNTIME_PACKAGES]
        if stray:
            print(f"        loaded from outside the assets: {', '.join(stray[:5])}")
    print(f"\n{len(over)} handler(s) over {TARGET_RATIO} x floor"
          + (f" (*): {', '.join(n.removeprefix('functions.') for n in over)}" if over else "")
          + "; the deploy job (migrate) is not on a user's path and has no target.")
    handlers = [t for t in targets if t.kind in ("api", "event")]
    print(f"best: the fastest of the runs against the floor's fastest (noise only adds time, so this "
          f"reads our code's own cost more steadily than the median): {len(handlers) - len(best_over)} "
          f"of {len(handlers)} handlers within {TARGET_RATIO} x.")
    apps = [t.app_ms for t in targets if t.app_ms is not None]
    if apps:
        print(f"app ms: building the API function's FastAPI app at its first invocation (its route, "
              f"its models), not part of the import or the ratio: median {statistics.median(apps):.0f} ms, "
              f"{min(apps):.0f}-{max(apps):.0f} ms.")
    return 1 if over and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
