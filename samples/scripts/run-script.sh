#!/usr/bin/env bash
# Runs a Kotlin script of this directory with the library on its classpath:
#   samples/scripts/run-script.sh gradient        (gradient.main.kts; also my-relu, two-layer-net)
# Builds the modules with Maven (SKIP_BUILD=1 reuses the last build), resolves the Kotlin 2.4.21
# compiler once (scripts/pom.xml), then runs K2JVMCompiler -script with the Vector API enabled.
# kotlin-scripting-jvm-host is not on the Maven mirror used here, so `kotlin x.main.kts` style hosts
# are not used; the compiler's -script mode needs only the compiler and kotlin-main-kts jars.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
name="${1:?usage: run-script.sh NAME (one of: $(cd "$here" && ls *.main.kts | sed 's/.main.kts//' | tr '\n' ' '))}"
script="$here/${name%.main.kts}.main.kts"
[[ -f "$script" ]] || { echo "no script $script" >&2; exit 2; }
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f samples/target/classpath.txt || ! -f samples/target/spark-jvm-flags.txt ]]; then
  mvn -B -q -pl samples -am package -DskipTests >/dev/null || { echo "build failed: run mvn -pl samples -am package" >&2; exit 1; }
fi
if [[ ! -f samples/target/kotlin-compiler.classpath ]]; then
  mvn -B -q -f samples/scripts/pom.xml dependency:build-classpath -Dmdep.outputFile="$root/samples/target/kotlin-compiler.classpath" >/dev/null \
    || { echo "could not resolve the Kotlin compiler: run mvn -f samples/scripts/pom.xml dependency:build-classpath" >&2; exit 1; }
fi
compiler="$(cat samples/target/kotlin-compiler.classpath)"
ours="samples/target/classes:$(cat samples/target/classpath.txt)"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" --add-modules=jdk.incubator.vector @samples/target/spark-jvm-flags.txt -cp "$compiler" org.jetbrains.kotlin.cli.jvm.K2JVMCompiler \
  -no-stdlib -cp "$ours:$compiler" -script "$script"
