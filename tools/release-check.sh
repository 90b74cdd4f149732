#!/usr/bin/env bash
# Release rehearsal: proves the engine is releasable for the plugin (README, "Releasing").
#   1. One version: the root pom, the parent of engine, cli, bench and spark, the plugin and the plugin's engine
#      dependencies all say ${revision}, and .mvn/maven.config sets it; the jenkins profile lists plugin/.
#   2. Deploys ml-stages-parent and ml-stages-engine (-pl engine -am: not the CLI, not the plugin) to the
#      file repository target/release-check/repo. Nothing is installed into the local repository.
#   3. Resolves the plugin's engine dependencies, copied from plugin/pom.xml with their exclusions and the
#      version Maven gives their version text, into an EMPTY local repository, with only Maven Central and
#      that file repository, through a generated consumer POM outside this checkout (no .mvn/maven.config,
#      no settings.xml: an unresolved ${revision} cannot be filled in from anywhere).
#   4. Checks the resolved POMs carry no ${revision}, and the resolved jars hold every engine class the
#      plugin's sources import (main imports in the main jar).
# Usage: tools/release-check.sh [MAVEN ARGUMENTS...]   e.g. tools/release-check.sh -Drevision=0.1.0
#   The arguments go to the deploy and to the evaluation of the version (not to the clean resolution).
# Exit 0 when every check passes, 1 when one fails (one line on stderr says which), 2 when Maven fails
# (its log's end on stderr). With -Dflatten.skip=true it exits 2: the engine's parent ${revision} is not found.
# Downloads the engine's dependencies and the dependency plugin from Central into a temporary folder.
# About 20 s on the 2-core machine with engine/target empty (the deploy build compiles), 10 s after the tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work=$root/target/release-check
repo=$work/repo
rm -rf "$work"
mkdir -p "$work"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "release-check: $*" >&2; exit 1; }
maven() { # LOG ARGS...: quiet Maven; on failure, the end of its log and exit 2
  local log=$1; shift
  if ! mvn -B "$@" >"$log" 2>&1; then
    tail -30 "$log" >&2
    echo "release-check: mvn $* failed (log: $log)" >&2
    exit 2
  fi
}

echo "== one version property (pom.xml, engine/pom.xml, cli/pom.xml, plugin/pom.xml, .mvn/maven.config)"
# Prints the version text and the dependency plugin's version; writes the plugin's own dependency elements
# on the engine to dependencies.xml.
python3 - "$root" "$work/dependencies.xml" >"$work/declared.txt" <<'EOF' || exit 1
import re, sys, xml.etree.ElementTree as ET
root, dependencies = sys.argv[1:]
NS = {"m": "http://maven.apache.org/POM/4.0.0"}
GROUP = "io.jenkins.plugins.mlstages"

def fail(message):
    print("release-check: " + message, file=sys.stderr)
    sys.exit(1)

def pom(path):
    return ET.parse(f"{root}/{path}").getroot()

def text(element, path):
    found = element.find(path, NS)
    return None if found is None else found.text.strip()

parent = pom("pom.xml")
version = text(parent, "m:version")
if not re.fullmatch(r"\$\{revision\}", version or ""):
    fail(f"pom.xml: <version> is {version!r}, expected ${{revision}}")
with open(f"{root}/.mvn/maven.config") as config:
    if not re.search(r"(^|\s)-Drevision=\S+", config.read()):
        fail(".mvn/maven.config: no -Drevision=VERSION")
for module in ("engine", "cli", "bench", "spark"):
    found = text(pom(f"{module}/pom.xml"), "m:parent/m:version")
    if found != version:
        fail(f"{module}/pom.xml: <parent><version> is {found!r}, expected {version}")
jenkins = parent.find("m:profiles/m:profile[m:id='jenkins']", NS)
if jenkins is None or "plugin" not in [m.text for m in jenkins.findall("m:modules/m:module", NS)]:
    fail("pom.xml: the jenkins profile does not list the plugin module")

