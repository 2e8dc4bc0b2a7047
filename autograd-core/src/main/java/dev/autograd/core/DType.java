package dev.autograd.core;

/** Element types of a tensor. FLOAT32 is the default for floating-point data, as in PyTorch. */
public enum DType {
  /** 32-bit IEEE float ({@code torch.float32}), the default for floating-point data. */
  FLOAT32("torch.float32", true, 4),
  /** 64-bit IEEE float ({@code torch.float64}); what gradient checks and golden tests use. */
  FLOAT64("torch.float64", true, 8),
  /** 64-bit signed integer ({@code torch.int64}): class indices, {@code argmax} results, counts. */
  INT64("torch.int64", false, 8),
  /** Boolean ({@code torch.bool}): results of comparisons and masks. */
  BOOL("torch.bool", false, 1);

  private final String torchName;
  private final boolean floating;
  private final int byteSize;

  DType(String torchName, boolean floating, int byteSize) {
    this.torchName = torchName;
    this.floating = floating;
    this.byteSize = byteSize;
  }

  /** True for FLOAT32 and FLOAT64: the only dtypes that can require gradients. */
  public boolean isFloatingPoint() {
    return floating;
  }

  /** Bytes per element (1 for BOOL). */
  public int byteSize() {
    return byteSize;
  }

  /** PyTorch's spelling, e.g. {@code torch.float64}, used in messages and {@code toString()}. */
  public String torchName() {
    return torchName;
  }

  /** The dtype of a binary op's result: the wider of the two, floating point above integers. */
  public static DType promote(DType a, DType b) {
    if (a == b) return a;
    if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
    if (a == FLOAT32 || b == FLOAT32) return FLOAT32;
    return INT64; // INT64 with BOOL
  }
}
