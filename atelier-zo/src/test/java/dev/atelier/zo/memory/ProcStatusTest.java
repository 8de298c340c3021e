package dev.atelier.zo.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatusTest {
    @Test
    void parsesTheKilobyteFieldsIntoBytes() {
        String text = "Name:\tjava\nVmPeak:\t 100 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\n"
                + "RssAnon:\t     512 kB\nRssFile:\t     500 kB\nRssShmem:\t 12 kB\n";
        assertThat(ProcStatus.parse(text)).isEqualTo(new ProcStatus(2048 * 1024, 1024 * 1024, 512 * 1024, 500 * 1024));
        assertThatThrownBy(() -> ProcStatus.parse("VmRSS:\t1 kB\n")).hasMessage("status has no VmHWM field");
    }

    @Test
    void resetPeakForgetsAFreedPeak() throws InterruptedException {
        // 96 MiB of native memory, touched, then freed (direct buffers are freed by their cleaner,
        // and glibc returns a chunk this large to the kernel at once).
        java.nio.ByteBuffer big = java.nio.ByteBuffer.allocateDirect(96 << 20);
        for (int i = 0; i < big.capacity(); i += 4096) {
            big.put(i, (byte) 1);
        }
        long touched = ProcStatus.read().rss();
        big = null;
        ProcStatus after = ProcStatus.read();
        for (int i = 0; i < 20 && after.rss() > touched - (64L << 20); i++) {
            System.gc();
            Thread.sleep(100);
            after = ProcStatus.read();
        }
        assertThat(after.peakRss() - after.rss()).isGreaterThan(64L << 20);
        ProcStatus.resetPeak();
        ProcStatus reset = ProcStatus.read();
        assertThat(reset.peakRss() - reset.rss()).isBetween(0L, 16L << 20);
    }
}
