package io.sitter.config;

import java.io.Serializable;

/** The whole effective configuration of a run: {@code conf/default.yaml} with the user's merged over it. */
public record SitterConfig(ModelConfig model, TrainConfig train, BabysitConfig babysit) implements Serializable {
  public SitterConfig {
    Check.present("model", model);
    Check.present("train", train);
    Check.present("babysit", babysit);
  }
}
