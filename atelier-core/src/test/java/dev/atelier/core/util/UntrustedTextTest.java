package dev.atelier.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Failure;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UntrustedTextTest {
    /** No character a terminal or a line-oriented log would act on. */
    private static void assertOneSafeLine(String s) {
        assertThat(s.chars()).noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029);
        assertThat(s.chars()).noneMatch(c -> (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
    }

    @Test
    void newlinesAndAnsiEscapesCannotForgeALogLine() {
        String forged =
                "ok\n2026-12-01 09:00:00 INFO  coordinator: round 3 aggregated\r\u001b[2J\u001b[31mred\u0007\u0085"
                        + "\u2028\u202e";
        String s = UntrustedText.reason(forged);
        assertOneSafeLine(s);
        assertThat(s)
                .isEqualTo("ok\\n2026-12-01 09:00:00 INFO  coordinator: round 3 aggregated\\r\\u001b[2J\\u001b[31mred"
                        + "\\u0007\\u0085\\u2028\\u202e");
    }

    @Test
    void aMegabyteReasonIsCutAndSaysHowLongItWas() {
        String huge = "x".repeat(1 << 20);
        String s = UntrustedText.reason(huge);
        assertThat(s).hasSizeLessThanOrEqualTo(UntrustedText.MAX_REASON_TOTAL);
        assertThat(s).startsWith("x".repeat(UntrustedText.MAX_REASON)).endsWith("(cut from 1048576 chars)");
        // escapes count against the cap too: a megabyte of ESC is not 6 MB of output
        assertThat(UntrustedText.reason("\u001b".repeat(1 << 20)))
                .hasSizeLessThanOrEqualTo(UntrustedText.MAX_REASON_TOTAL);
    }

    @Test
    void sanitisingIsIdempotentAndLeavesPrintableTextAlone() {
        String plain = "update norm 1.2e+03 exceeds the bound 96 — naïve Ünïcode ✓ 😀";
        assertThat(UntrustedText.reason(plain)).isEqualTo(plain);
        for (String s : new String[] {"a\nb", "x".repeat(5000), "\u001b".repeat(300), "😀".repeat(400)}) {
            String once = UntrustedText.reason(s);
            assertThat(UntrustedText.reason(once)).isEqualTo(once);
        }
        assertThat(UntrustedText.reason(null)).isNull();
    }

    @Test
    void loneSurrogatesAreEscapedAndACutNeverSplitsAPair() {
        assertThat(UntrustedText.reason("a\ud800b")).isEqualTo("a\\ud800b");
        String cut = UntrustedText.reason("y" + "😀".repeat(600));
        assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf('…') - 1))).isFalse();
    }

    @Test
    void everyFailureReasonIsStoredSanitised() {
        Failure f = new Failure("n", Failure.Kind.ERROR, "boom\n\u001b[1mFAKE LINE" + "z".repeat(1 << 20));
        assertOneSafeLine(f.reason());
        assertThat(f.reason()).startsWith("boom\\n\\u001b[1mFAKE LINE").hasSizeLessThanOrEqualTo(540);
    }

    @Test
    void metricNamesCountsAndValuesAreBounded() {
        assertThat(UntrustedText.checkMetrics(Map.of("loss", 0.5, "dp.unclipped", 1.0, "a:b-c_D9", 2.0)))
                .isEmpty();
        assertThat(UntrustedText.checkMetrics(Map.of("bad\nname", 1.0)))
                .hasValueSatisfying(r -> assertThat(r).contains("bad\\nname").doesNotContain("\n"));
        assertThat(UntrustedText.checkMetrics(Map.of("n".repeat(65), 1.0))).isPresent();
        assertThat(UntrustedText.checkMetrics(Map.of("n".repeat(1 << 20), 1.0)))
                .hasValueSatisfying(r -> assertThat(r).hasSizeLessThan(200));
        assertThat(UntrustedText.checkMetrics(Map.of("", 1.0))).isPresent();
        assertThat(UntrustedText.checkMetrics(Map.of("loss", Double.NaN)))
                .hasValueSatisfying(r -> assertThat(r).contains("NaN"));
        assertThat(UntrustedText.checkMetrics(Map.of("loss", Double.POSITIVE_INFINITY)))
                .isPresent();
        Map<String, Double> many = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            many.put("m" + i, 1.0);
        }
        assertThat(UntrustedText.checkMetrics(many)).hasValue("reply carries 10000 metrics, at most 64 allowed");
        many.keySet()
                .retainAll(java.util.Set.copyOf(
                        java.util.List.copyOf(many.keySet()).subList(0, 64)));
        assertThat(UntrustedText.checkMetrics(many)).isEmpty();
    }

    @Test
    void nodePropertiesAreSanitisedAndBoundedWhereverANodeInfoGoes() {
        Map<String, String> hostile = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            hostile.put(String.format("p%05d", i), "v");
        }
        hostile.put("a\n\u001b[31mkey", "line1\nline2\u001b[0m" + "z".repeat(1 << 20));
        var info = new dev.atelier.core.message.NodeInfo("n", hostile);
        assertThat(info.properties()).hasSize(UntrustedText.MAX_PROPERTIES);
        assertThat(info.properties().get("a\\n\\u001b[31mkey"))
                .startsWith("line1\\nline2\\u001b[0mzzz")
                .hasSize(UntrustedText.MAX_PROPERTY_VALUE);
        info.properties().forEach((k, v) -> {
            assertOneSafeLine(k);
            assertOneSafeLine(v);
        });
        assertThat(new dev.atelier.core.message.NodeInfo("n", info.properties()))
                .isEqualTo(info);
        assertThat(new dev.atelier.core.message.NodeInfo("n", Map.of("memory_gb", "16")).properties())
                .isEqualTo(Map.of("memory_gb", "16"));
    }
}
