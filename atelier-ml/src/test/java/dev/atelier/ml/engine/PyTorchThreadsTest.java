package dev.atelier.ml.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PyTorchThreadsTest {
    private String intra;
    private String inter;

    @BeforeEach
    void remember() {
        intra = System.getProperty(PyTorchThreads.INTRA_OP);
        inter = System.getProperty(PyTorchThreads.INTER_OP);
    }

    @AfterEach
    void restore() {
        restore(PyTorchThreads.INTRA_OP, intra);
        restore(PyTorchThreads.INTER_OP, inter);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void setGivesTheIntraOpCountAndOneInterOpThreadUnlessTheUserChoseOne() {
        System.clearProperty(PyTorchThreads.INTER_OP);
        PyTorchThreads.set(3);
        assertThat(PyTorchThreads.configuredIntraOp()).isEqualTo(3);
        assertThat(System.getProperty(PyTorchThreads.INTER_OP)).isEqualTo("1");
        System.setProperty(PyTorchThreads.INTER_OP, "2");
        PyTorchThreads.set(1);
        assertThat(System.getProperty(PyTorchThreads.INTER_OP)).isEqualTo("2");
    }

    @Test
    void childJvmFlagsNameDjlsPropertiesAndBadCountsAreRefused() {
        assertThat(PyTorchThreads.jvmFlags(2))
                .containsExactly("-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1");
        assertThatThrownBy(() -> PyTorchThreads.set(0)).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> PyTorchThreads.jvmFlags(-1)).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> PyTorchThreads.defaultTo(0)).hasMessageContaining(">= 1");
    }
}
