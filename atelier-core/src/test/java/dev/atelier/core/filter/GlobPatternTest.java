package dev.atelier.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GlobPatternTest {
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "disc.**, disc, true",
        "disc.**, disc.block1.conv.weight, true",
        "disc.**, discriminator.weight, false",
        "disc.**, gen.disc.weight, false",
        "**.bn.**, bn, true",
        "**.bn.**, disc.bn.weight, true",
        "**.bn.**, bn.running_mean, true",
        "**.bn.**, disc.block1.bn, true",
        "**.bn.**, disc.bn1.weight, false",
        "**.bn.**, disc.xbn.weight, false",
        "*.weight, conv.weight, true",
        "*.weight, a.conv.weight, false",
        "*.weight, weight, false",
        "block*.conv, block12.conv, true",
        "block*.conv, block.conv, true",
        "block*.conv, block1.x.conv, false",
        "*conv*, disc_conv_1, true",
        "**, anything.at.all, true",
        "**, x, true",
        "a.**.z, a.z, true",
        "a.**.z, a.b.c.z, true",
        "a.**.z, a.b.c.zz, false",
        "**.weight, weight, true",
        "**.weight, a.b.weight, true",
        "**.weight, a.b.weight.x, false",
        "a.*.*.d, a.b.c.d, true",
        "a.*.*.d, a.b.d, false",
        "exact.name, exact.name, true",
        "exact.name, exact.names, false",
        "a+b.(c), a+b.(c), true",
        "a+b.(c), aab.(c), false"
    })
    void matchesSegmentWise(String glob, String name, boolean expected) {
        assertThat(GlobPattern.compile(glob).matches(name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", " ", "a..b", ".a", "a.", "a**", "**b.c", "a.***", "a b", "a?.b", "a.[bc]", "{a,b}", "!a"})
    void invalidPatternsAreRejectedAtConstruction(String glob) {
        assertThatThrownBy(() -> GlobPattern.compile(glob))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("glob");
    }

    @ParameterizedTest
    @CsvSource({"a..b, empty segment", "x.a**, whole segment", "a?, '?'"})
    void rejectionsSayWhy(String glob, String reason) {
        assertThatThrownBy(() -> GlobPattern.compile(glob)).hasMessageContaining(reason);
    }
}
