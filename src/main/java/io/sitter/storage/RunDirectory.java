package io.sitter.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sitter.config.BadInputException;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.EvaluationResult;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run directory ({@code train --out}, {@code run --out}) or a search directory ({@code search
 * --out}): the one place that knows its file names and reads and writes its files, through
 * {@link CommittedFiles}, on any Hadoop file system. docs/formats.md lists the files and their
 * schemas. Spark- and DL4J-free: models travel as {@link CommittedFiles.Content} and {@link
 * CommittedFiles.Reading} callbacks.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.json";
  public static final String PREPROCESSING = PrepDirectory.PREPROCESSING;
  public static final String METRICS = "metrics.jsonl";
  public static final String METRICS_CSV = "metrics.csv";
  public static final String CHECKS = "checks.json";
  public static final String TRAINING = "training.json";
  public static final String EVALUATION = "evaluation.json";
  public static final String MODEL = "model.zip";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String REPORT = "report.html";
  /** {@code train --input}/{@code run}: the prep output written inside the run. */
  public static final String PREP = "prep";
  public static final String SEARCH = "search.json";
  public static final String TRIALS = "trials.jsonl";
  public static final String BEST = "best.yaml";
  /** A search's data-mode trials, each a run directory. */
  public static final String RUNS = "runs";

  /** The files that make a directory worth a report; config and preprocessing alone do not. */
  public static final List<String> REPORTABLE = List.of(METRICS, CHECKS, EVALUATION, TRIALS);

  static final String CHECKPOINT_STATE = "state.json";
  /** The numbers a checkpoint's state.json must hold (train.Checkpoints reads them). */
  private static final List<String> CHECKPOINT_KEYS =
      List.of("epoch", "round", "iteration", "examples_seen", "initial_loss", "partitions", "averaging_frequency", "seed");
  private static final Pattern CHECKPOINT = Pattern.compile("epoch-(\\d{4,})");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final CommittedFiles files;
  private final Path dir;

  private RunDirectory(Storage storage, Path dir) {
    this.files = storage.files();
    this.dir = dir;
  }

  public static RunDirectory at(Storage storage, Path dir) {
    return new RunDirectory(storage, dir);
  }

  public Path path() {
    return dir;
  }

  /** {@code dir/name}. */
  public Path file(String name) {
    return new Path(dir, name);
  }

  public CommittedFiles files() {
    return files;
  }

  // ---- the directory ----

  public boolean exists() {
    try {
      return fs().exists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + dir + ": " + e.getMessage(), e);
    }
  }

  public boolean isDirectory() {
    try {
      return fs().getFileStatus(dir).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether this is a sitter run directory: its {@code config.json} is committed. */
  public boolean isRun() {
    return files.exists(file(CONFIG));
  }

  /**
   * The refusals of {@link #prepareNew}, without touching anything: to fail before long work. An
   * existing directory is refused unless {@code overwrite}; even then only an empty directory or
   * a sitter run (has config.json) may be replaced, so a mistyped {@code --out $HOME
   * --overwrite} cannot wipe unrelated files.
   */
  public void checkNew(String flag, boolean overwrite) {
    if (!exists()) {
      return;
    }
    if (!overwrite) {
      throw new BadInputException(flag + " " + dir + " already exists (use --overwrite to replace it or --resume to continue it)");
    }
    if (!isDirectory()) {
      throw new BadInputException(flag + " " + dir + " exists and is not a directory");
    }
    if (!names().isEmpty() && !isRun()) {
      throw new BadInputException(flag + " " + dir + " is not a sitter run directory (no " + CONFIG + "); refusing to overwrite it");
    }
  }

  /** Makes {@code dir} a fresh, empty directory after the checks of {@link #checkNew}. */
  public void prepareNew(String flag, boolean overwrite) {
    checkNew(flag, overwrite);
    files.deleteRecursively(dir);
    try {
      fs().mkdirs(dir);
    } catch (IOException e) {
      throw new BadInputException(flag + " " + dir + ": cannot create: " + e.getMessage(), e);
    }
  }

  /** Checks that the directory holds nothing but the prep output {@link #PREP} written into it just before. */
  public void requireOnlyPrep(String flag) {
    List<String> other = names().stream().filter(n -> !n.equals(PREP)).toList();
    if (!other.isEmpty()) {
      throw new BadInputException(flag + " " + dir + " already holds " + other.get(0) + " next to the prep output " + file(PREP));
    }
  }

  /** The names of the directory's entries; none when it does not exist. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    try {
      for (FileStatus s : fs().listStatus(dir)) {
        out.add(s.getPath().getName());
      }
    } catch (FileNotFoundException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Deletes the whole directory (a run that never started training). */
  public void delete() {
    files.deleteRecursively(dir);
  }

  // ---- JSON files ----

  public void writeConfig(JsonNode config) {
    writeJson(CONFIG, config);
  }

  /** {@code config.json}; empty when absent; bad input naming the file when it is not JSON. */
  public Optional<JsonNode> config() {
    return readJson(CONFIG);
  }

  public void writeTraining(JsonNode summary) {
    writeJson(TRAINING, summary);
  }

  public Optional<JsonNode> training() {
    return readJson(TRAINING);
  }

  public void writeEvaluation(EvaluationResult result) {
    files.writeString(file(EVALUATION), result.toJson() + "\n");
  }

  public Optional<String> evaluation() {
    return readText(EVALUATION);
  }

  public void writeChecks(ChecksReport report) {
    files.writeString(file(CHECKS), ChecksJson.toJson(report));
  }

  public Optional<ChecksReport> checks() {
    return readText(CHECKS).map(text -> {
      try {
        return ChecksJson.fromJson(text);
      } catch (IOException e) {
        throw new BadInputException(file(CHECKS) + ": " + e.getMessage(), e);
      }
    });
  }

  /** {@code preprocessing.json}, copied from the prep output the run trains on. */
  public void writePreprocessing(String json) {
    files.writeString(file(PREPROCESSING), json);
  }

  public Optional<String> preprocessing() {
    return readText(PREPROCESSING);
  }

  /** A file's text if it is there and committed. */
  public Optional<String> readText(String name) {
    try {
      return Optional.of(files.readString(file(name)));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file(name) + ": " + e.getMessage(), e);
    }
  }

  public boolean has(String name) {
    return files.exists(file(name));
  }

  // ---- metrics ----

  /** {@code metrics.jsonl}/{@code metrics.csv} started empty. */
  public MetricsWriter createMetrics() {
    return MetricsWriter.create(files, dir);
  }

  /** The metrics of a run resumed after round {@code lastRound}: later rows are dropped. */
  public MetricsWriter resumeMetrics(int lastRound) {
    return MetricsWriter.resume(files, dir, lastRound);
  }

  /** Whether any round's metrics are committed (the run finished, or was killed after a round). */
  public boolean hasMetrics() {
    return JsonLinesTable.exists(files, dir, MetricsWriter.NAME);
  }

  /** The committed rounds' JSON lines, streamed (for the report). */
  public InputStream metricsLines() throws IOException {
    return JsonLinesTable.open(files, dir, MetricsWriter.NAME);
  }

  // ---- model and checkpoints ----

  public void writeModel(CommittedFiles.Content zip) {
    files.write(file(MODEL), zip);
  }

  /** @throws BadInputException when the run has no committed model.zip */
  public <T> T readModel(CommittedFiles.Reading<T> reading) {
    return read(file(MODEL), reading);
  }

  /** A checkpoint found in {@code checkpoints/}: its state, and its model to read. */
  public record Checkpoint(int epoch, JsonNode state, Path model) {}

  /**
   * Writes {@code checkpoints/epoch-NNNN/} with {@code model.zip} and {@code state.json}, replacing
   * one of the same epoch (a resumed run redoing it). On rename file systems the directory is
   * built aside and renamed in; on object stores {@code state.json} is committed last and a
   * checkpoint without it is ignored: either way a crash leaves a complete checkpoint or none.
   */
  public void writeCheckpoint(int epoch, JsonNode state, CommittedFiles.Content model) {
    Path target = new Path(file(CHECKPOINTS), String.format("epoch-%04d", epoch));
    Path staged = files.staging(target);
    try {
      files.write(new Path(staged, MODEL), model);
      files.writeString(new Path(staged, CHECKPOINT_STATE), JSON.writeValueAsString(state));
      files.publish(staged, target);
    } catch (IOException | RuntimeException e) {
      if (!staged.equals(target)) {
        files.deleteQuietly(staged);
      }
      throw e instanceof IOException io ? new UncheckedIOException("cannot write checkpoint " + target, io) : (RuntimeException) e;
    }
  }

  /** The complete checkpoint with the highest epoch, if any. */
  public Optional<Checkpoint> latestCheckpoint() {
    Path root = file(CHECKPOINTS);
    // Only a resumed run asks, holding the run's lock: no live writer is between the renames
    // of a checkpoint it replaces, so an aside copy is a kill's leftover to repair.
    files.recoverAsidesIn(root);
    List<Path> dirs = new ArrayList<>();
    try {
      for (FileStatus s : fs().listStatus(root)) {
        if (s.isDirectory() && CHECKPOINT.matcher(s.getPath().getName()).matches()
            && files.exists(new Path(s.getPath(), CHECKPOINT_STATE)) && files.exists(new Path(s.getPath(), MODEL))) {
          dirs.add(s.getPath());
        }
      }
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    Optional<Path> last = dirs.stream().max(Comparator.comparingInt(RunDirectory::epochOf));
    return last.map(d -> {
      Path stateFile = new Path(d, CHECKPOINT_STATE);
      String text;
      try {
        text = files.readString(stateFile);
      } catch (IOException e) {
        throw new BadInputException("checkpoint " + PathMessages.show(stateFile) + " cannot be read: " + e.getMessage(), e);
      }
      JsonNode state = parseObject(stateFile, text);
      for (String key : CHECKPOINT_KEYS) {
        if (!state.path(key).isNumber()) {
          throw new BadInputException("checkpoint " + PathMessages.show(stateFile) + " is damaged: no number '" + key
              + "'; delete " + PathMessages.show(d) + " to resume from the checkpoint before it");
        }
      }
      return new Checkpoint(epochOf(d), state, new Path(d, MODEL));
    });
  }

  /** Reads a checkpoint's model. */
  public <T> T readModel(Checkpoint checkpoint, CommittedFiles.Reading<T> reading) {
    return read(checkpoint.model(), reading);
  }

  // ---- report and search ----

  public Path writeReport(String html) {
    files.writeString(file(REPORT), html);
    return file(REPORT);
  }

  public void writeSearchIdentity(JsonNode identity) {
    writeJson(SEARCH, identity);
  }

  public Optional<JsonNode> searchIdentity() {
    return readJson(SEARCH);
  }

  /** {@code trials.jsonl}/{@code trials.csv}, continuing what a previous search left. */
  public JsonLinesTable reopenTrials() {
    return JsonLinesTable.reopen(files, dir, trialsName(), JsonLinesTable::flatten, row -> true);
  }

  /** The committed trials' JSON lines, streamed (for the report). */
  public InputStream trialsLines() throws IOException {
    return JsonLinesTable.open(files, dir, trialsName());
  }

  public boolean hasTrials() {
    return JsonLinesTable.exists(files, dir, trialsName());
  }

  public void writeBest(String yaml) {
    files.writeString(file(BEST), yaml);
  }

  /** A data-mode trial's run directory. */
  public RunDirectory trialRun(String name) {
    return new RunDirectory(files.storage(), new Path(file(RUNS), name));
  }

  // ----

  private static String trialsName() {
    return TRIALS.substring(0, TRIALS.length() - ".jsonl".length());
  }

  private void writeJson(String name, JsonNode node) {
    try {
      files.writeString(file(name), JSON.writeValueAsString(node) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<JsonNode> readJson(String name) {
    return readText(name).map(text -> parseObject(file(name), text));
  }

  /**
   * A JSON object from a file's text, or bad input naming the file: a file cut short (a full
   * disk, a copy killed half-way), emptied, or overwritten with something else.
   */
  static JsonNode parseObject(Path file, String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var at = e.getLocation();
      throw new BadInputException(PathMessages.show(file) + ": not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
          + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    } catch (IOException e) {
      throw new BadInputException(PathMessages.show(file) + ": cannot be read: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new BadInputException(PathMessages.show(file) + ": not a JSON object" + (text.isBlank() ? " (the file is empty)" : ""));
    }
    return node;
  }

  private <T> T read(Path f, CommittedFiles.Reading<T> reading) {
    try {
      return files.read(f, reading);
    } catch (FileNotFoundException e) {
      throw new BadInputException(f + " does not exist");
    } catch (IOException e) {
      throw new BadInputException(f + " cannot be read: " + e.getMessage(), e);
    }
  }

  private FileSystem fs() {
    return files.storage().fileSystem(dir);
  }

  private static int epochOf(Path p) {
    Matcher m = CHECKPOINT.matcher(p.getName());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
