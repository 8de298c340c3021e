package dev.atelier.zo.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory as Linux reports it in {@code /proc/self/status}: peak resident set
 * ({@code VmHWM}), current resident set ({@code VmRSS}) and its anonymous and file-backed parts,
 * all in bytes. {@link #resetPeak} sets VmHWM back to the current VmRSS
 * ({@code /proc/self/clear_refs}, value 5, Linux ≥ 4.0), so the peak of one phase can be read
 * apart from the phases before it. Linux only; other systems fail with one line.
 */
public record ProcStatus(long peakRss, long rss, long rssAnon, long rssFile) {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** Reads the current values. */
    public static ProcStatus read() {
        String text;
        try {
            text = Files.readString(STATUS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATUS + " (the memory protocol needs Linux): " + e);
        }
        return parse(text);
    }

    /** Parses the text of a status file; a missing field fails naming it. */
    static ProcStatus parse(String text) {
        return new ProcStatus(
                kib(text, "VmHWM") * 1024,
                kib(text, "VmRSS") * 1024,
                kib(text, "RssAnon") * 1024,
                kib(text, "RssFile") * 1024);
    }

    /** Resets VmHWM to the current VmRSS. */
    public static void resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak RSS through " + CLEAR_REFS + ": " + e);
        }
    }

    private static long kib(String text, String field) {
        for (String line : text.split("\n")) {
            if (line.startsWith(field + ":")) {
                String v = line.substring(field.length() + 1).strip();
                if (!v.endsWith(" kB")) {
                    throw new IllegalStateException("status field " + field + " is not in kB: '" + v + "'");
                }
                return Long.parseLong(v.substring(0, v.length() - 3).strip());
            }
        }
        throw new IllegalStateException("status has no " + field + " field");
    }
}
