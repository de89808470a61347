#!/usr/bin/env bash
# Checks the files in deploy/ without a Docker engine or a running systemd, so CI can run it:
#   - compose.yaml parses (PyYAML), names the services it should, every depends_on names a
#     service, a service_healthy dependency has a health check, built Dockerfiles exist;
#   - each Dockerfile uses known instructions, starts with FROM (ARG only before it), every
#     COPY --from names an earlier stage, every COPY source is in the build context;
#   - the systemd units have the sections, keys and settings deploy/README.md promises;
#   - no literal secret anywhere in deploy/: keys and passwords are ${...} references or empty;
#   - `docker compose config -q` and `systemd-analyze verify`, where they run here;
#   - every `assay SUBCOMMAND --flag` a deploy file runs exists in the built binary's --help.
# Exits non-zero on any problem, naming the file (and line) and what is wrong.
#   ASSAY_BIN=path/to/assay scripts/check-deploy.sh   (default: the debug build's assay)
set -uo pipefail
cd "$(dirname "$0")/.."
ASSAY_BIN="${ASSAY_BIN:-$(swift build --show-bin-path 2>/dev/null)/assay}"
failed=0

# A python3 with PyYAML: the one on PATH, else Debian's (python3-yaml), which a pyenv python cannot see.
PYTHON=python3
python3 -c 'import yaml' >/dev/null 2>&1 || { [ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3; }
"$PYTHON" - "$ASSAY_BIN" <<'PY' || failed=1
import fnmatch, glob, json, os, re, shlex, subprocess, sys
try:
    import yaml
except ImportError:
    sys.exit("check-deploy: FAIL: python3 has no yaml module (Debian: apt-get install python3-yaml)")

assay_bin = sys.argv[1]
problems = []
invocations = []  # (where, argv after "assay")

def problem(where, what):
    if f"{where}: {what}" not in problems:  # a file two checks read is reported once
        problems.append(f"{where}: {what}")

def section(title, check):
    before = len(problems)
    try:
        check()
    except Exception as error:  # a file missing or unreadable: a problem, not a traceback
        problem(title, f"could not check: {error}")
    print(f"check-deploy: {'ok  ' if len(problems) == before else 'FAIL'} {title}")

# ---- Dockerfiles ------------------------------------------------------------------------------
INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
                "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER"}
dockerfiles = {}  # path -> facts the compose check uses

def dockerignored(path):
    patterns = [p.strip() for p in open(".dockerignore") if p.strip() and not p.startswith("#")]
    return any(fnmatch.fnmatch(path, p) or path.startswith(p.rstrip("/") + "/") for p in patterns)

def instructions(path):
    """(line, KEYWORD, rest): continuation lines joined, comments dropped, as Docker reads them."""
    out, text, start = [], "", None
    for number, line in enumerate(open(path), 1):
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and start is None):
            continue
        start = start or number
        if stripped.endswith("\\"):
            text += stripped[:-1] + " "
            continue
        text += stripped
        keyword, _, rest = text.partition(" ")
        out.append((start, keyword.upper(), rest.strip()))
        text, start = "", None
    if start is not None:
        problem(path, "ends inside a line continued with \\")
    return out

def json_form(where, keyword, rest):
    try:
        value = json.loads(rest)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value)
        return value
    except (ValueError, AssertionError):
        problem(where, f"{keyword} {rest!r} is not a JSON array of strings")
        return []

def check_dockerfile(path):
    stages, facts = [], {"healthcheck": False, "entrypoint": [], "cmd": []}
    for line, keyword, rest in instructions(path):
        where = f"{path}:{line}"
        if keyword not in INSTRUCTIONS:
            problem(where, f"unknown instruction {keyword}")
            continue
        if not stages and keyword not in ("FROM", "ARG"):
            problem(where, f"{keyword} before the first FROM (only ARG may come first)")
        words = rest.split()
        if keyword == "FROM":
            words = [w for w in words if not w.startswith("--")]
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            if name in stages:
                problem(where, f"a second stage named {name}")
            stages.append(name)
            facts.update(healthcheck=False, entrypoint=[], cmd=[])  # the last stage's count
        elif keyword in ("COPY", "ADD"):
            source = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            files = [w for w in words if not w.startswith("--")][:-1]
            if source is not None:
                earlier = stages[:-1]
                if not (source in earlier or (source.isdigit() and int(source) < len(earlier))):
                    problem(where, f"COPY --from={source} names no earlier stage (earlier: {[s for s in earlier if s]})")
            else:
                for file in files:
                    found = glob.glob(file.rstrip("/"))
                    if not found and not glob.has_magic(file):
                        problem(where, f"{keyword} source {file} is not in the build context (the repository's root)")
                    elif any(dockerignored(f) for f in found):
                        problem(where, f"{keyword} source {file} is excluded by .dockerignore")
        elif keyword in ("CMD", "ENTRYPOINT", "SHELL") and rest.startswith("["):
            facts[keyword.lower()] = json_form(where, keyword, rest)
        elif keyword == "HEALTHCHECK":
            facts["healthcheck"] = rest.upper() != "NONE"
            command = re.split(r"\bCMD\b", rest, maxsplit=1)
            if rest.upper() != "NONE" and len(command) < 2:
                problem(where, "HEALTHCHECK without CMD")
    if not stages:
        problem(path, "no FROM")
    dockerfiles[path] = facts

