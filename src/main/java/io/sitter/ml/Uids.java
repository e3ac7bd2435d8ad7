package io.sitter.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Hands a uid to a Java Params object before its Scala superclass's constructor asks for it.
 *
 * <p>SPARK-15605: the Scala traits of Spark ML's Predictor (HasFeaturesCol, HasLabelCol, ...)
 * create their params inside the superclass constructor, and each {@code new Param(this, ...)}
 * calls {@code uid()} then. Spark's own Scala classes take {@code override val uid} as a constructor
 * parameter, which Scala assigns before the superclass constructor runs; a Java field is assigned
 * only after it, so a plain {@code uid()} getter returns null there and every inherited param
 * belongs to "null" (and {@code set(featuresCol, ...)} fails with "Param null__featuresCol does not
 * belong to ..."). Spark's {@code JavaTestParams} pattern (assign {@code _uid} in the constructor,
 * create params in {@code _init()}) covers only a class's own params, because it extends
 * {@code JavaParams}, which has none. So {@code uid()} is lazy: the public constructor puts its uid
 * here while evaluating the arguments of {@code this(...)} (which Java runs before {@code super()}),
 * and the first {@code uid()} call, inside the superclass constructor, takes it.
 */
final class Uids {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private Uids() {}

  /** Remembers {@code uid} for the constructor about to run on this thread; returns it. */
  static String offer(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("uid must not be empty");
    }
    PENDING.set(uid);
    return uid;
  }

  /** The offered uid (once), or a new random one with {@code prefix}. */
  static String take(String prefix) {
    String uid = PENDING.get();
    PENDING.remove();
    return uid != null ? uid : random(prefix);
  }

  static String random(String prefix) {
    return Identifiable$.MODULE$.randomUID(prefix);
  }
}
