# Sourced by scripts/sitter and scripts/cluster: the Maven-resolved Spark classpath of the Spark
# line SITTER_SPARK names (scripts/lib/spark-line.sh), written once to that line's
# target/spark-classpath.txt (target/spark3.5/... for 3.5) and again whenever its pom changes.
# Compile scope includes Spark (spark-core, spark-sql, spark-mllib and spark-yarn, the YARN client
# that --master yarn needs), which is `provided` in the jar, so this is the jar's own dependencies
# plus Spark.
#
#   cp_file="$(spark_classpath_file "$here")" || exit

# shellcheck source=maven.sh
source "$(dirname "${BASH_SOURCE[0]}")/maven.sh"
# shellcheck source=spark-line.sh
source "$(dirname "${BASH_SOURCE[0]}")/spark-line.sh"

# The classpath of Maven scope SCOPE of the line's module, written to the line's
# target/NAME-classpath.txt and again whenever pom.xml or the module's pom changes; prints the file's path. Written to a temporary name first: an interrupted
# resolution must not leave half a classpath. The plugin's property is includeScope
# (mdep.includeScope is silently ignored and then the classpath held every test dependency too,
# Hadoop's minicluster among them, whose servlet classes broke the Spark UI's YARN filter on the
# driver).
maven_classpath_file() {
  local here="$1" scope="$2" name="$3" line module dir cp_file
  line="$(spark_line)" || return 1
  module="$(line_module "$line")"
  dir="$(line_target "$here" "$line")"
  cp_file="$dir/$name-classpath.txt"
  if [[ ! -s "$cp_file" || "$here/pom.xml" -nt "$cp_file" || "$here/$module/pom.xml" -nt "$cp_file" ]]; then
    command -v mvn >/dev/null 2>&1 || { echo "mvn not found: install Maven 3.8+ (e.g. apt-get install maven); it resolves the $name classpath" >&2; return 1; }
    echo "sitter: resolving the $name classpath of Spark $line (once)..." >&2
    mkdir -p "$dir"
    (cd "$here" && maven_to_stderr -q -pl "$module" dependency:build-classpath -DincludeScope="$scope" -Dmdep.outputFile="$cp_file.tmp") \
      || { echo "could not resolve the $name classpath with mvn dependency:build-classpath (see above)" >&2; return 1; }
    mv "$cp_file.tmp" "$cp_file"
  fi
  echo "$cp_file"
}

spark_classpath_file() { maven_classpath_file "$1" compile spark; }

# The test classpath (test scope: Spark, the Hadoop mini clusters and their web-service jars),
# for scripts/cluster yarn, which runs io.sitter.minicluster.MiniClusters from the line's test-classes.
#
#   cp_file="$(test_classpath_file "$here")" || exit
test_classpath_file() { maven_classpath_file "$1" test test; }