def check_dockerfiles():
    for path in sorted(glob.glob("deploy/*Dockerfile")):
        check_dockerfile(path)
    for path, facts in dockerfiles.items():
        if facts["entrypoint"][:1] == ["assay"]:
            invocations.append((path, facts["entrypoint"][1:] + facts["cmd"]))

# ---- compose ----------------------------------------------------------------------------------
COMPOSE = "deploy/compose.yaml"

def load_compose():
    try:
        compose = yaml.safe_load(open(COMPOSE))
    except yaml.YAMLError as error:
        problem(COMPOSE, f"not YAML: {error}")
        return None
    if not isinstance(compose, dict):
        problem(COMPOSE, "not a mapping")
        return None
    return compose

def check_compose():
    compose = load_compose()
    if compose is None:
        return
    services = compose.get("services") or {}
    declared_volumes = set((compose.get("volumes") or {}).keys())
    for name in ("postgres", "llm", "api", "worker"):
        if name not in services:
            problem(COMPOSE, f"no service {name}")

    def dockerfile_of(service):
        build = service.get("build")
        if build is None:
            return None
        build = {"context": build} if isinstance(build, str) else build
        context = os.path.normpath(os.path.join("deploy", build.get("context", ".")))
        return os.path.normpath(os.path.join(context, build.get("dockerfile", "Dockerfile")))

    def has_healthcheck(service):
        check = service.get("healthcheck")
        if check is not None:
            return not check.get("disable", False)
        return dockerfiles.get(dockerfile_of(service), {}).get("healthcheck", False)

    for name, service in services.items():
        where = f"{COMPOSE}: services.{name}"
        dockerfile = dockerfile_of(service)
        if dockerfile and not os.path.isfile(dockerfile):
            problem(where, f"builds {dockerfile}, which does not exist")
        if not dockerfile and not service.get("image"):
            problem(where, "neither image nor build")
        depends = service.get("depends_on") or {}
        for dependency in depends:
            if dependency not in services:
                problem(where, f"depends_on names {dependency!r}, not a service")
            elif isinstance(depends, dict) and (depends[dependency] or {}).get("condition") == "service_healthy" \
                    and not has_healthcheck(services[dependency]):
                problem(where, f"waits for {dependency} to be healthy, but {dependency} has no health check")
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source and not source.startswith((".", "/", "~", "$")) and source not in declared_volumes:
                problem(where, f"volume {source} is not declared under volumes:")
        # What this service runs: an assay command when its image is deploy/Dockerfile's.
        facts = dockerfiles.get(dockerfile) if dockerfile else None
        if facts and facts["entrypoint"][:1] == ["assay"] and "entrypoint" not in service:
            command = service.get("command", facts["cmd"])
            invocations.append((where, shlex.split(command) if isinstance(command, str) else command))

# ---- systemd units (sections, keys and the promised settings; systemd-analyze below) ----------
KEYS = {
    "Unit": {"Description", "Documentation", "After", "Before", "Wants", "Requires", "BindsTo", "PartOf",
             "Conflicts", "ConditionPathExists", "StartLimitIntervalSec", "StartLimitBurst"},
    "Service": {"Type", "User", "Group", "DynamicUser", "Environment", "EnvironmentFile", "WorkingDirectory",
                "ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload", "ExecStop", "KillSignal", "KillMode",
                "TimeoutStopSec", "TimeoutStartSec", "Restart", "RestartSec", "LimitNOFILE", "SyslogIdentifier",
                "NoNewPrivileges", "ProtectSystem", "ProtectHome", "ReadWritePaths", "ReadOnlyPaths",
                "StateDirectory", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules",
                "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname", "RestrictSUIDSGID",
                "RestrictNamespaces", "RestrictRealtime", "LockPersonality", "RestrictAddressFamilies",
                "SystemCallArchitectures", "SystemCallFilter", "CapabilityBoundingSet", "AmbientCapabilities",
                "UMask", "MemoryDenyWriteExecute", "MemoryMax", "CPUQuota"},
    "Install": {"WantedBy", "RequiredBy", "Alias", "Also", "DefaultInstance"},
}
# What every unit must say (deploy/README.md): a graceful stop, restarts, and the hardening.
REQUIRED = {"Description": None, "ExecStart": None, "Restart": "on-failure", "KillSignal": "SIGINT",
            "TimeoutStopSec": None, "NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
            "WantedBy": None}

