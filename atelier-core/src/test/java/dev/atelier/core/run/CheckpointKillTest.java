package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@code Safetensors.write} (through {@link RunDirectory#writeCheckpoint}) is atomic: a
 * child JVM overwrites a complete 64 MiB checkpoint in a loop and is SIGKILLed at random moments;
 * after every kill the checkpoint decodes completely to exactly the last reported generation or the
 * one being written, and a resume finds it and removes the leftover {@code .partial} temp files.
 */
class CheckpointKillTest {
    private static final int MEGABYTES = 64;
    private static final int KILLS = 5;

    @TempDir
    Path tmp;

    @Test
    void aCheckpointKilledMidWriteIsTheOldOrTheNewOneNeverTorn() throws Exception {
        RunDirectory dir = new RunDirectory(tmp);
        dir.writeCheckpoint("kill", 1, CheckpointWriterChild.generation(0, MEGABYTES));
        Random random = new Random(42);
        int expectedMin = 0;
        long writeMillis = 2000;
        for (int k = 1; k <= KILLS; k++) {
            int first = k * 1000;
            Process child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx320m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CheckpointWriterChild.class.getName(),
                            tmp.toString(),
                            Integer.toString(first),
                            Integer.toString(MEGABYTES))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            AtomicInteger lastWritten = new AtomicInteger(-1);
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> readWrites(child, lastWritten));
            long start = System.nanoTime();
            // The first write may be in progress or done when the kill lands; later ones are mid-loop.
            long killAt = (long) (random.nextDouble() * writeMillis * (1 + k % 3));
            Thread.sleep(killAt);
            assertThat(child.isAlive()).as("child still writing").isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.get(30, TimeUnit.SECONDS);
            int reported = lastWritten.get();
            if (reported >= first) {
                writeMillis = Math.max(200, (System.nanoTime() - start) / 1_000_000 / (reported - first + 2));
            }

            int onDisk = generationOnDisk(dir.checkpoint(1));
            int lastComplete = reported >= first ? reported : expectedMin;
            assertThat(onDisk)
                    .as("kill %d after %d ms, child reported %d", k, killAt, reported)
                    .isIn(lastComplete, reported >= first ? reported + 1 : first);
            var resumed = dir.latestCheckpoint().orElseThrow();
            assertThat(partials())
                    .as("the resume removes interrupted writes' temp files")
                    .isEmpty();
            assertThat(resumed.getKey()).isEqualTo(1);
            assertThat(resumed.getValue()).isEqualTo(CheckpointWriterChild.generation(onDisk, MEGABYTES));
            expectedMin = onDisk;
        }
    }

    /** The single generation the checkpoint holds; fails if it is torn, truncated or mixed. */
    private static int generationOnDisk(Path file) throws Exception {
        ParamSet p = Safetensors.read(file);
        assertThat(p.names()).containsExactly("w");
        FloatBuffer f = p.get("w").data().asFloatBuffer();
        assertThat(f.remaining()).isEqualTo(MEGABYTES * (1 << 18));
        float gen = f.get(0);
        for (int i = 0; i < f.limit(); i++) {
            if (f.get(i) != gen) {
                throw new AssertionError("checkpoint mixes generations " + gen + " and " + f.get(i) + " at " + i);
            }
        }
        return (int) gen;
    }

    private static void readWrites(Process child, AtomicInteger lastWritten) {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("wrote ")) {
                    lastWritten.set(Integer.parseInt(line.substring(6)));
                }
            }
        } catch (java.io.IOException e) {
            // The stream closes when the child is killed.
        }
    }

    private List<Path> partials() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("checkpoints"))) {
            return new ArrayList<>(
                    s.filter(p -> p.toString().endsWith(".partial")).toList());
        }
    }
}
