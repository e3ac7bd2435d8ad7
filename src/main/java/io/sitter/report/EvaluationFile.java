package io.sitter.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code evaluation.json} (docs/formats.md); {@code confusion[actual][predicted]}. */
record EvaluationFile(
    long count, Double accuracy, Double loss, List<String> classes, List<PerClass> perClass, List<List<Long>> confusion) {
  EvaluationFile {
    classes = classes == null ? List.of() : List.copyOf(classes);
    perClass = perClass == null ? List.of() : List.copyOf(perClass);
    confusion = confusion == null ? List.of() : confusion.stream().map(List::copyOf).toList();
  }

  record PerClass(
      @JsonProperty("class") String name, Double precision, Double recall, Double f1, long support) {}
}
