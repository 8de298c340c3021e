package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.testing.Bounded;
import dev.atelier.transport.proto.ReplyHeader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link ReplyHeaderCheck}, the first check of every reply a node uploads: for any header
 * (uint32 round, uint64 counts and sizes, so any Java bit pattern) it must agree with the same rule
 * computed in unsigned arithmetic ({@link BigInteger}) — refused exactly when the round differs
 * from the instruction's, {@code num_examples} ≥ 2^63 or {@code params_bytes} exceeds the limit —
 * and a refusal is one line that prints every value unsigned (no minus sign), within 1 s. Cases:
 * jqwik values biased to the signed/unsigned edges, the committed corpus
 * {@code src/test/resources/fuzz/reply-headers.txt} (replayed every build) and a Jazzer target
 * ({@link #coverageGuided}) whose inputs are committed under {@code ReplyHeaderCheckFuzzTestInputs}.
 */
class ReplyHeaderCheckFuzzTest {
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);

    /** One input: the header's fields as Java sees them, the instruction's round and the size limit. */
    record Case(int round, long numExamples, long paramsBytes, int instructionRound, long limit) {
        static Case parse(String line) {
            String[] f = line.trim().split("\\s+");
            return new Case(
                    Integer.parseUnsignedInt(f[0]),
                    Long.parseUnsignedLong(f[1]),
                    Long.parseUnsignedLong(f[2]),
                    Integer.parseInt(f[3]),
                    Long.parseLong(f[4]));
        }

        /** The rule, in unsigned arithmetic: what must be refused, or null. */
        String expectedRefusal() {
            if (Integer.toUnsignedLong(round) != instructionRound) {
                return "round";
            }
            if (unsigned(numExamples).compareTo(TWO_63) >= 0) {
                return "numExamples";
            }
            if (unsigned(paramsBytes).compareTo(BigInteger.valueOf(limit)) > 0) {
                return "payload";
            }
            return null;
        }
    }

    static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    /** Checks one case; returns the refusal, or null when the header is taken. */
    static String check(Case c) {
        ReplyHeader h = ReplyHeader.newBuilder()
                .setInstructionId("ins7")
                .setRound(c.round())
                .setNumExamples(c.numExamples())
                .setParamsBytes(c.paramsBytes())
                .build();
        PendingInstruction p = new PendingInstruction(
                Instruction.train("run", c.instructionRound(), "node-a", null, null), "ins7", null, null);
        String got = Bounded.call(
                "reply header check",
                "no exception",
                Duration.ofSeconds(1),
                () -> ReplyHeaderCheck.problem(h, p, c.limit()));
        String expected = c.expectedRefusal();
        if (expected == null) {
            assertThat(got).as(c.toString()).isNull();
            return null;
        }
        assertThat(got).as(c.toString()).isNotNull().doesNotContain("\n").doesNotContain("-1 ");
        switch (expected) {
            case "round" ->
                assertThat(got)
                        .startsWith(
                                "reply claims round " + Integer.toUnsignedString(c.round()) + " but instruction ins7")
                        .endsWith("is for round " + c.instructionRound());
            case "numExamples" ->
                assertThat(got).contains("numExamples " + Long.toUnsignedString(c.numExamples()) + " exceeds");
            default ->
                assertThat(got)
                        .isEqualTo("reply payload of " + Long.toUnsignedString(c.paramsBytes())
                                + " bytes exceeds the limit of " + c.limit() + " bytes");
        }
        assertThat(got).as("values are printed unsigned").doesNotContainPattern("[ (]-\\d");
        return got;
    }

    @Property(tries = 1000)
    void anyHeaderIsJudgedByTheUnsignedRuleWithValuesPrintedUnsigned(
            @ForAll("ints") int round,
            @ForAll("longs") long numExamples,
            @ForAll("longs") long paramsBytes,
            @ForAll("rounds") int instructionRound,
            @ForAll("limits") long limit) {
        check(new Case(round, numExamples, paramsBytes, instructionRound, limit));
    }

    @Property(tries = 300)
    void aMatchingRoundAndInRangeValuesAreTaken(
            @ForAll("rounds") int round, @ForAll("limits") long limit, @ForAll("limits") long examples) {
        long bytes = limit / 2;
        assertThat(check(new Case(round, examples, bytes, round, limit))).isNull();
    }

    @Test
    void theCommittedCorpusReplays() throws IOException {
        List<String> lines =
                Files.readAllLines(Path.of("src/test/resources/fuzz/reply-headers.txt"), StandardCharsets.UTF_8)
                        .stream()
                        .filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(12);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            Case c = Case.parse(line);
            String outcome = check(c);
            assertThat(outcome == null ? "taken" : "refused").as(line).isEqualTo(f[5]);
        }
    }

    /** Jazzer: header fields straight from the fuzzer's bytes; same oracle. */
    @FuzzTest(maxDuration = "2m")
    void coverageGuided(FuzzedDataProvider data) {
        int instructionRound = data.consumeInt(0, Integer.MAX_VALUE);
        int round = data.consumeBoolean() ? instructionRound : data.consumeInt();
        check(new Case(
                round, data.consumeLong(), data.consumeLong(), instructionRound, data.consumeLong(0, Long.MAX_VALUE)));
    }

    @Provide
    Arbitrary<Integer> ints() {
        return Arbitraries.oneOf(
                Arbitraries.integers(),
                Arbitraries.of(0, 1, 2, 3, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 424242),
                Arbitraries.integers().between(0, 5));
    }

    @Provide
    Arbitrary<Integer> rounds() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 5), Arbitraries.of(Integer.MAX_VALUE, 424242));
    }

    @Provide
    Arbitrary<Long> longs() {
        return Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(0, 10_000),
                Arbitraries.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE, 0L, 1L, 0xFFFF_FFFFL, 0x8000_0000L, 1L << 32));
    }

    @Provide
    Arbitrary<Long> limits() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(0L, 1L, 64L << 30, Long.MAX_VALUE, Long.MAX_VALUE - 1));
    }
}
