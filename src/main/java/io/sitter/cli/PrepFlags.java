package io.sitter.cli;

import io.sitter.data.InputSpec;
import io.sitter.prep.NormalizationMode;
import io.sitter.prep.PrepOptions;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The preprocessing flags, shared by {@code sitter prep}, {@code sitter train --input} and {@code
 * sitter run}: the input flags plus {@code --split --seed --no-stratify --mode --scale}.
 */
public final class PrepFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Mixin InputFlags input;

  @Option(names = "--split", paramLabel = "TRAIN,VAL,TEST", split = ",", defaultValue = "0.8,0.1,0.1",
      description = "Split fractions (default: ${DEFAULT-VALUE}); with an input test set (IDX directory) the test fraction is 0.")
  List<Double> split;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Split seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--no-stratify", description = "Split without keeping each class's proportion in every split.")
  boolean noStratify;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "standardize", converter = ModeConverter.class,
      description = "none|center|standardize|pixel-mean, fitted on the training split (default: ${DEFAULT-VALUE}).")
  NormalizationMode mode;

  @Option(names = "--scale", paramLabel = "X", defaultValue = "1", converter = ScaleConverter.class,
      description = "Multiply every value by X first, e.g. 1/255 (default: ${DEFAULT-VALUE}).")
  double scale;

  public InputSpec toInputSpec() {
    return input.toInputSpec();
  }

  /** The options for {@code PrepJob.run}; bad values become usage errors naming the flag (exit 2). */
  public PrepOptions toPrepOptions(org.apache.hadoop.fs.Path out, boolean overwrite) {
    try {
      return new PrepOptions(toInputSpec(), split, seed, !noStratify, mode, scale, out, overwrite);
    } catch (IllegalArgumentException e) {
      String flag = e.getMessage().startsWith("scale") ? "--scale" : "--split";
      throw new CommandLine.ParameterException(mixee.commandLine(), flag + ": " + e.getMessage());
    }
  }

  static final class ModeConverter implements CommandLine.ITypeConverter<NormalizationMode> {
    @Override
    public NormalizationMode convert(String value) {
      try {
        return NormalizationMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** A number or a fraction {@code A/B} ({@code 1/255}). */
  static final class ScaleConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        int slash = value.indexOf('/');
        double v = slash < 0
            ? Double.parseDouble(value.trim())
            : Double.parseDouble(value.substring(0, slash).trim()) / Double.parseDouble(value.substring(slash + 1).trim());
        if (!(Double.isFinite(v) && v > 0)) {
          throw new CommandLine.TypeConversionException("'" + value + "' must be a finite number > 0");
        }
        return v;
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a number or a fraction like 1/255");
      }
    }
  }
}
