package dev.atelier.cli.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SingleJvmTorchThreadsTest {
    private String intra;
    private String inter;

    @BeforeEach
    void save() {
        intra = System.getProperty(SingleJvmTorchThreads.INTRA_OP);
        inter = System.getProperty(SingleJvmTorchThreads.INTER_OP);
    }

    @AfterEach
    void restore() {
        set(SingleJvmTorchThreads.INTRA_OP, intra);
        set(SingleJvmTorchThreads.INTER_OP, inter);
    }

    @Test
    void unsetCountsBecomeOne() {
        System.clearProperty(SingleJvmTorchThreads.INTRA_OP);
        System.clearProperty(SingleJvmTorchThreads.INTER_OP);
        SingleJvmTorchThreads.applyDefault();
        assertThat(System.getProperty(SingleJvmTorchThreads.INTRA_OP)).isEqualTo("1");
        assertThat(System.getProperty(SingleJvmTorchThreads.INTER_OP)).isEqualTo("1");
    }

    @Test
    void theUsersCountsAreKept() {
        System.setProperty(SingleJvmTorchThreads.INTRA_OP, "3");
        System.clearProperty(SingleJvmTorchThreads.INTER_OP);
        SingleJvmTorchThreads.applyDefault();
        assertThat(System.getProperty(SingleJvmTorchThreads.INTRA_OP)).isEqualTo("3");
        assertThat(System.getProperty(SingleJvmTorchThreads.INTER_OP)).isEqualTo("1");
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
