package dev.atelier.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobFilterTest {
    private static final List<String> NAMES = List.of(
            "gen.block1.conv.weight",
            "gen.block1.bn.running_mean",
            "disc.block1.conv.weight",
            "disc.block1.bn.weight",
            "disc.head.weight",
            "disc.bn.bias",
            "style.embedding");

    private static ParamSet model() {
        ParamSet.Builder b = ParamSet.builder();
        NAMES.forEach(n -> b.put(n, Tensor.zeros(2)));
        return b.build();
    }

    @Test
    void includeThenExclude() {
        GlobFilter f = GlobFilter.of("include disc.**", "exclude **.bn.**");
        assertThat(f.process(model()).names()).containsExactly("disc.block1.conv.weight", "disc.head.weight");
        assertThat(f.dropped(model()))
                .containsExactly(
                        "gen.block1.conv.weight",
                        "gen.block1.bn.running_mean",
                        "disc.block1.bn.weight",
                        "disc.bn.bias",
                        "style.embedding");
    }

    @Test
    void noIncludeKeepsEverythingNotExcluded() {
        GlobFilter f = GlobFilter.exclude("**.bn.**");
        assertThat(f.process(model()).names())
                .containsExactly(
                        "gen.block1.conv.weight", "disc.block1.conv.weight", "disc.head.weight", "style.embedding");
        assertThat(new GlobFilter(List.of(), List.of()).process(model())).isEqualTo(model());
    }

    @Test
    void severalIncludesAreAUnion() {
        GlobFilter f = GlobFilter.of("include style.*", "include *.head.*");
        assertThat(f.process(model()).names()).containsExactly("disc.head.weight", "style.embedding");
        assertThat(GlobFilter.include("gen.**").keeps("gen.block1.conv.weight")).isTrue();
        assertThat(GlobFilter.include("gen.**").keeps("disc.head.weight")).isFalse();
    }

    @Test
    void rulesParseLeniently() {
        GlobFilter f = GlobFilter.of("  INCLUDE   disc.**  ", "Exclude\t**.bn.**");
        assertThat(f.rules()).containsExactly("include disc.**", "exclude **.bn.**");
        assertThat(f.toString()).contains("include disc.**");
    }

    @Test
    void malformedRulesAndPatternsAreRejected() {
        assertThatThrownBy(() -> GlobFilter.of("keep disc.**")).hasMessageContaining("'include' or 'exclude'");
        assertThatThrownBy(() -> GlobFilter.of("include")).hasMessageContaining("'include <glob>'");
        assertThatThrownBy(() -> GlobFilter.of("include a b")).hasMessageContaining("'include <glob>'");
        assertThatThrownBy(() -> GlobFilter.of("include disc..x")).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> GlobFilter.of("exclude disc.x**")).hasMessageContaining("whole segment");
    }

    @Test
    void neverMutatesItsInput() {
        ParamSet m = model();
        GlobFilter.include("disc.**").process(m);
        assertThat(m).isEqualTo(model());
    }
}
