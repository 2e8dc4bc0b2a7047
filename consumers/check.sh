#!/usr/bin/env bash
# Builds every project under consumers/ as a user would, against the installed autograd artifacts:
# the build's plugins are fetched first, then the project compiles offline, its runtime classpath
# must be exactly expected-runtime.txt (nothing unexpected pulled in), and its program's output
# must be exactly expected-output.txt.
# The autograd version comes from the root pom (-Dautograd.version, which the consumer poms use).
# Usage: consumers/check.sh [MAVEN_REPO]  (where `mvn install` put the artifacts; default ~/.m2/repository)
set -euo pipefail
cd "$(dirname "$0")"
repo="${1:-$HOME/.m2/repository}"
repo="$(cd "$repo" && pwd)"
# the version under test: the root pom's revision property, the one place it is set
version="$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' ../pom.xml | head -1)"
[[ -n "$version" ]] || { echo "consumers: no <revision> in the root pom" >&2; exit 1; }
failed=0
passed=0

for dir in */; do
  name="${dir%/}"
  [[ -f "$name/pom.xml" ]] || continue
  mvn=(mvn -B -q "-Dmaven.repo.local=$repo" "-Dautograd.version=$version" -f "$name/pom.xml")
  main=consumer.Main
  [[ -d "$name/src/main/kotlin" ]] && main=MainKt
  echo "consumer $name: building offline against $repo"
  rm -rf "$name/target"
  # fetch what the build needs (plugins, the consumer's own Kotlin); the build itself then runs offline
  "${mvn[@]}" dependency:resolve-plugins dependency:resolve >/dev/null
  "${mvn[@]}" -o compile dependency:list dependency:build-classpath \
      -DincludeScope=runtime -DoutputFile=target/runtime-list.txt -Dmdep.outputFile=target/classpath.txt
  # "   group:artifact:jar:version:scope -- module name" -> "group:artifact:version"
  sed -n 's/^ *\([^ :]*\):\([^ :]*\):jar:\([^ :]*\):\(compile\|runtime\).*/\1:\2:\3/p' "$name/target/runtime-list.txt" \
      | sort > "$name/target/runtime.txt"
  # expected-runtime.txt says @VERSION@ for the autograd artifacts' version
  sed "s/@VERSION@/$version/g" "$name/expected-runtime.txt" > "$name/target/expected-runtime.txt"
  if ! diff -u "$name/target/expected-runtime.txt" "$name/target/runtime.txt"; then
    echo "consumer $name: FAILED: the runtime classpath differs from expected-runtime.txt (- expected, + found)"
    failed=$((failed + 1))
    continue
  fi
  java -cp "$name/target/classes:$(cat "$name/target/classpath.txt")" "$main" > "$name/target/output.txt" 2> "$name/target/stderr.txt" || {
    echo "consumer $name: FAILED: the program exited with $?"; cat "$name/target/stderr.txt"; failed=$((failed + 1)); continue; }
  if ! diff -u "$name/expected-output.txt" "$name/target/output.txt"; then
    echo "consumer $name: FAILED: the output differs from expected-output.txt"
    failed=$((failed + 1))
    continue
  fi
  echo "consumer $name: compiled, ran, runtime classpath as expected ($(wc -l < "$name/target/runtime.txt") artifacts)"
  passed=$((passed + 1))
done

echo "consumers: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
