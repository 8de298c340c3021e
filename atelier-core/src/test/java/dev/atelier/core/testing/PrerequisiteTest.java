package dev.atelier.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrerequisiteTest {
    @Test
    void presentPassesMissingFailsUnderCiAndSkipsElsewhere() {
        assertThatCode(() -> Prerequisite.require(true, "unused", true)).doesNotThrowAnyException();
        assertThatCode(() -> Prerequisite.require(true, "unused", false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Prerequisite.require(false, "no PostgreSQL", true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("no PostgreSQL")
                .hasMessageContaining("ATELIER_CI=1");
        assertThatThrownBy(() -> Prerequisite.require(false, "no PostgreSQL", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no PostgreSQL")
                .hasMessageContaining("skipped outside CI");
    }

    @Test
    void onlyAtelierCiEqualToOneMeansCi() {
        assertThat(Prerequisite.underCi(Map.of("ATELIER_CI", "1"))).isTrue();
        assertThat(Prerequisite.underCi(Map.of("ATELIER_CI", " 1\n"))).isTrue();
        assertThat(Prerequisite.underCi(Map.of("ATELIER_CI", "0"))).isFalse();
        assertThat(Prerequisite.underCi(Map.of("CI", "true"))).isFalse();
        assertThat(Prerequisite.underCi(Map.of())).isFalse();
    }
}
