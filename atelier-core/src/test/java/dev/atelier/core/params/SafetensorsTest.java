package dev.atelier.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** One tensor of every dtype, names deliberately not alphabetical. */
    static ParamSet mixed() {
        ByteBuffer f16 = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3C00)
                .putShort((short) 0xC000)
                .flip();
        ByteBuffer bf16 = ByteBuffer.allocate(2)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x4049)
                .flip();
        ByteBuffer i32 = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(-7)
                .putInt(1 << 30)
                .flip();
        ByteBuffer i64 = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(-(1L << 50))
                .flip();
        return ParamSet.builder()
                .putF32("z.weight", new long[] {2, 2}, new float[] {1.5f, -2f, 0f, Float.MIN_VALUE})
                .put("y.half", Tensor.of(DType.F16, new long[] {2}, f16))
                .put("x.brain", Tensor.of(DType.BF16, new long[] {1}, bf16))
                .put("w.ids", Tensor.of(DType.I32, new long[] {1, 2}, i32))
                .put("v.count", Tensor.of(DType.I64, new long[] {}, i64))
                .put("u.empty", Tensor.zeros(0))
                .build();
    }

    @Test
    void roundTripsEveryDtypeWithOrderAndMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Map<String, String> meta = Map.of("round", "3", "run_id", "r1", "note", "ünïcode");
        Safetensors.write(mixed(), meta, f);
        Safetensors.Contents back = Safetensors.readWithMetadata(f);
        assertThat(back.params()).isEqualTo(mixed());
        assertThat(back.params().names()).containsExactlyElementsOf(mixed().names());
        assertThat(back.metadata()).isEqualTo(meta);
        assertThat(back.params().get("v.count").toLongs()).containsExactly(-(1L << 50));
        assertThat(back.params().get("x.brain").toFloats()).containsExactly(3.140625f);
    }

    @Test
    void encodeDecodeMatchesFileBytesAndPadsHeader() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(mixed(), f);
        byte[] encoded = Safetensors.encode(mixed());
        assertThat(Files.readAllBytes(f)).isEqualTo(encoded);
        long headerLen =
                ByteBuffer.wrap(encoded, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLen % 8).isZero();
        assertThat(encoded.length).isEqualTo(8 + headerLen + mixed().byteSize());
        assertThat(Safetensors.decode(encoded).params()).isEqualTo(mixed());
        assertThat(Safetensors.decode(encoded).metadata()).isEmpty();
    }

    /** Reading {@code f} fails with a {@link SafetensorsException} whose message contains every fragment. */
    private static void assertUnreadable(Path f, String... fragments) {
        var thrown = assertThatThrownBy(() -> Safetensors.read(f)).isInstanceOf(SafetensorsException.class);
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void truncatedDataIsReported() throws IOException {
        byte[] good = Safetensors.encode(mixed());
        Path f = dir.resolve("trunc.safetensors");
        Files.write(f, Arrays.copyOf(good, good.length - 4));
        assertUnreadable(f, "trunc.safetensors", "truncated");
    }

    @Test
    void headerLengthBeyondTheFileIsReported() throws IOException {
        byte[] bytes = Safetensors.encode(mixed());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, bytes.length);
        Path f = dir.resolve("long.safetensors");
        Files.write(f, bytes);
        assertUnreadable(f, "header length " + bytes.length, "file of " + bytes.length + " bytes");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[5]);
        assertUnreadable(tiny, "need at least 8");
    }

    @Test
    void invalidJsonIsReported() throws IOException {
        Path f = raw("json.safetensors", "{\"a\": {\"dtype\": ", 0);
        assertUnreadable(f, "not valid JSON");
        Path arr = raw("arr.safetensors", "[1, 2]", 0);
        assertUnreadable(arr, "JSON object");
    }

    @Test
    void overlappingOffsetsAreReported() throws IOException {
        Path f = raw("overlap.safetensors", """
                {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                 "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", 12);
        assertUnreadable(f, "'b'", "overlapping");
    }

    @Test
    void gapsAndTrailingBytesAreReported() throws IOException {
        Path gap = raw("gap.safetensors", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8);
        assertUnreadable(gap, "gapped");
        Path trailing =
                raw("trail.safetensors", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 9);
        assertUnreadable(trailing, "trailing");
    }

    @Test
    void unknownDtypeIsReportedWithTheTensorName() throws IOException {
        Path f = raw("f64.safetensors", "{\"w\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", 8);
        assertUnreadable(f, "'w'", "unsupported tensor dtype 'F64'");
    }

    @Test
    void shapeThatDisagreesWithOffsetsIsReported() throws IOException {
        Path f = raw("shape.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8);
        assertUnreadable(f, "needs 12 bytes");
        Path neg =
                raw("neg.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 0]}}", 0);
        assertUnreadable(neg, "negative");
        Path missing = raw("missing.safetensors", "{\"w\": {\"dtype\": \"F32\"}}", 0);
        assertUnreadable(missing, "data_offsets");
    }

    @Test
    void missingFileIsReported() {
        assertUnreadable(dir.resolve("nope.safetensors"), "no such safetensors file");
    }

    @Test
    void corruptPayloadIsReportedOnDecodeToo() {
        byte[] good = Safetensors.encode(mixed());
        assertThatThrownBy(() -> Safetensors.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("<payload>");
    }

    @Test
    void overwriteReplacesAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        Safetensors.write(mixed(), f);
        ParamSet next = ParamSet.builder()
                .putF32("only", new long[] {1}, new float[] {42})
                .build();
        Safetensors.write(next, f);
        assertThat(Safetensors.read(f)).isEqualTo(next);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ckpt.safetensors");
        }
    }

    /**
     * A write that dies half-way (here: the tensors being written are mapped from a file that is
     * truncated underneath, so reading them faults after the header went out) must leave the old
     * checkpoint intact and no partial file behind.
     */
    @Test
    @EnabledOnOs(OS.LINUX) // truncating a mapped file is refused on Windows; Linux faults on access
    void failedWriteLeavesTheOldFileIntact() throws IOException {
        Path target = dir.resolve("ckpt.safetensors");
        Safetensors.write(mixed(), target);
        byte[] before = Files.readAllBytes(target);

        Path source = dir.resolve("source.safetensors");
        float[] big = new float[1 << 20];
        Arrays.fill(big, 1f);
        Safetensors.write(
                ParamSet.builder().putF32("big", new long[] {big.length}, big).build(), source);
        ParamSet mapped = Safetensors.read(source); // lazily mapped, not yet read
        try (RandomAccessFile raf = new RandomAccessFile(source.toFile(), "rw")) {
            raf.setLength(64);
        }
        assertThatThrownBy(() -> Safetensors.write(mapped, target))
                .isInstanceOf(InternalError.class); // the JVM reports the fault as InternalError

        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ckpt.safetensors", "source.safetensors");
        }
    }
}
