package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionerSpecTest {

    @Test
    void parsesEveryForm() {
        assertThat(Partitioner.parse("iid")).isEqualTo(new IidPartitioner());
        assertThat(Partitioner.parse("dirichlet:0.5")).isEqualTo(new DirichletPartitioner(0.5, 10));
        assertThat(Partitioner.parse("dirichlet:0.1:20")).isEqualTo(new DirichletPartitioner(0.1, 20));
        assertThat(Partitioner.parse("shards:2")).isEqualTo(new ShardPartitioner(2));
        assertThat(Partitioner.parse("unequal:1.5")).isEqualTo(new UnequalPartitioner(1.5));
        assertThat(Partitioner.parse("  Dirichlet:1 ")).isEqualTo(new DirichletPartitioner(1.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iid", "dirichlet:0.5", "dirichlet:0.1:20", "shards:3", "unequal:1.5", "unequal:0.0"})
    void specRoundTrips(String spec) {
        Partitioner p = Partitioner.parse(spec);

        assertThat(Partitioner.parse(p.spec())).isEqualTo(p);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "random",
                "iid:2",
                "dirichlet",
                "dirichlet:abc",
                "dirichlet:0",
                "dirichlet:-1",
                "dirichlet:NaN",
                "dirichlet:0.5:0",
                "dirichlet:0.5:x",
                "shards",
                "shards:0",
                "shards:1.5",
                "unequal:-1",
                "unequal:1:2"
            })
    void invalidSpecsListTheValidForms(String spec) {
        assertThatThrownBy(() -> Partitioner.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid partition spec '" + spec + "' (")
                .hasMessageEndingWith("valid forms: iid | dirichlet:ALPHA[:MIN_SIZE] (e.g. dirichlet:0.5) "
                        + "| shards:K (e.g. shards:2) | unequal:SIGMA (e.g. unequal:1.5)");
    }

    @Test
    void invalidSpecSaysWhatIsWrong() {
        assertThatThrownBy(() -> Partitioner.parse("dirichlet:zero")).hasMessageContaining("('zero' is not a number)");
        assertThatThrownBy(() -> Partitioner.parse("shards:0"))
                .hasMessageContaining("(shards per node must be >= 1, got 0)");
        assertThatThrownBy(() -> Partitioner.parse("tiles:3")).hasMessageContaining("(unknown scheme 'tiles')");
        assertThatThrownBy(() -> Partitioner.parse(null)).hasMessageContaining("(it is empty)");
    }
}
