package dev.atelier.core.params;

/**
 * Element types Atelier reads and writes, named as in the safetensors header.
 * Floating-point types are widened to {@code float} when read as numbers.
 */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    I32(4),
    I64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Parses a safetensors dtype string; unknown types fail with the supported list. */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unsupported tensor dtype '" + name + "' (supported: F32, F16, BF16, I32, I64)");
    }
}
