package dev.autograd.core.ops;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The whole op table: every entry of every family file, for tools (tracers, renderers, tests). */
public final class OpTable {
  private OpTable() {}

  /**
   * The family files, each a class whose public static final {@link OpDef} fields are its entries.
   */
  static final List<Class<?>> FAMILIES =
      List.of(
          ElementwiseOps.class,
          BackwardOps.class,
          Reductions.class,
          Statistics.class,
          Scans.class,
          Softmax.class,
          Sorting.class,
          Movement.class,
          ViewGrads.class,
          Reorder.class,
          Indexing.class,
          AdvancedIndexing.class,
          Matmul.class,
          Linear.class,
          Embedding.class,
          Convolution.class,
          Losses.class);

  private static volatile List<OpDef<?>> all;

  /** Every entry, in family order and declaration order within a family. */
  public static List<OpDef<?>> all() {
    List<OpDef<?>> entries = all;
    if (entries == null) all = entries = Collections.unmodifiableList(collect());
    return entries;
  }

  /**
   * The name of the constant that holds {@code def} ({@code "ElementwiseOps.DIV"}), or its node
   * name.
   */
  public static String constantName(OpDef<?> def) {
    for (Class<?> family : FAMILIES) {
      for (Field f : family.getFields()) {
        if (isEntry(f) && read(f) == def) return family.getSimpleName() + "." + f.getName();
      }
    }
    return def.nodeName();
  }

  private static List<OpDef<?>> collect() {
    List<OpDef<?>> out = new ArrayList<>();
    for (Class<?> family : FAMILIES) {
      for (Field f : family.getFields()) if (isEntry(f)) out.add(read(f));
    }
    return out;
  }

  private static boolean isEntry(Field f) {
    int m = f.getModifiers();
    return Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == OpDef.class;
  }

  private static OpDef<?> read(Field f) {
    try {
      return (OpDef<?>) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("op table entry " + f + " is not readable", e);
    }
  }
}
