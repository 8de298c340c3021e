package dev.atelier.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorTest {
    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void decodesF16BitPatterns() {
        // 1.0, -2.0, max normal 65504, smallest subnormal 2^-24, +inf, NaN
        short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00};
        ByteBuffer b = le(bits.length * 2);
        for (short s : bits) {
            b.putShort(s);
        }
        float[] v = Tensor.of(DType.F16, new long[] {6}, b.flip()).toFloats();
        assertThat(v[0]).isEqualTo(1.0f);
        assertThat(v[1]).isEqualTo(-2.0f);
        assertThat(v[2]).isEqualTo(65504f);
        assertThat(v[3]).isEqualTo((float) Math.pow(2, -24));
        assertThat(v[4]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(v[5]).isNaN();
    }

    @Test
    void decodesBF16BitPatterns() {
        // 1.0, -3.0, 3.140625 (pi truncated to 8 mantissa bits), -0.0
        short[] bits = {0x3F80, (short) 0xC040, 0x4049, (short) 0x8000};
        ByteBuffer b = le(8);
        for (short s : bits) {
            b.putShort(s);
        }
        float[] v = Tensor.of(DType.BF16, new long[] {2, 2}, b.flip()).toFloats();
        assertThat(v).containsExactly(1.0f, -3.0f, 3.140625f, -0.0f);
        assertThat(Float.floatToRawIntBits(v[3])).isEqualTo(0x80000000);
    }

    @Test
    void decodesLittleEndianIntegers() {
        ByteBuffer i32 =
                le(12).putInt(-1).putInt(Integer.MIN_VALUE).putInt(0x01020304).flip();
        assertThat(i32.get(8)).isEqualTo((byte) 0x04); // least significant byte first
        Tensor t = Tensor.of(DType.I32, new long[] {3}, i32);
        assertThat(t.toLongs()).containsExactly(-1L, Integer.MIN_VALUE, 0x01020304L);
        assertThat(t.toFloats()).containsExactly(-1f, (float) Integer.MIN_VALUE, (float) 0x01020304);

        Tensor i64 = Tensor.of(
                DType.I64,
                new long[] {2},
                le(16).putLong(Long.MAX_VALUE).putLong(1L << 40).flip());
        assertThat(i64.toLongs()).containsExactly(Long.MAX_VALUE, 1L << 40);
        assertThat(i64.toFloats()[1]).isEqualTo((float) (1L << 40));
    }

    @Test
    void toLongsRefusesFloatingTensors() {
        assertThatThrownBy(() -> Tensor.zeros(2).toLongs())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("F32");
    }

    @Test
    void sizeMismatchNamesShapeDtypeAndBytes() {
        assertThatThrownBy(() -> Tensor.of(DType.F16, new long[] {2, 3}, le(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]")
                .hasMessageContaining("F16")
                .hasMessageContaining("12")
                .hasMessageContaining("10");
        assertThatThrownBy(() -> Tensor.f32(new long[] {4}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 16 bytes, got 12");
    }

    @Test
    void negativeOrOverflowingShapesAreRejected() {
        assertThatThrownBy(() -> Tensor.zeros(2, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Tensor.of(DType.F32, new long[] {1L << 40, 1L << 40}, le(0)))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void scalarAndEmptyShapes() {
        Tensor scalar = Tensor.f32(new long[] {}, new float[] {7f});
        assertThat(scalar.numElements()).isEqualTo(1);
        assertThat(scalar.toFloats()).containsExactly(7f);
        Tensor empty = Tensor.zeros(0, 5);
        assertThat(empty.numElements()).isZero();
        assertThat(empty.byteSize()).isZero();
    }

    @Test
    void isImmutable() {
        float[] src = {1, 2};
        long[] shape = {2};
        Tensor t = Tensor.f32(shape, src);
        src[0] = 99;
        shape[0] = 5;
        t.shape()[0] = 7;
        assertThat(t.toFloats()).containsExactly(1f, 2f);
        assertThat(t.shape()).containsExactly(2L);
        assertThat(t.data().isReadOnly()).isTrue();
        ByteBuffer view = t.data();
        view.position(4);
        assertThat(t.data().position()).isZero();
    }

    @Test
    void equalityIsSpecAndBytes() {
        Tensor a = Tensor.f32(new long[] {2}, new float[] {1, 2});
        assertThat(a).isEqualTo(Tensor.f32(new long[] {2}, new float[] {1, 2}));
        assertThat(a.hashCode())
                .isEqualTo(Tensor.f32(new long[] {2}, new float[] {1, 2}).hashCode());
        assertThat(a).isNotEqualTo(Tensor.f32(new long[] {1, 2}, new float[] {1, 2}));
        assertThat(a).isNotEqualTo(Tensor.f32(new long[] {2}, new float[] {1, 3}));
        assertThat(a.sameSpec(Tensor.zeros(2))).isTrue();
        assertThat(a.sameSpec(Tensor.of(DType.I32, new long[] {2}, le(8)))).isFalse();
    }
}