def check_unit(path):
    settings, current = {}, None
    for number, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            if current not in KEYS:
                problem(f"{path}:{number}", f"unknown section [{current}]")
            continue
        key, equals, value = line.partition("=")
        if not equals or current is None:
            problem(f"{path}:{number}", "not KEY=VALUE inside a section")
        elif current in KEYS and key not in KEYS[current]:
            problem(f"{path}:{number}", f"{key} is not a key of [{current}] this check knows")
        else:
            settings.setdefault(key, []).append(value)
    for key, wanted in REQUIRED.items():
        if key not in settings:
            problem(path, f"no {key}=")
        elif wanted is not None and settings[key][-1] != wanted:
            problem(path, f"{key}={settings[key][-1]}, expected {wanted}")
    if "DynamicUser" not in settings and settings.get("User", ["root"])[-1] in ("root", "0"):
        problem(path, "runs as root: set User= (a dedicated account) or DynamicUser=yes")
    argv = shlex.split(settings.get("ExecStart", [""])[-1])
    if argv and not argv[0].startswith("/"):
        problem(path, f"ExecStart {argv[0]} is not an absolute path")
    if argv and os.path.basename(argv[0]) == "assay":
        invocations.append((path, argv[1:]))
        if "/etc/assay/assay.env" not in settings.get("EnvironmentFile", []):
            problem(path, "no EnvironmentFile=/etc/assay/assay.env")
        if settings.get("WorkingDirectory", ["?"])[-1] not in " ".join(settings.get("ReadWritePaths", [])).split():
            problem(path, "its WorkingDirectory (the data folder) is not among ReadWritePaths")

def check_units():
    units = sorted(glob.glob("deploy/systemd/*.service"))
    for name in ("assay-serve.service", "assay-worker@.service", "assay-llm.service"):
        if f"deploy/systemd/{name}" not in units:
            problem("deploy/systemd", f"no {name}")
    for path in units:
        check_unit(path)

# ---- secrets ------------------------------------------------------------------------------------
SECRET_TEXT = [r"\bsk-[A-Za-z0-9_-]{8,}", r"\bsk-ant-", r"\bAIza[0-9A-Za-z_-]{20,}", r"\bak_[A-Za-z0-9]{8,}",
               r"\blk_[A-Za-z0-9]{8,}", r"-----BEGIN [A-Z ]*PRIVATE KEY", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ"]
SECRET_NAME = re.compile(r"(KEY|SECRET|PASSWORD|TOKEN)$")

def secret_value_ok(value):
    """Empty, or a reference to the environment, never the secret itself."""
    return value in ("", None) or re.fullmatch(r"\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}", str(value)) is not None

def check_secrets():
    files = [f for f in glob.glob("deploy/**/*", recursive=True) + glob.glob("deploy/**/.*", recursive=True)
             if os.path.isfile(f) and not f.endswith("/.env")]  # deploy/.env is the operator's, ignored by git
    for path in sorted(set(files)):
        for number, line in enumerate(open(path, errors="replace"), 1):
            for pattern in SECRET_TEXT:
                if re.search(pattern, line):
                    problem(f"{path}:{number}", f"looks like a literal secret ({pattern})")
            url = re.search(r"postgres(?:ql)?://[^:/@\s]+:([^@\s]+)@", line)
            if url and not (url.group(1).startswith("${") or url.group(1) == "CHANGE_ME"):
                problem(f"{path}:{number}", "a database password written into a URL: use ${POSTGRES_PASSWORD}")
            assignment = re.match(r"\s*([A-Z0-9_]+)=(.*)$", line)
            if path.endswith(".env.example") and assignment and SECRET_NAME.search(assignment.group(1)) \
                    and assignment.group(2).strip():
                problem(f"{path}:{number}", f"{assignment.group(1)} has a value: leave it empty in the example")
    for name, service in ((load_compose() or {}).get("services") or {}).items():
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.partition("=")[::2] for item in environment)
        for key, value in environment.items():
            if SECRET_NAME.search(key) and not secret_value_ok(value):
                problem(f"{COMPOSE}: services.{name}.environment.{key}", "a literal value: use ${" + key + "} from .env")

