package dev.atelier.core.params;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.testing.Bounded;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Safetensors#decode}, the decoder for every checkpoint and every parameter payload
 * a node sends: any input either decodes into tensors whose bytes all lie inside the input (no
 * allocation beyond it, so no OOM from a header's claims) or fails with a
 * {@link SafetensorsException}; never another exception, never a hang. Inputs: random bytes, valid
 * files with flipped bytes or cut short, and valid framing around generated headers (hostile
 * dtypes, shapes with huge or negative dimensions, offsets). The committed corpus in
 * {@code src/test/resources/dev/atelier/core/params/SafetensorsCoverageFuzzTestInputs/decode} (past and crafted failures, shared with the Jazzer target {@link SafetensorsCoverageFuzzTest}) is replayed by every
 * build.
 */
class SafetensorsFuzzTest {
    /** Decodes within 5 s; returns the failure message, or null when it decoded within bounds. */
    static String decodeBounded(byte[] input) {
        return Bounded.call("decode", "SafetensorsException", Duration.ofSeconds(5), () -> {
            try {
                ParamSet p = Safetensors.decode(input).params();
                long bytes = 0;
                for (Tensor t : p.asMap().values()) {
                    assertThat(t.data().remaining())
                            .isEqualTo(Tensor.numElements(t.shape()) * t.dtype().byteSize());
                    bytes += t.data().remaining();
                }
                assertThat(bytes).isLessThanOrEqualTo(input.length);
                return null;
            } catch (SafetensorsException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
                return e.getMessage();
            }
        });
    }

    private static byte[] frame(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static byte[] valid() {
        return Safetensors.encode(ParamSet.builder()
                .put("w", Tensor.f32(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}))
                .put("b", Tensor.f32(new long[] {3}, new float[] {7, 8, 9}))
                .build());
    }

    @Property(tries = 300)
    void randomBytesNeverEscapeTheDocumentedException(@ForAll("garbage") byte[] input) {
        decodeBounded(input);
    }

    @Property(tries = 400)
    void aValidFileWithFlippedBytesOrCutShortDecodesOrFailsCleanly(
            @ForAll("positions") List<Integer> flips, @ForAll("cut") int cut) {
        byte[] b = valid();
        for (int p : flips) {
            b[Math.floorMod(p, b.length)] ^= (byte) (1 + Math.floorMod(p * 31, 255));
        }
        byte[] in = java.util.Arrays.copyOf(b, Math.min(b.length, Math.floorMod(cut, b.length + 1)));
        decodeBounded(in);
    }

    @Property(tries = 500)
    void generatedHeadersAroundRealFramingDecodeOrFailCleanly(
            @ForAll("headers") String header, @ForAll("data") byte[] data) {
        decodeBounded(frame(header, data));
    }

    @Test
    void aShapeWhoseByteSizeOverflowsALongIsRefusedNotWrappedToZero() {
        // 2^62 float32 elements = 2^64 bytes, which wraps to 0 in a long: it must not pass as an empty tensor
        String header = "{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}";
        assertThat(decodeBounded(frame(header, new byte[0]))).contains("tensor 't'");
    }

    @Test
    void theCommittedCorpusReplays() throws IOException {
        Path dir = Path.of("src/test/resources/dev/atelier/core/params/SafetensorsCoverageFuzzTestInputs/decode");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Path f : files) {
            String outcome = decodeBounded(Files.readAllBytes(f));
            assertThat(outcome)
                    .as(f.getFileName() + " is a malformed input and must be refused")
                    .isNotNull();
        }
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 10_000);
    }

    @Provide
    Arbitrary<byte[]> data() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> dtype = Arbitraries.oneOf(
                Arbitraries.of("F32", "F16", "BF16", "I32", "I64", "F64", "U8", "", "f32")
                        .map(d -> "\"" + d + "\""),
                Arbitraries.of("1", "null", "[]", "{}", "true"));
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.longs().between(-3, 70).map(String::valueOf),
                Arbitraries.of(
                        "9223372036854775807",
                        "-9223372036854775808",
                        "4611686018427387904",
                        "2305843009213693952",
                        "18446744073709551616",
                        "1e300",
                        "-0",
                        "0.5",
                        "\"4\"",
                        "null"));
        Arbitrary<String> array = number.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> tensor = Combinators.combine(
                        dtype, Arbitraries.oneOf(array, number), Arbitraries.oneOf(array, number))
                .as((d, s, o) -> "{\"dtype\":" + d + ",\"shape\":" + s + ",\"data_offsets\":" + o + "}");
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(6).map(SafetensorsFuzzTest::jsonString),
                Arbitraries.just("\"__metadata__\""));
        Arbitrary<String> entry = Combinators.combine(
                        name, Arbitraries.oneOf(tensor, Arbitraries.of("1", "\"x\"", "[]", "{\"a\":1}", "null")))
                .as((n, t) -> n + ":" + t);
        return Arbitraries.oneOf(
                entry.list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}"),
                Arbitraries.of("[]", "null", "1", "\"s\"", "{", "{\"a\":", "[".repeat(5000), "{}  trailing"));
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