plugin = pom("plugin/pom.xml")
if text(plugin, "m:version") != version:
    fail(f"plugin/pom.xml: <version> is {text(plugin, 'm:version')!r}, expected {version}")
ours = [d for d in plugin.findall("m:dependencies/m:dependency", NS) if text(d, "m:groupId") == GROUP]
if not any(text(d, "m:artifactId") == "ml-stages-engine" and text(d, "m:type") in (None, "jar") for d in ours):
    fail("plugin/pom.xml: no dependency on io.jenkins.plugins.mlstages:ml-stages-engine")
for dependency in ours:
    if text(dependency, "m:version") != version:
        fail(f"plugin/pom.xml: {text(dependency, 'm:artifactId')} has version "
             f"{text(dependency, 'm:version')!r}, expected {version}")

plugins = parent.findall("m:build/m:pluginManagement/m:plugins/m:plugin", NS)
dependency_plugin = [text(p, "m:version") for p in plugins if text(p, "m:artifactId") == "maven-dependency-plugin"]
if not dependency_plugin:
    fail("pom.xml: no maven-dependency-plugin version in pluginManagement")

print(version)
print(dependency_plugin[0])
with open(dependencies, "w") as out:
    for dependency in ours:
        for element in dependency.iter():
            element.tag = element.tag.split("}")[-1]  # the consumer POM declares the namespace
        ET.indent(dependency, space="  ", level=2)
        out.write("    " + ET.tostring(dependency, encoding="unicode").rstrip() + "\n")
EOF
expression=$(sed -n 1p "$work/declared.txt")
dependency_plugin=$(sed -n 2p "$work/declared.txt")
maven "$work/evaluate.log" -q -N help:evaluate -Dexpression="${expression:2:${#expression}-3}" \
  -Doutput="$work/version.txt" "$@"
version=$(cat "$work/version.txt")
[[ $version =~ ^[0-9A-Za-z][0-9A-Za-z.+_-]*$ ]] || fail "the revision property evaluates to '$version'"
echo "   $expression = $version in the root, the engine and the plugin"

echo "== deploy ml-stages-parent and ml-stages-engine $version to target/release-check/repo"
started=$(date +%s)
maven "$work/deploy.log" -q -pl engine -am deploy -DskipTests -Dmaven.install.skip=true \
  -DaltDeploymentRepository=release-check::file://"$repo" "$@"
echo "   $(( $(date +%s) - started )) s; deployed: $(ls "$repo/io/jenkins/plugins/mlstages" | tr '\n' ' ')"

echo "== resolve the plugin's engine dependencies from an empty local repository (Central + file repository)"
started=$(date +%s)
mkdir -p "$tmp/consumer" "$tmp/local"
printf '<settings/>\n' >"$tmp/settings.xml"
{
  cat <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>release-check</groupId>
  <artifactId>plugin-engine-dependencies</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <repositories>
    <repository>
      <id>release-check</id>
      <url>file://$repo</url>
    </repository>
  </repositories>
  <dependencies>
EOF
  # The plugin's own dependency elements, their version text replaced by its value.
  dependencies=$(cat "$work/dependencies.xml")
  echo "${dependencies//"<version>$expression</version>"/<version>$version</version>}"
  printf '  </dependencies>\n</project>\n'
} >"$tmp/consumer/pom.xml"
cp "$tmp/consumer/pom.xml" "$work/consumer-pom.xml"
(cd "$tmp/consumer" && maven "$work/resolve.log" -s "$tmp/settings.xml" -gs "$tmp/settings.xml" \
  -Dmaven.repo.local="$tmp/local" \
  "org.apache.maven.plugins:maven-dependency-plugin:$dependency_plugin:copy-dependencies" \
  -DoutputDirectory="$work/resolved")
echo "   $(( $(date +%s) - started )) s; resolved: $(cd "$work/resolved" && ls | tr '\n' ' ')"

