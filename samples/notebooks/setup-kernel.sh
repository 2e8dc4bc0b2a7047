#!/usr/bin/env bash
# Sets up a Kotlin Jupyter kernel without pip or conda: the kernel's jars come from Maven Central
# through Maven, Jupyter from Debian's packages. Run from anywhere; see --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: samples/notebooks/setup-kernel.sh [--dir DIR] [--name NAME] [--maven-repo REPO] [--no-register]

Puts the Kotlin Jupyter kernel (org.jetbrains.kotlinx:kotlin-jupyter-kernel, see kernel/pom.xml)
and its dependencies into DIR/jars, writes the kernel spec DIR/kernels/NAME/kernel.json and
registers it for the current user (jupyter kernelspec install --user).

  --dir DIR          where the kernel lives (default: ~/.local/share/autograd-kotlin-kernel)
  --name NAME        the kernel's name in Jupyter (default: kotlin)
  --maven-repo REPO  a private Maven repository: the jars are fetched into it, and the kernel's
                     @file:Repository("*mavenLocal") reads it (the kernel then keeps its own
                     download cache under DIR/home instead of ~/.m2)
  --no-register      do not register the kernel; use it with JUPYTER_PATH=DIR instead

Needs Java 17+, Maven, and Debian's Jupyter:
  sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client
(add jupyter-notebook to edit notebooks in a browser).
EOF
}

dir="$HOME/.local/share/autograd-kotlin-kernel"
name=kotlin
repo=""
register=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a folder}"; shift 2 ;;
    --name) name="${2:?--name needs a name}"; shift 2 ;;
    --maven-repo) repo="${2:?--maven-repo needs a folder}"; shift 2 ;;
    --no-register) register=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "setup-kernel.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")" && pwd)"
for tool in java mvn jupyter; do
  if ! command -v "$tool" >/dev/null; then
    echo "setup-kernel.sh: '$tool' not found. Jupyter: sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client" >&2
    exit 1
  fi
done
# Debian's jupyter runs on Debian's python3; a python3 from elsewhere may lack its modules.
python=/usr/bin/python3
[[ -x "$python" ]] || python="$(command -v python3)"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
mvn_repo_args=()
[[ -n "$repo" ]] && mvn_repo_args=("-Dmaven.repo.local=$(mkdir -p "$repo" && cd "$repo" && pwd)")

echo "Fetching the Kotlin kernel's jars into $dir/jars ..."
rm -rf "$dir/jars"
mvn -B -q "${mvn_repo_args[@]}" -f "$here/kernel/pom.xml" \
    dependency:copy-dependencies -DoutputDirectory="$dir/jars" -DincludeScope=runtime

# The kernel logs every message at DEBUG to stdout without a configuration of its own.
cat > "$dir/logback.xml" <<'EOF'
<configuration>
  <appender name="err" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss} %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <!-- a local repository has no checksum files: not worth a stack trace per artifact -->
  <logger name="org.jetbrains.kotlin.org.eclipse.aether" level="ERROR"/>
  <root level="WARN"><appender-ref ref="err"/></root>
</configuration>
EOF

mkdir -p "$dir/home" "$dir/kernels/$name"
"$python" - "$dir" "$name" "${repo:+$(cd "$repo" && pwd)}" <<'EOF'
import glob, json, os, sys
home, name, repo = sys.argv[1], sys.argv[2], sys.argv[3]
jars = sorted(glob.glob(os.path.join(home, "jars", "*.jar")))
classpath = os.pathsep.join(jars)
# the Vector API makes the library's kernels faster (the JVM notes the incubator module on stderr)
jvm = ["--add-modules=jdk.incubator.vector", "-Dlogback.configurationFile=" + os.path.join(home, "logback.xml")]
if repo:
    jvm += ["-Dmaven.repo.local=" + repo, "-Duser.home=" + os.path.join(home, "home")]
spec = {
    "display_name": "Kotlin (autograd)" if name != "kotlin" else "Kotlin",
    "language": "kotlin",
    "interrupt_mode": "message",
    "argv": ["java"] + jvm + ["-cp", classpath, "org.jetbrains.kotlinx.jupyter.IkotlinKt",
             "-classpath=" + classpath, "-home=" + os.path.join(home, "home"), "{connection_file}"],
}
with open(os.path.join(home, "kernels", name, "kernel.json"), "w") as f:
    json.dump(spec, f, indent=1)
EOF

if $register; then
  jupyter kernelspec install --user --replace --name "$name" "$dir/kernels/$name" >/dev/null
  echo "Kernel '$name' registered; open a notebook with: jupyter notebook samples/notebooks"
else
  echo "Kernel '$name' written to $dir/kernels/$name; use it with JUPYTER_PATH=$dir"
fi
