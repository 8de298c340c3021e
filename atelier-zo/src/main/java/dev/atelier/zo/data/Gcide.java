package dev.atelier.zo.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The GNU Collaborative International Dictionary of English as Debian's {@code dict-gcide} ships
 * it for dictd: {@code gcide.index} (lines {@code headword TAB offset TAB length}, numbers in
 * dictd's base-64 digits {@code A-Za-z0-9+/}) and {@code gcide.dict.dz} (dictzip, readable as one
 * gzip stream). {@link #read} loads the whole dictionary (~40 MB of text) and checks every index
 * line against it; a bad line fails with {@code file:line: reason}. Entries are kept in index
 * order, {@code 00-database-*} metadata entries dropped. Immutable once read.
 */
public final class Gcide {
    /** Debian's install location. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/dictd");

    private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** One dictionary entry: the index's headword and the entry's raw text (headline, senses, quotations). */
    public record Entry(String headword, String text) {}

    private final List<Entry> entries;

    private Gcide(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Whether {@code dir} holds both files. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve("gcide.index")) && Files.isRegularFile(dir.resolve("gcide.dict.dz"));
    }

    public static Gcide read(Path dir) throws IOException {
        Path index = dir.resolve("gcide.index");
        Path dict = dir.resolve("gcide.dict.dz");
        for (Path p : List.of(index, dict)) {
            if (!Files.isRegularFile(p)) {
                throw new DataException(p + ": missing (install the Debian package dict-gcide)");
            }
        }
        byte[] data;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dict), 1 << 16)) {
            data = in.readAllBytes();
        } catch (java.util.zip.ZipException e) {
            throw new DataException(dict + ": not a dictzip/gzip file (" + e.getMessage() + ")");
        }
        List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        List<Entry> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new DataException(index + ":" + (n + 1) + ": expected 'headword TAB offset TAB length'");
            }
            long off = decode(f[1], index, n + 1);
            long len = decode(f[2], index, n + 1);
            if (off + len > data.length) {
                throw new DataException(index + ":" + (n + 1) + ": entry [" + off + ", " + (off + len)
                        + ") lies beyond the " + data.length + " bytes of " + dict.getFileName());
            }
            if (f[0].startsWith("00-")) {
                continue;
            }
            out.add(new Entry(f[0], new String(data, (int) off, (int) len, StandardCharsets.UTF_8)));
        }
        if (out.isEmpty()) {
            throw new DataException(index + ": lists no entry");
        }
        return new Gcide(out);
    }

    /** Every entry in index order (one headword may have several entries). */
    public List<Entry> entries() {
        return entries;
    }

    /** dictd's base-64 number. */
    static long decode(String s, Path file, int line) {
        if (s.isEmpty() || s.length() > 8) {
            throw new DataException(file + ":" + line + ": '" + s + "' is not a dictd base-64 number");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = DIGITS.indexOf(s.charAt(i));
            if (d < 0) {
                throw new DataException(file + ":" + line + ": '" + s + "' is not a dictd base-64 number");
            }
            v = v * 64 + d;
        }
        return v;
    }
}
