package dev.atelier.transport.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Parsers of the coordinator's trust files, written by hand as often as by {@code atelier certs}:
 * {@code allowlist.txt} (one node name a line) and {@code revoked.txt} ({@code SERIAL_HEX NAME
 * REVOKED_AT} a line). Blank lines and {@code #} comments are skipped. A line that does not parse is
 * reported to {@code problems} as {@code FILE:LINE: what is wrong — line ignored} and skipped, so
 * one typo never takes the whole policy down. Ignoring is the safe side for both files: an ignored
 * allowlist line admits nobody, and an ignored revocation line names no serial that any certificate
 * could carry (it did not parse as one).
 *
 * <p>Bounds: a file larger than {@link #MAX_FILE_BYTES} is an IOException (at a reload the
 * {@link TrustPolicy} keeps its last good lists); at most {@link #MAX_PROBLEMS} bad lines per file
 * are reported one by one, then one line says how many more were ignored; a quoted token is cut
 * at 80 characters. Stateless.
 */
public final class TrustFiles {
    /** What a node (certificate) name may be: 1-64 of letters, digits, '.', '_', '-'. */
    public static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** An X.509 serial in hex: positive, at most 20 octets (RFC 5280 §4.1.2.2). */
    private static final Pattern SERIAL_HEX = Pattern.compile("[0-9A-Fa-f]{1,40}");

    /** Largest trust file read (16 MiB: about 150 000 revocation lines). */
    public static final long MAX_FILE_BYTES = 16L << 20;

    /** Bad lines reported one by one per file; the rest are counted in one closing line. */
    public static final int MAX_PROBLEMS = 100;

    private TrustFiles() {}

    /** Passes the first {@link #MAX_PROBLEMS} reports on and counts the rest. */
    private static final class Reports {
        private final Path file;
        private final Consumer<String> out;
        private int seen;

        Reports(Path file, Consumer<String> out) {
            this.file = file;
            this.out = out;
        }

        void add(String problem) {
            if (++seen <= MAX_PROBLEMS) {
                out.accept(problem);
            }
        }

        void close() {
            if (seen > MAX_PROBLEMS) {
                out.accept(file + ": " + (seen - MAX_PROBLEMS) + " more bad lines not listed — lines ignored");
            }
        }
    }

    /** Names on an allowlist; a missing file allows nobody. */
    public static Set<String> allowlist(Path file, Consumer<String> sink) throws IOException {
        Reports problems = new Reports(file, sink);
        Set<String> names = new LinkedHashSet<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (NODE_NAME.matcher(t).matches()) {
                names.add(t);
            } else {
                problems.add(where(file, i) + quote(t)
                        + " is not a node name (1-64 letters, digits, '.', '_', '-'; one name a line) — line ignored");
            }
        }
        problems.close();
        return Set.copyOf(names);
    }

    /** Revoked serials with the name they were issued to ({@code "?"} when the line names none). */
    public static Map<BigInteger, String> revoked(Path file, Consumer<String> sink) throws IOException {
        Reports problems = new Reports(file, sink);
        Map<BigInteger, String> out = new HashMap<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (!SERIAL_HEX.matcher(f[0]).matches()) {
                problems.add(
                        where(file, i) + "serial " + quote(f[0])
                                + " is not a hexadecimal certificate serial (expected SERIAL_HEX NAME REVOKED_AT) — line ignored");
                continue;
            }
            BigInteger serial = new BigInteger(f[0], 16);
            if (serial.signum() == 0) {
                problems.add(where(file, i) + "serial 0 is not a certificate serial — line ignored");
                continue;
            }
            out.put(serial, f.length > 1 ? f[1] : "?");
        }
        problems.close();
        return Map.copyOf(out);
    }

    private static List<String> lines(Path file) throws IOException {
        // decoded leniently: a stray non-UTF-8 byte spoils its own line (reported), not the file
        if (Files.exists(file) && Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is " + Files.size(file) + " bytes, more than the " + MAX_FILE_BYTES
                    + " a trust file may hold");
        }
        return Files.exists(file)
                ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                        .lines()
                        .toList()
                : List.of();
    }

    private static String where(Path file, int index) {
        return file + ":" + (index + 1) + ": ";
    }

    /** The token as written, control characters escaped and cut at 80 characters (it goes to logs). */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        s.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(s.codePointCount(0, s.length()) > 80 ? "...'" : "'").toString();
    }
}