echo "== check the resolved POMs and jars"
python3 - "$root" "$tmp/local" "$work/resolved" "$version" <<'EOF'
import os, re, sys, zipfile
root, local, resolved, version = sys.argv[1:]

def fail(message):
    print("release-check: " + message, file=sys.stderr)
    sys.exit(1)

base = f"{local}/io/jenkins/plugins/mlstages"
poms = {}
for directory, _, files in os.walk(base):
    for name in files:
        if name.endswith(".pom"):
            poms[os.path.relpath(f"{directory}/{name}", local)] = open(f"{directory}/{name}").read()
for artifact in ("ml-stages-parent", "ml-stages-engine"):
    if not any(f"/{artifact}/{version}/" in path for path in poms):
        fail(f"{artifact} {version}: no POM resolved into the clean local repository")
for path, content in poms.items():
    left = re.findall(r"\$\{(?:revision|changelist|sha1)\}", content)
    if left:
        fail(f"{path}: still says {left[0]}")
    if f"<version>{version}</version>" not in content:
        fail(f"{path}: does not carry the version {version}")

def classes(jar):
    with zipfile.ZipFile(jar) as archive:
        return {n[:-6] for n in archive.namelist() if n.endswith(".class")}

jars = os.listdir(resolved)
main = [j for j in jars if j.startswith("ml-stages-engine-") and not j.endswith("-tests.jar")]
tests = [j for j in jars if j.startswith("ml-stages-engine-") and j.endswith("-tests.jar")]
if len(main) != 1:
    fail(f"expected one ml-stages-engine jar among the resolved jars, found {main}")
main_classes = classes(f"{resolved}/{main[0]}")
test_classes = set().union(*(classes(f"{resolved}/{j}") for j in tests))

def imports(source_root):
    """Engine classes the plugin's sources import (the plugin shares the package prefix)."""
    own, used = set(), set()
    for directory, _, files in os.walk(source_root):
        for name in files:
            if not name.endswith(".java"):
                continue
            path = f"{directory}/{name}"
            own.add(os.path.relpath(path, source_root)[:-5])
            for line in open(path, encoding="utf-8"):
                match = re.match(r"\s*import\s+(static\s+)?(io\.jenkins\.plugins\.mlstages\.[\w.]+)\s*;", line)
                if match:
                    name_ = match.group(2)
                    if match.group(1):  # a static member: its class
                        name_ = name_.rsplit(".", 1)[0]
                    used.add(name_.replace(".", "/"))
    return own, used

def binary(name, available):
    """com/x/Outer/Inner -> com/x/Outer$Inner when that is the class in the jar."""
    parts = name.split("/")
    for split in range(len(parts), 0, -1):
        candidate = "/".join(parts[:split]) + "".join("$" + p for p in parts[split:])
        if candidate in available:
            return candidate
    return None

own_main, used_main = imports(f"{root}/plugin/src/main/java")
own_test, used_test = imports(f"{root}/plugin/src/test/java")
own = own_main | own_test
def engine_side(used):
    return {u for u in used if not any(u == o or u.startswith(o + "/") for o in own)}
checked = 0
for name in sorted(engine_side(used_main)):
    if binary(name, main_classes) is None:
        fail(f"{main[0]}: no class {name.replace('/', '.')} (imported by plugin/src/main/java)")
    checked += 1
for name in sorted(engine_side(used_test)):
    if binary(name, main_classes | test_classes) is None:
        fail(f"{main[0]} and {tests}: no class {name.replace('/', '.')} (imported by plugin/src/test/java)")
    checked += 1
if checked == 0:
    fail("plugin/src imports no engine class: nothing to check")
artifacts = sorted({path.split("/")[-3] for path in poms})
print(f"   POMs of {', '.join(artifacts)}: version {version}, no ${{revision}}; {checked} engine classes "
      f"the plugin imports found in {', '.join([main[0]] + tests)}")
EOF
echo "release-check: OK: ml-stages-parent and ml-stages-engine $version resolve for the plugin from target/release-check/repo"
