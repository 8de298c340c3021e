package dev.atelier.transport.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.transport.proto.Chunk;
import dev.atelier.transport.proto.PayloadEnd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Hostile chunk sequences against {@link StagedPayload} (what an upload or a download stream feeds
 * it, frame by frame): a valid {@link PayloadFile}/{@link ChunkSource} sequence with one hostile
 * change must be refused with a {@link PayloadException}, within a bounded time, and leave no
 * staged file. Regression cases live in {@code src/test/resources/fuzz/upload-frames.txt}.
 */
class UploadFramingFuzzTest {
    /** Values at the unsigned/signed extremes of the uint64 offset and size fields. */
    private static final long[] EXTREMES = {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL, 0x8000_0000L};

    /** One hostile change; {@code index} picks a chunk (modulo the count), {@code value} a variant. */
    enum Op {
        SWAP_WITH_NEXT,
        DUPLICATE,
        DROP,
        FLIP_DATA_BYTE,
        FLIP_DATA_BYTE_AND_RESIGN,
        FLIP_SHA_BYTE,
        TRUNCATE_SHA,
        TRUNCATE_DATA,
        APPEND_DATA_AND_RESIGN,
        OFFSET,
        INSERT_EMPTY,
        ANNOUNCED_SIZE,
        END_TOTAL,
        END_SHA
    }

