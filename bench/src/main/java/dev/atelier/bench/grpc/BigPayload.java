package dev.atelier.bench.grpc;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a large float32 safetensors file without ever holding it on the heap: every tensor
 * wraps one direct buffer of pseudo-random floats, streamed to disk.
 * Reading it back memory-maps it.
 */
final class BigPayload {
    private BigPayload() {}

    /**
     * @param totalBytes approximate payload size in bytes (rounded to whole tensors)
     * @param tensorBytes bytes per tensor (under 2 GiB)
     */
    static Path create(Path file, long totalBytes, int tensorBytes) throws IOException {
        int tensors = (int) Math.max(1, totalBytes / tensorBytes);
        if (Files.exists(file) && Files.size(file) > (long) tensors * tensorBytes) {
            return file;
        }
        ByteBuffer data = ByteBuffer.allocateDirect(tensorBytes).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom rng = new SplittableRandom(42);
        while (data.remaining() >= 4) {
            data.putFloat((float) rng.nextGaussian() * 0.05f);
        }
        data.flip();
        ParamSet.Builder b = ParamSet.builder();
        long elements = tensorBytes / 4;
        for (int i = 0; i < tensors; i++) {
            // every tensor wraps the same buffer: nothing on the path compresses or deduplicates
            b.put(
                    String.format("block%02d.weight", i),
                    Tensor.of(DType.F32, new long[] {elements / 1024, 1024}, data.duplicate()));
        }
        Safetensors.write(b.build(), Map.of("purpose", "atelier grpc bench"), file);
        return file;
    }
}
