# Sourced by the scripts: which Spark line to run, and where that line's build lives.
# SITTER_SPARK=4 (the default: Spark 4.2, Scala 2.13) or SITTER_SPARK=3.5 (Spark 3.5.9, Scala 2.12).
# Each line is a Maven module of its own (build/spark<line>, see pom.xml) over the same sources;
# the default line builds into target/, the other into target/spark<line>/.
#
#   line="$(spark_line)" || exit 2
#   dir="$(line_target "$here" "$line")"   jar="$(line_jar "$here" "$line")"

# The line SITTER_SPARK names, or an error naming the lines there are.
spark_line() {
  case "${SITTER_SPARK:-4}" in
    4 | 4.*) echo 4 ;;
    3.5 | 3.5.*) echo 3.5 ;;
    *) echo "SITTER_SPARK must be 4 (Spark 4, Scala 2.13; the default) or 3.5 (Spark 3.5, Scala 2.12), got '${SITTER_SPARK}'" >&2; return 1 ;;
  esac
}

line_module() { echo "build/spark$1"; }

line_target() {
  if [[ "$2" == 4 ]]; then echo "$1/target"; else echo "$1/target/spark$2"; fi
}

line_scala() {
  if [[ "$1" == 4 ]]; then echo 2.13; else echo 2.12; fi
}

# The line's cluster jar if it was built (target/sitter-<version>-spark4.jar,
# target/spark3.5/sitter-<version>-spark3.5.jar), else nothing.
line_jar() {
  ls "$(line_target "$1" "$2")"/sitter-*-spark"$2".jar 2>/dev/null | head -n 1 || true
}
