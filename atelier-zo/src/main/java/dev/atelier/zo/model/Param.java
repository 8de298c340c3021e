package dev.atelier.zo.model;

import java.util.Arrays;

/**
 * One named parameter tensor of a loaded model, under its checkpoint name and in its checkpoint
 * layout (GPT-2's Conv1D weights stay [in, out]). {@code values} is the live float32 storage the
 * forward pass reads: code that perturbs or updates parameters in place (zeroth-order training)
 * writes here. Not thread-safe while written.
 */
public record Param(String name, int[] shape, float[] values) {
    public Param {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(
                    name + ": shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
