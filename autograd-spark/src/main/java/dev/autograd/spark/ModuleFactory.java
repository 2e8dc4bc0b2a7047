package dev.autograd.spark;

import dev.autograd.nn.Module;
import java.io.Serializable;

/**
 * Builds the model's architecture: each Spark task builds its own copy once per executor and then
 * loads the driver's weights into it. Serializable, so a lambda works from Java ({@code () -> new
 * Sequential(...)}) and Kotlin ({@code ModuleFactory { Sequential(...) }}).
 */
@FunctionalInterface
public interface ModuleFactory extends Serializable {
  /** A new, freshly initialised model of the architecture being trained. */
  Module create();
}
