package dev.atelier.transport.security;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@code System.err} (where slf4j-simple logs in tests) while a block
 * runs, still passing it through. Not for parallel tests.
 */
final class StderrCapture {
    interface Block {
        void run() throws Exception;
    }

    private StderrCapture() {}

    static String during(Block block) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(
                new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        bytes.write(b);
                        old.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        bytes.write(b, off, len);
                        old.write(b, off, len);
                    }
                },
                true,
                StandardCharsets.UTF_8);
        System.setErr(tee);
        try {
            block.run();
        } finally {
            System.setErr(old);
        }
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
