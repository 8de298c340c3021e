package dev.atelier.cli.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.ml.engine.PyTorchThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SingleJvmTorchThreadsTest {
    private String intra;
    private String inter;

    @BeforeEach
    void save() {
        intra = System.getProperty(PyTorchThreads.INTRA_OP);
        inter = System.getProperty(PyTorchThreads.INTER_OP);
    }

    @AfterEach
    void restore() {
        set(PyTorchThreads.INTRA_OP, intra);
        set(PyTorchThreads.INTER_OP, inter);
    }

    @Test
    void unsetCountsBecomeOne() {
        System.clearProperty(PyTorchThreads.INTRA_OP);
        System.clearProperty(PyTorchThreads.INTER_OP);
        SingleJvmTorchThreads.applyDefault();
        assertThat(System.getProperty(PyTorchThreads.INTRA_OP)).isEqualTo("1");
        assertThat(System.getProperty(PyTorchThreads.INTER_OP)).isEqualTo("1");
    }

    @Test
    void theUsersCountsAreKept() {
        System.setProperty(PyTorchThreads.INTRA_OP, "3");
        System.clearProperty(PyTorchThreads.INTER_OP);
        SingleJvmTorchThreads.applyDefault();
        assertThat(System.getProperty(PyTorchThreads.INTRA_OP)).isEqualTo("3");
        assertThat(System.getProperty(PyTorchThreads.INTER_OP)).isEqualTo("1");
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