# ---- assay subcommands and flags ------------------------------------------------------------------
def assay_help(words):
    run = subprocess.run([assay_bin, *words, "--help"], capture_output=True, text=True, timeout=60)
    return run.stdout + run.stderr

def subcommands(help_text):
    """The names under SUBCOMMANDS: (two spaces in; wrapped descriptions are indented deeper).
    Asked by name instead of by exit code: `assay NOSUCH --help` prints assay's own help, status 0."""
    names, inside = [], False
    for line in help_text.splitlines():
        inside = inside or line.startswith("SUBCOMMANDS:")
        match = re.match(r"  (\S+)", line) if inside and not line.startswith("   ") else None
        if match and match.group(1) != "See":
            names.append(match.group(1))
    return names

def check_invocations():
    if not os.access(assay_bin, os.X_OK):
        problem("ASSAY_BIN", f"no assay binary at {assay_bin}: build it (swift build) or set ASSAY_BIN")
        return
    for where, argv in invocations:
        words = []
        for word in argv:  # the subcommand, and its own where it has some (users list)
            names = subcommands(assay_help(words))
            if word.startswith("-") or not names:
                break
            if word not in names:
                problem(where, f"MISSING SUBCOMMAND: `assay {' '.join(words + [word])}` is not in {assay_bin} "
                               f"(not among `assay {' '.join(words + ['--help'])}`'s subcommands)")
                words = None
                break
            words.append(word)
        if not words:
            continue
        text = assay_help(words)
        for flag in sorted({a.split("=")[0] for a in argv if a.startswith("--")}):
            if not re.search(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])", text):
                problem(where, f"MISSING FLAG: `assay {' '.join(words)}` has no {flag} in its --help")

section("Dockerfiles: instructions, stages, COPY sources", check_dockerfiles)
section("compose.yaml: services, depends_on, health checks, volumes", check_compose)
section("systemd units: sections, keys, stop signal, restarts, hardening", check_units)
section("no literal secrets in deploy/", check_secrets)
section(f"assay subcommands and flags used in deploy/ exist in {assay_bin}", check_invocations)
for where, argv in invocations:
    print(f"check-deploy:        checked: assay {' '.join(argv)}  ({where})")
sys.stdout.flush()  # so the problems follow the summary when both go to one terminal
for line in problems:
    print(f"check-deploy: problem: {line}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# docker compose's own parser, where its plugin exists; it needs no engine for `config`. The two
# required secrets get stand-ins so the check does not depend on an operator's deploy/.env.
if docker compose version >/dev/null 2>&1; then
  if out="$(POSTGRES_PASSWORD=check ASSAY_JWT_SECRET=check docker compose -f deploy/compose.yaml config -q 2>&1)"; then
    echo "check-deploy: ok   docker compose config"
  elif grep -qiE 'daemon|docker engine|docker\.sock' <<<"$out"; then
    echo "check-deploy: skip docker compose config: it wants an engine here ($out)"
  else
    echo "check-deploy: FAIL docker compose config: $out" >&2; failed=1
  fi
else
  echo "check-deploy: skip docker compose config: no compose plugin here ('docker compose version' fails)"
fi

# systemd-analyze verify, if it works in this container: a unit that must pass proves it does.
# The units' programs (assay, llama-server) are not installed here, and verify reports each
# missing ExecStart binary; those lines are expected and dropped, any other line is a problem.
probe="$(mktemp -d)"; trap 'rm -rf "$probe"' EXIT
printf '[Unit]\nDescription=probe\n[Service]\nExecStart=/bin/true\n' >"$probe/probe.service"
if command -v systemd-analyze >/dev/null 2>&1 && out="$(systemd-analyze verify "$probe/probe.service" 2>&1)" && [ -z "$out" ]; then
  out="$(SYSTEMD_UNIT_PATH="$PWD/deploy/systemd:" systemd-analyze verify deploy/systemd/*.service 2>&1 |
    grep -vE 'Command (/usr/local/bin/assay|/opt/assay-llm/bin/llama-server) is not executable: No such file or directory')"
  if [ -z "$out" ]; then echo "check-deploy: ok   systemd-analyze verify (missing ExecStart binaries aside)"
  else echo "check-deploy: FAIL systemd-analyze verify:" >&2; echo "$out" >&2; failed=1; fi
else
  echo "check-deploy: skip systemd-analyze verify: it does not run here; the python check of sections and keys above stands"
fi

if [ "$failed" -ne 0 ]; then echo "check-deploy: FAILED (see the problems above)" >&2; exit 1; fi
echo "check-deploy: all checks passed"
