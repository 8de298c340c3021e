package dev.atelier.core.run;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Child JVM for {@link CheckpointKillTest}: overwrites round 1's checkpoint of a run directory
 * again and again with generation {@code first}, {@code first + 1}, … and prints {@code wrote N}
 * after each write returned, until killed.
 *
 * <p>Arguments: run directory, first generation, megabytes per checkpoint.
 */
final class CheckpointWriterChild {
    private CheckpointWriterChild() {}

    public static void main(String[] args) throws Exception {
        RunDirectory dir = new RunDirectory(Path.of(args[0]));
        int first = Integer.parseInt(args[1]);
        int megabytes = Integer.parseInt(args[2]);
        for (int gen = first; ; gen++) {
            dir.writeCheckpoint("kill", 1, generation(gen, megabytes));
            System.out.println("wrote " + gen);
            System.out.flush();
        }
    }

    /** The checkpoint content of one generation: one float32 tensor of {@code megabytes} MiB, all equal to {@code gen}. */
    static ParamSet generation(int gen, int megabytes) {
        int floats = megabytes * (1 << 18);
        ByteBuffer buf = ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < floats; i++) {
            buf.putFloat(gen);
        }
        buf.flip();
        return ParamSet.of(Map.of("w", Tensor.of(DType.F32, new long[] {floats}, buf)));
    }
}
