package dev.autograd.nn.io;

import dev.autograd.core.DType;

/**
 * Every dtype code the safetensors format defines, with its size in bits, so a header can be
 * validated in full even when a tensor's dtype is one this library cannot hold (such a tensor is an
 * error only when it is read).
 */
enum StDtype {
  BOOL(8, DType.BOOL),
  F4(4, null),
  F6_E2M3(6, null),
  F6_E3M2(6, null),
  U8(8, null),
  I8(8, null),
  F8_E5M2(8, null),
  F8_E4M3(8, null),
  F8_E8M0(8, null),
  I16(16, null),
  U16(16, null),
  F16(16, null),
  BF16(16, null),
  I32(32, null),
  U32(32, null),
  F32(32, DType.FLOAT32),
  C64(64, null),
  F64(64, DType.FLOAT64),
  I64(64, DType.INT64),
  U64(64, null);

  final int bits;

  /** Our dtype for this code, or null when the library has none. */
  final DType dtype;

  StDtype(int bits, DType dtype) {
    this.bits = bits;
    this.dtype = dtype;
  }

  /** The code for {@code name}, or null when the format has no such dtype. */
  static StDtype parse(String name) {
    for (StDtype d : values()) if (d.name().equals(name)) return d;
    return null;
  }

  /** The code written for one of our dtypes. */
  static StDtype of(DType d) {
    switch (d) {
      case FLOAT32:
        return F32;
      case FLOAT64:
        return F64;
      case INT64:
        return I64;
      case BOOL:
        return BOOL;
      default:
        throw new IllegalArgumentException("no safetensors dtype for " + d.torchName());
    }
  }

  /** The codes this library reads and writes. */
  static final String SUPPORTED = "F32, F64, I64, BOOL";
}
