package io.sitter.prep;

import org.apache.hadoop.fs.Path;

/** What {@link PrepJob#run} wrote: the directory, the fitted transform, and the row count of each split. */
public record PrepResult(Path dir, FittedNormalizer normalizer, long trainCount, long valCount, long testCount) {}
