package dev.atelier.core.privacy.secagg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed big-endian encoding of the SecAgg stage payloads. Readers bound every count and
 * length (a node or the coordinator may send anything) and fail with {@link IllegalArgumentException}.
 */
final class Wire {
    static final int MAX_ID_BYTES = 256;
    static final int MAX_COUNT = 1 << 20;
    static final int MAX_BLOB = 1 << 16;

    private Wire() {}

    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer str(String s) {
            return blob(s.getBytes(StandardCharsets.UTF_8));
        }

        Writer blob(byte[] b) {
            try {
                out.writeInt(b.length);
                out.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer i32(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer ints(int[] v) {
            i32(v.length);
            for (int x : v) {
                i32(x);
            }
            return this;
        }

        byte[] toBytes() {
            return bytes.toByteArray();
        }
    }

    static final class Reader {
        private final DataInputStream in;
        private final String what;

        Reader(byte[] b, String what) {
            this.in = new DataInputStream(new ByteArrayInputStream(b));
            this.what = what;
        }

        String str() {
            byte[] b = blob(MAX_ID_BYTES);
            return new String(b, StandardCharsets.UTF_8);
        }

        byte[] blob(int max) {
            int n = i32();
            if (n < 0 || n > max) {
                throw bad("field of " + n + " bytes (limit " + max + ")");
            }
            byte[] b = new byte[n];
            try {
                in.readFully(b);
            } catch (IOException e) {
                throw bad("truncated");
            }
            return b;
        }

        int i32() {
            try {
                return in.readInt();
            } catch (IOException e) {
                throw bad("truncated");
            }
        }

        int count(int max) {
            int n = i32();
            if (n < 0 || n > max) {
                throw bad("count " + n + " out of [0, " + max + "]");
            }
            return n;
        }

        int[] ints(int expectedLength) {
            int n = i32();
            if (n != expectedLength) {
                throw bad("vector of " + n + " elements, expected " + expectedLength);
            }
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = i32();
            }
            return v;
        }

        void end() {
            try {
                if (in.available() != 0) {
                    throw bad(in.available() + " trailing bytes");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private IllegalArgumentException bad(String why) {
            return new IllegalArgumentException("malformed SecAgg " + what + ": " + why);
        }
    }
}