    record Case(Op op, int elements, int chunkBytes, int index, int value) {
        static Case parse(String line) {
            String[] f = line.trim().split("\\s+");
            return new Case(
                    Op.valueOf(f[0]),
                    Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]));
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                        Arbitraries.of(Op.class),
                        Arbitraries.integers().between(1, 3000),
                        Arbitraries.integers().between(7, 5000),
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 1000))
                .as(Case::new);
    }

    @Property(tries = 200)
    void everyHostileSequenceIsRefusedQuicklyAndLeavesNoFile(@ForAll("cases") Case c) throws Exception {
        refused(c);
    }

    @Test
    void committedRegressionCasesAreRefused() throws Exception {
        String text = new String(
                Objects.requireNonNull(getClass().getResourceAsStream("/fuzz/upload-frames.txt"))
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        List<Case> cases = text.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(Case::parse)
                .toList();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(Op.values().length);
        assertThat(cases.stream().map(Case::op).distinct()).containsExactlyInAnyOrder(Op.values());
        for (Case c : cases) {
            refused(c);
        }
    }

    @Test
    void theUnchangedSequenceCommitsAndANegativeAnnouncedSizeCreatesNoFile() throws Exception {
        Path dir = Files.createTempDirectory("framing");
        ParamSet p = model(1000, 7);
        try (PayloadFile pf = PayloadFile.encode(p, dir, 333);
                StagedPayload s = new StagedPayload(dir.resolve("staging"), pf.size())) {
            for (Chunk ch : chunks(pf)) {
                s.accept(ch);
            }
            assertThat(Safetensors.read(s.commit(end(pf)))).isEqualTo(p);
        }
        for (long size : new long[] {-1L, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> new StagedPayload(dir.resolve("neg"), size))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("negative payload size " + size);
        }
        assertThat(stagedFiles(dir.resolve("neg"))).isZero();
    }

    private static void refused(Case c) throws Exception {
        Path dir = Files.createTempDirectory("framing");
        Path staging = dir.resolve("staging");
        try (PayloadFile pf = PayloadFile.encode(model(c.elements(), c.elements()), dir, c.chunkBytes())) {
            List<Chunk> cs = new ArrayList<>(chunks(pf));
            long announced = pf.size();
            PayloadEnd end = end(pf);
            int i = Math.floorMod(c.index(), cs.size());
            Chunk at = cs.get(i);
            byte[] data = at.getData().toByteArray();
            int pos = Math.floorMod(c.value(), data.length);
            switch (c.op()) {
                case SWAP_WITH_NEXT -> {
                    if (cs.size() == 1) {
                        cs.add(at); // nothing to swap with: a duplicate instead
                    } else {
                        int j = (i + 1) % cs.size();
                        cs.set(i, cs.get(j));
                        cs.set(j, at);
                    }
                }
                case DUPLICATE -> cs.add(i + 1, at);
                case DROP -> cs.remove(i);
                case FLIP_DATA_BYTE -> {
                    data[pos] ^= (byte) (1 << (c.value() % 8));
                    cs.set(i, at.toBuilder().setData(ByteString.copyFrom(data)).build());
                }
                case FLIP_DATA_BYTE_AND_RESIGN -> {
                    data[pos] ^= (byte) (1 << (c.value() % 8));
                    cs.set(i, signed(at.getOffset(), data));
                }
                case FLIP_SHA_BYTE -> {
                    byte[] sha = at.getSha256().toByteArray();
                    sha[c.value() % sha.length] ^= 1;
                    cs.set(i, at.toBuilder().setSha256(ByteString.copyFrom(sha)).build());
                }
                case TRUNCATE_SHA ->
                    cs.set(
                            i,
                            at.toBuilder()
                                    .setSha256(at.getSha256().substring(0, c.value() % 32))
                                    .build());
                case TRUNCATE_DATA -> cs.set(i, signed(at.getOffset(), java.util.Arrays.copyOf(data, pos)));
                case APPEND_DATA_AND_RESIGN ->
                    cs.set(i, signed(at.getOffset(), java.util.Arrays.copyOf(data, data.length + 1 + c.value())));
                case OFFSET -> {
                    long o = c.value() % 3 == 0
                            ? EXTREMES[c.value() % EXTREMES.length]
                            : at.getOffset() + (c.value() % 2 == 0 ? 1 : -1);
                    cs.set(i, at.toBuilder().setOffset(o).build());
                }
                case INSERT_EMPTY -> cs.add(i, signed(at.getOffset(), new byte[0]));
                case ANNOUNCED_SIZE ->
                    announced = c.value() % 3 == 0 ? Long.MAX_VALUE : pf.size() + (c.value() % 2 == 0 ? 1 : -1);
                case END_TOTAL ->
                    end = end.toBuilder()
                            .setTotalBytes(c.value() % 2 == 0 ? EXTREMES[c.value() % EXTREMES.length] : pf.size() + 1)
                            .build();
                case END_SHA ->
                    end = end.toBuilder()
                            .setSha256(c.value() % 2 == 0 ? ByteString.EMPTY : ByteString.copyFrom(new byte[32]))
                            .build();
            }
            long start = System.nanoTime();
            PayloadEnd closing = end;
            try (StagedPayload s = new StagedPayload(staging, announced)) {
                assertThatThrownBy(() -> {
                            for (Chunk ch : cs) {
                                s.accept(ch);
                            }
                            s.commit(closing);
                        })
                        .as("%s", c)
                        .isInstanceOf(PayloadException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            }
            assertThat((System.nanoTime() - start) / 1e9)
                    .as("seconds for %s", c)
                    .isLessThan(5);
            assertThat(stagedFiles(staging)).as("staged files left by %s", c).isZero();
        }
    }

    /**
     * Jazzer: frames straight from the fuzzer (announced size, offsets, data, per-chunk and end
     * SHA-256, each either made consistent or left to the fuzzer). Oracle: a one-line
     * {@link PayloadException} (or {@link IllegalArgumentException} for a negative announced size,
     * before any file exists), or a commit whose file holds exactly the announced bytes with the
     * end frame's SHA-256; no staged file is left either way. Inputs committed under
     * {@code UploadFramingFuzzTestInputs/framesFromTheFuzzer}.
     */
    @FuzzTest(maxDuration = "2m")
    void framesFromTheFuzzer(FuzzedDataProvider d) throws Exception {
        Path dir = Files.createTempDirectory("framing-jazzer");
        Path staging = dir.resolve("staging");
        long announced = d.consumeBoolean() ? d.consumeLong() : d.consumeLong(0, 2048);
        if (announced < 0) {
            assertThatThrownBy(() -> new StagedPayload(staging, announced))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(stagedFiles(staging)).isZero();
            return;
        }
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        Path committed = null;
        try (StagedPayload s = new StagedPayload(staging, announced)) {
            try {
                int frames = d.consumeInt(0, 8);
                for (int k = 0; k < frames; k++) {
                    long offset = d.consumeBoolean() ? sent.size() : d.consumeLong();
                    byte[] data = d.consumeBytes(d.consumeInt(0, 600));
                    Chunk c = d.consumeBoolean()
                            ? signed(offset, data)
                            : Chunk.newBuilder()
                                    .setOffset(offset)
                                    .setData(ByteString.copyFrom(data))
                                    .setSha256(ByteString.copyFrom(d.consumeBytes(d.consumeInt(0, 40))))
                                    .build();
                    s.accept(c);
                    sent.writeBytes(data);
                }
                PayloadEnd end = PayloadEnd.newBuilder()
                        .setTotalBytes(d.consumeBoolean() ? sent.size() : d.consumeLong())
                        .setSha256(ByteString.copyFrom(
                                d.consumeBoolean() ? Sha256.of(sent.toByteArray()) : d.consumeBytes(40)))
                        .build();
                committed = s.commit(end);
                byte[] got = Files.readAllBytes(committed);
                assertThat(got.length).isEqualTo(announced).isEqualTo(end.getTotalBytes());
                assertThat(Sha256.of(got)).isEqualTo(end.getSha256().toByteArray());
            } catch (PayloadException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            }
        } finally {
            if (committed != null) {
                Files.deleteIfExists(committed);
            }
        }
        assertThat(stagedFiles(staging)).isZero();
    }

    private static Chunk signed(long offset, byte[] data) {
        return Chunk.newBuilder()
                .setOffset(offset)
                .setData(ByteString.copyFrom(data))
                .setSha256(ByteString.copyFrom(Sha256.of(data)))
                .build();
    }

    private static ParamSet model(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return ParamSet.builder().putF32("w", new long[] {n}, v).build();
    }

    private static List<Chunk> chunks(PayloadFile pf) throws Exception {
        List<Chunk> out = new ArrayList<>();
        try (ChunkSource src = new ChunkSource(pf)) {
            while (src.hasMoreChunks()) {
                out.add(src.nextChunk());
            }
        }
        return out;
    }

    private static PayloadEnd end(PayloadFile pf) {
        return PayloadEnd.newBuilder()
                .setTotalBytes(pf.size())
                .setSha256(ByteString.copyFrom(pf.sha256()))
                .build();
    }

    private static long stagedFiles(Path staging) throws Exception {
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(staging)) {
            return s.count();
        }
    }
}
