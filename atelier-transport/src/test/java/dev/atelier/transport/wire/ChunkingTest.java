package dev.atelier.transport.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.transport.proto.Chunk;
import dev.atelier.transport.proto.PayloadEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkingTest {
    @TempDir
    Path tmp;

    private static ParamSet model(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return ParamSet.builder()
                .putF32("a.weight", new long[] {n}, v)
                .putF32("b.bias", new long[] {3}, new float[] {1, 2, 3})
                .build();
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

    @Test
    void payloadFileHoldsTheSafetensorsEncodingWithItsDigests() throws Exception {
        ParamSet p = model(10_000, 1);
        byte[] expected = Safetensors.encode(p);
        try (PayloadFile pf = PayloadFile.encode(p, tmp, 4096)) {
            assertThat(Files.readAllBytes(pf.path())).isEqualTo(expected);
            assertThat(pf.size()).isEqualTo(expected.length);
            assertThat(pf.sha256()).isEqualTo(Sha256.of(expected));
            assertThat(pf.chunkCount()).isEqualTo((expected.length + 4095) / 4096);
            List<Chunk> cs = chunks(pf);
            for (int i = 0; i < cs.size(); i++) {
                assertThat(cs.get(i).getOffset()).isEqualTo(4096L * i);
                assertThat(cs.get(i).getSha256().toByteArray())
                        .isEqualTo(Sha256.of(cs.get(i).getData().toByteArray()));
            }
        }
    }

    @Property(tries = 30)
    void anyChunkSizeRoundTrips(
            @ForAll @IntRange(min = 1, max = 5000) int elements, @ForAll @IntRange(min = 7, max = 9000) int chunk)
            throws Exception {
        Path dir = Files.createTempDirectory("chunking");
        ParamSet p = model(elements, elements);
        try (PayloadFile pf = PayloadFile.encode(p, dir, chunk);
                StagedPayload staged = new StagedPayload(dir.resolve("staging"), pf.size())) {
            for (Chunk c : chunks(pf)) {
                staged.accept(c);
            }
            Path committed = staged.commit(end(pf));
            assertThat(Safetensors.read(committed)).isEqualTo(p);
        }
    }

    @Test
    void corruptChunkIsRejectedAndAbortLeavesNoFile() throws Exception {
        try (PayloadFile pf = PayloadFile.encode(model(5000, 2), tmp, 4096)) {
            List<Chunk> cs = chunks(pf);
            StagedPayload staged = new StagedPayload(tmp.resolve("staging"), pf.size());
            staged.accept(cs.get(0));
            byte[] data = cs.get(1).getData().toByteArray();
            data[100] ^= 1;
            Chunk bad = cs.get(1).toBuilder().setData(ByteString.copyFrom(data)).build();
            assertThatThrownBy(() -> staged.accept(bad))
                    .isInstanceOf(PayloadException.class)
                    .hasMessageContaining("chunk 1")
                    .hasMessageContaining("SHA-256");
            staged.abort();
            try (Stream<Path> s = Files.list(tmp.resolve("staging"))) {
                assertThat(s.count()).isZero();
            }
        }
    }

    @Test
    void orderSizeAndCompletenessAreEnforced() throws Exception {
        try (PayloadFile pf = PayloadFile.encode(model(5000, 3), tmp, 4096)) {
            List<Chunk> cs = chunks(pf);
            try (StagedPayload s = new StagedPayload(tmp.resolve("s1"), pf.size())) {
                assertThatThrownBy(() -> s.accept(cs.get(1))).hasMessageContaining("out of order");
            }
            try (StagedPayload s = new StagedPayload(tmp.resolve("s2"), 5000)) {
                s.accept(cs.get(0));
                assertThatThrownBy(() -> s.accept(cs.get(1)))
                        .hasMessageContaining("exceeds its announced size of 5000");
            }
            try (StagedPayload s = new StagedPayload(tmp.resolve("s3"), pf.size())) {
                s.accept(cs.get(0));
                assertThatThrownBy(() -> s.commit(end(pf))).hasMessageContaining("incomplete");
            }
            try (StagedPayload s = new StagedPayload(tmp.resolve("s4"), pf.size())) {
                for (Chunk c : cs) {
                    s.accept(c);
                }
                PayloadEnd wrong = end(pf).toBuilder()
                        .setSha256(ByteString.copyFrom(new byte[32]))
                        .build();
                assertThatThrownBy(() -> s.commit(wrong)).hasMessageContaining("whole-payload SHA-256 mismatch");
            }
            for (String d : List.of("s1", "s2", "s3", "s4")) {
                try (Stream<Path> s = Files.list(tmp.resolve(d))) {
                    assertThat(s.count()).as(d).isZero();
                }
            }
        }
    }

    @Test
    void emptyParameterSetHasNoFileAndNoChunks() throws Exception {
        try (PayloadFile pf = PayloadFile.encode(ParamSet.empty(), tmp, 4096);
                ChunkSource src = new ChunkSource(pf);
                StagedPayload s = new StagedPayload(tmp.resolve("st"), 0)) {
            assertThat(pf.path()).isNull();
            assertThat(src.hasMoreChunks()).isFalse();
            assertThat(Files.size(s.commit(src.end()))).isZero();
        }
    }
}
