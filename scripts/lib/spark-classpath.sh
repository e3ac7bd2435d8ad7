# Sourced by scripts/sitter and scripts/cluster: the Maven-resolved Spark classpath, written once
# to target/spark-classpath.txt and again whenever pom.xml changes. Compile scope includes Spark
# (spark-core, spark-sql and spark-yarn, the YARN client that --master yarn needs), which is
# `provided` in the jar, so this is the jar's own dependencies plus Spark.
#
#   cp_file="$(spark_classpath_file "$here")" || exit

# shellcheck source=maven.sh
source "$(dirname "${BASH_SOURCE[0]}")/maven.sh"

# The classpath of Maven scope SCOPE, written to target/NAME-classpath.txt and again whenever
# pom.xml changes; prints the file's path. Written to a temporary name first: an interrupted
# resolution must not leave half a classpath. The plugin's property is includeScope
# (mdep.includeScope is silently ignored and then the classpath held every test dependency too,
# Hadoop's minicluster among them, whose servlet classes broke the Spark UI's YARN filter on the
# driver).
maven_classpath_file() {
  local here="$1" scope="$2" name="$3" cp_file="$1/target/$3-classpath.txt"
  if [[ ! -s "$cp_file" || "$here/pom.xml" -nt "$cp_file" ]]; then
    command -v mvn >/dev/null 2>&1 || { echo "mvn not found: install Maven 3.8+ (e.g. apt-get install maven); it resolves the $name classpath" >&2; return 1; }
    echo "sitter: resolving the $name classpath (once)..." >&2
    mkdir -p "$here/target"
    (cd "$here" && maven_to_stderr -q dependency:build-classpath -DincludeScope="$scope" -Dmdep.outputFile="$cp_file.tmp") \
      || { echo "could not resolve the $name classpath with mvn dependency:build-classpath (see above)" >&2; return 1; }
    mv "$cp_file.tmp" "$cp_file"
  fi
  echo "$cp_file"
}

spark_classpath_file() { maven_classpath_file "$1" compile spark; }

# The test classpath (test scope: Spark, the Hadoop mini clusters and their web-service jars),
# for scripts/cluster yarn, which runs io.sitter.minicluster.MiniClusters from target/test-classes.
#
#   cp_file="$(test_classpath_file "$here")" || exit
test_classpath_file() { maven_classpath_file "$1" test test; }
