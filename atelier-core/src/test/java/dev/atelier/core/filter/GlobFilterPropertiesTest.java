package dev.atelier.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** GlobFilter against direct segment-list oracles, over generated hierarchical names. */
class GlobFilterPropertiesTest {
    private static final String[] SEGMENTS = {"disc", "gen", "block1", "block2", "conv", "bn", "weight", "bias", "bnorm"
    };

    @Provide
    Arbitrary<List<List<String>>> names() {
        return Arbitraries.of(SEGMENTS)
                .list()
                .ofMinSize(1)
                .ofMaxSize(5)
                .list()
                .ofMinSize(1)
                .ofMaxSize(40);
    }

    private static void check(GlobFilter filter, List<List<String>> generated, Predicate<List<String>> oracle) {
        Set<String> distinct = new LinkedHashSet<>();
        generated.forEach(segs -> distinct.add(String.join(".", segs)));
        ParamSet.Builder b = ParamSet.builder();
        distinct.forEach(n -> b.put(n, Tensor.zeros(1)));
        ParamSet model = b.build();

        List<String> expectedKept = new ArrayList<>();
        List<String> expectedDropped = new ArrayList<>();
        for (String n : distinct) {
            (oracle.test(List.of(n.split("\\."))) ? expectedKept : expectedDropped).add(n);
        }
        assertThat(filter.process(model).names()).containsExactlyElementsOf(expectedKept);
        assertThat(filter.dropped(model)).containsExactlyElementsOf(expectedDropped);
    }

    @Property(tries = 200)
    void includeSubtreeExcludeSegmentAnywhere(@ForAll("names") List<List<String>> names) {
        check(
                GlobFilter.of("include disc.**", "exclude **.bn.**"),
                names,
                s -> s.get(0).equals("disc") && !s.contains("bn"));
    }

    @Property(tries = 200)
    void singleStarMatchesExactlyOneSegment(@ForAll("names") List<List<String>> names) {
        check(
                GlobFilter.of("include gen.*.weight"),
                names,
                s -> s.size() == 3 && s.get(0).equals("gen") && s.get(2).equals("weight"));
    }

    @Property(tries = 200)
    void starInsideASegmentIsAPrefixMatch(@ForAll("names") List<List<String>> names) {
        check(
                GlobFilter.of("include **.block*.**", "exclude **.bn*"),
                names,
                s -> s.stream().anyMatch(x -> x.startsWith("block"))
                        && !s.get(s.size() - 1).startsWith("bn"));
    }

    @Property(tries = 200)
    void doubleStarInTheMiddle(@ForAll("names") List<List<String>> names) {
        check(
                GlobFilter.of("include disc.**.weight", "include gen.**.bias"),
                names,
                s -> s.size() >= 2
                        && ((s.get(0).equals("disc") && s.get(s.size() - 1).equals("weight"))
                                || (s.get(0).equals("gen")
                                        && s.get(s.size() - 1).equals("bias"))));
    }
}
