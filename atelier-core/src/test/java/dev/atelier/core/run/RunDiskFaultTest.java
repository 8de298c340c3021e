package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on the coordinator's own disk: the write of round 2's checkpoint fails because a
 * non-empty directory sits where the file must go (the atomic rename cannot replace it; this works
 * as root too, unlike a read-only folder). A transient fault is retried and the run completes; a
 * lasting one stops the run with one line naming the file and the round a restart resumes from,
 * and leaves the previous checkpoint and no temp files behind.
 */
class RunDiskFaultTest {
    @TempDir
    Path tmp;

    private final List<String> failures = new ArrayList<>();

    @Test
    void aCheckpointWriteThatFailsTwiceIsRetriedAndTheRunCompletes() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("transient"));
        Path blocker = blockCheckpoint(dir, 2);
        RunListener heal = new RunListener() {
            @Override
            public void onPersistFailed(int round, String file, int attempt, int attempts, IOException cause) {
                failures.add(round + ":" + attempt + "/" + attempts + ":"
                        + Path.of(file).getFileName());
                if (attempt == 2) {
                    deleteTree(blocker); // the disk recovers before the third attempt
                }
            }
        };

        Run.Result r = run(dir, heal);

        assertThat(failures).containsExactly("2:1/4:round-0002.safetensors", "2:2/4:round-0002.safetensors");
        assertThat(r.rounds()).hasSize(3);
        for (int round = 1; round <= 3; round++) {
            assertThat(Files.isRegularFile(dir.checkpoint(round)))
                    .as("round %d", round)
                    .isTrue();
        }
        assertThat(Safetensors.read(dir.checkpoint(3)).get("layer.w").toFloats())
                .containsExactly(r.global().get("layer.w").toFloats());
        assertThat(dir.readMetrics()).hasSize(3);
        assertThat(partialFiles(dir)).isEmpty();
    }

    @Test
    void aLastingCheckpointFaultStopsTheRunNamingTheFileAndKeepsThePreviousCheckpoint() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("lasting"));
        Path blocker = blockCheckpoint(dir, 2);
        List<byte[]> round1 = new ArrayList<>();
        RunListener record = new RunListener() {
            @Override
            public void onRoundStart(int round, int totalRounds) {
                if (round == 2) {
                    try {
                        round1.add(Files.readAllBytes(dir.checkpoint(1)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void onPersistFailed(int round, String file, int attempt, int attempts, IOException cause) {
                failures.add(round + ":" + attempt);
            }
        };

        assertThatThrownBy(() -> run(dir, record))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("round-0002.safetensors")
                .hasMessageContaining("after 4 attempts")
                .hasMessageContaining("resumes after round 1")
                .hasMessageNotContaining("\n");

        assertThat(failures).containsExactly("2:1", "2:2", "2:3", "2:4");
        assertThat(Files.readAllBytes(dir.checkpoint(1))).isEqualTo(round1.get(0));
        assertThat(partialFiles(dir)).isEmpty();
        // once the operator has fixed the disk, the resume point is round 1's checkpoint
        deleteTree(blocker);
        var latest = dir.latestCheckpoint().orElseThrow();
        assertThat(latest.getKey()).isEqualTo(1);
        ParamSet expected = Safetensors.decode(round1.get(0)).params();
        assertThat(latest.getValue().get("layer.w").toFloats())
                .containsExactly(expected.get("layer.w").toFloats());
    }

    private static Run.Result run(RunDirectory dir, RunListener listener) throws Exception {
        List<Node> nodes = List.of(new Node("a", Workloads.shift(1, 10)), new Node("b", Workloads.shift(3, 30)));
        return Run.builder()
                .setConfig(RunConfig.of("disk", 3, 7))
                .setStrategy(new FedAvg(Sampling.all(2), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(Params.small())
                .optDirectory(dir)
                .optListener(listener)
                .optDiskRetryBackoff(Duration.ofMillis(10))
                .build()
                .execute();
    }

    /** A non-empty directory where round {@code round}'s checkpoint file must be renamed to. */
    private static Path blockCheckpoint(RunDirectory dir, int round) throws IOException {
        Path blocker = dir.checkpoint(round);
        Files.createDirectories(blocker);
        Files.writeString(blocker.resolve("keep"), "x");
        return blocker;
    }

    private static List<Path> partialFiles(RunDirectory dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir.path())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".partial"))
                    .toList();
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
