package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link RoundRecordCodec#fromJson}, which reads {@code metrics.jsonl} lines back on every
 * restart and the state database's JSON columns: any text is a record that passes the codec's own
 * range checks, or one line in an {@link IllegalArgumentException}; never another exception (a
 * stack overflow from nesting included) and never slow. Inputs: arbitrary text, a valid line with
 * bytes replaced, cut or spliced, and the committed corpus {@code fuzz/metrics-lines.jsonl}.
 */
class RoundRecordCodecFuzzTest {
    private static final String VALID = RoundRecordCodec.toJson(new RoundRecord(
            3,
            4,
            3,
            List.of(new Failure("n2", Failure.Kind.TIMEOUT, "no reply in 600 s")),
            true,
            Map.of("loss", 0.41),
            Map.of(),
            12.345));

    static void decodes(String line) {
        long t0 = System.nanoTime();
        try {
            RoundRecord r = RoundRecordCodec.fromJson(line);
            assertThat(r.round()).isPositive();
            assertThat(r.replies()).isBetween(0, r.sampled());
            assertThat(r.seconds()).isFinite().isNotNegative();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("not a round record: ").doesNotContain("\n");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Property(tries = 300)
    void arbitraryTextIsARecordOrOneLineError(@ForAll("text") String text) {
        decodes(text);
    }

    @Property(tries = 500)
    void aValidLineMangledIsARecordOrOneLineError(
            @ForAll("positions") List<Integer> at, @ForAll("pieces") List<String> pieces) {
        StringBuilder b = new StringBuilder(VALID);
        for (int i = 0; i < at.size() && i < pieces.size(); i++) {
            int p = Math.floorMod(at.get(i), b.length() + 1);
            int end = Math.min(b.length(), p + Math.floorMod(at.get(i) >> 8, 4));
            b.replace(p, end, pieces.get(i));
        }
        decodes(b.toString());
    }

    @Test
    void theValidLineDecodesSoTheMangledOnesStartFromSomethingReal() {
        assertThat(RoundRecordCodec.fromJson(VALID).failures()).hasSize(1);
    }

    @Test
    void theCommittedCorpusReplays() throws IOException {
        List<String> lines =
                Files.readAllLines(Path.of("src/test/resources/fuzz/metrics-lines.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(8);
        for (String line : lines) {
            assertThatThrownBy(() -> RoundRecordCodec.fromJson(line))
                    .as(line.length() > 80 ? line.substring(0, 80) + "..." : line)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a round record: ");
            decodes(line);
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings()
                        .withChars("{}[]\":,0123456789.-eEtruefalsnNa ")
                        .ofMaxLength(200));
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> pieces() {
        return Arbitraries.of(
                        "",
                        "\"",
                        "{",
                        "}",
                        "[",
                        "]",
                        ",",
                        ":",
                        "-1",
                        "1e400",
                        "NaN",
                        "\"NaN\"",
                        "null",
                        "true",
                        "9223372036854775808",
                        "\"round\":0,",
                        "\"x\":1,",
                        "\\u0000",
                        "\n",
                        "[".repeat(3000))
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }
}
