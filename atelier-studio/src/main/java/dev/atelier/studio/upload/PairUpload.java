package dev.atelier.studio.upload;

import dev.atelier.sketch.folder.DesignerFolder;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Writes one upload of her pairs into a fresh designer folder ({@code images/}, {@code sketches/}),
 * from the two multi-file inputs or from a zip, and notes what happened to every file.
 *
 * <p>Every file is checked by content ({@link Sniff}, PNG or JPEG, and {@link ImageCheck} decodes it)
 * and size ({@link UploadLimits}); its stored name is the claimed name's last segment reduced to
 * {@code [A-Za-z0-9._-]} (at most 100 characters) plus the extension of its real type, so no claimed
 * name ever reaches the file system. Zip entries count: only {@code .../images/NAME} and
 * {@code .../sketches/NAME} are read, with the uncompressed bytes counted while reading. Not
 * thread-safe: one instance per request.
 */
public final class PairUpload {
    /** What happened to one file. */
    public record Note(String file, boolean accepted, String message) {}

    private final Path dir;
    private final UploadLimits limits;
    private final List<Note> notes = new ArrayList<>();
    private final Map<String, String> stored = new HashMap<>();
    private int files;

    public PairUpload(Path dir, UploadLimits limits) throws IOException {
        this.dir = dir;
        this.limits = limits;
        Files.createDirectories(dir.resolve(DesignerFolder.IMAGES));
        Files.createDirectories(dir.resolve(DesignerFolder.SKETCHES));
    }

    public List<Note> notes() {
        return List.copyOf(notes);
    }

    /** Images stored so far. */
    public int stored() {
        return stored.size();
    }

    /**
     * Adds one file of {@code kind} ({@link DesignerFolder#IMAGES} or {@link DesignerFolder#SKETCHES}).
     *
     * @param in the file's bytes; at most {@link UploadLimits#maxFileBytes()} are read
     */
    public void add(String kind, String claimedName, InputStream in) throws IOException {
        String shown = kind + "/" + display(claimedName);
        if (!DesignerFolder.IMAGES.equals(kind) && !DesignerFolder.SKETCHES.equals(kind)) {
            throw new IllegalArgumentException("kind must be images or sketches");
        }
        if (++files > limits.maxFiles()) {
            notes.add(new Note(shown, false, "refused: more than " + limits.maxFiles() + " files in one upload"));
            return;
        }
        byte[] bytes;
        try {
            bytes = Incoming.read(in, limits.maxFileBytes());
        } catch (Incoming.TooLarge e) {
            notes.add(new Note(shown, false, "refused: " + e.getMessage()));
            return;
        }
        try {
            ImageCheck.decode(bytes);
        } catch (ImageCheck.Refused e) {
            notes.add(new Note(shown, false, "refused: " + e.getMessage()));
            return;
        }
        String base = safeBase(claimedName);
        String key = kind + "/" + base;
        if (stored.containsKey(key)) {
            notes.add(new Note(
                    shown,
                    false,
                    "refused: has the same name as " + stored.get(key) + " (extensions are ignored); rename one"));
            return;
        }
        String file = base + "." + Sniff.of(bytes).extension();
        Files.write(dir.resolve(kind).resolve(file), bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        stored.put(key, kind + "/" + file);
        notes.add(new Note(shown, true, "stored as " + kind + "/" + file));
    }

    /**
     * Adds every {@code images/} and {@code sketches/} entry of a zip (any folder above them). The
     * uncompressed bytes of all entries, read or skipped, count against
     * {@link UploadLimits#maxZipBytes()}.
     */
    public void addZip(String claimedName, InputStream raw) throws IOException {
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            InputStream counted = new Counted(zip, limits.maxZipBytes());
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (++entries > 4 * limits.maxFiles()) {
                    notes.add(new Note(display(claimedName), false, "refused the rest: too many zip entries"));
                    return;
                }
                String[] parts = e.getName().replace('\\', '/').split("/");
                String name = parts[parts.length - 1];
                String parent = parts.length >= 2 ? parts[parts.length - 2].toLowerCase(Locale.ROOT) : "";
                if (e.isDirectory() || name.startsWith(".") || e.getName().contains("__MACOSX")) {
                    counted.transferTo(OutputStream.nullOutputStream());
                    continue;
                }
                if (!parent.equals(DesignerFolder.IMAGES) && !parent.equals(DesignerFolder.SKETCHES)) {
                    notes.add(new Note(display(e.getName()), false, "ignored: not inside images/ or sketches/"));
                    counted.transferTo(OutputStream.nullOutputStream());
                    continue;
                }
                add(parent, name, counted);
                counted.transferTo(OutputStream.nullOutputStream()); // the rest of an oversize entry
            }
        } catch (ZipLimit e) {
            notes.add(new Note(
                    display(claimedName),
                    false,
                    "refused the rest: the zip unpacks to more than " + UploadLimits.mib(limits.maxZipBytes())));
        } catch (java.util.zip.ZipException e) {
            notes.add(new Note(display(claimedName), false, "refused: damaged zip (" + e.getMessage() + ")"));
        }
        if (entries == 0) {
            notes.add(new Note(display(claimedName), false, "refused: not a zip archive, or an empty one"));
        }
    }

    /** The zip's uncompressed total passed its limit (not one file's: {@link #add} does not catch it). */
    private static final class ZipLimit extends IOException {}

    /** Counts the bytes read through it (all entries of one zip) and fails past a limit; never closes. */
    private static final class Counted extends FilterInputStream {
        private final long limit;
        private long total;

        Counted(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws ZipLimit {
            total += n;
            if (total > limit) {
                throw new ZipLimit();
            }
        }

        @Override
        public void close() {}
    }

    /** The pairing key a claimed name is stored under: last segment, no extension, safe characters. */
    public static String safeBase(String claimed) {
        String n = claimed == null ? "" : claimed.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
        n = n.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[.]+", "");
        if (n.length() > 100) {
            n = n.substring(0, 100);
        }
        return n.isEmpty() ? "file" : n;
    }

    /** A claimed name for display: printable, at most 120 characters. */
    public static String display(String claimed) {
        String n = claimed == null ? "?" : claimed.replaceAll("[\\p{Cntrl}]", "?");
        return n.length() > 120 ? n.substring(0, 120) + "…" : n;
    }
}
