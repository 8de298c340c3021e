package dev.atelier.core.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long work: {@code label [#####-----] 50% 150/300 12.3s ETA 12s extra}.
 *
 * <p>On a terminal the line is redrawn in place; otherwise (CI logs, pipes) a new line is printed
 * at most every {@code minIntervalMillis} and at completion, so logs stay readable. Thread-safe.
 */
public final class Progress {
    private static final boolean TTY = System.console() != null;
    private final String label;
    private final long total;
    private final PrintStream out;
    private final long minIntervalNanos;
    private final long start = System.nanoTime();
    private long done;
    private long lastPrint;
    private String extra = "";
    private boolean finished;

    public Progress(String label, long total, PrintStream out, long minIntervalMillis) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.out = out;
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
    }

    /** Progress on stderr, printing at most every 2 s when not on a terminal. */
    public static Progress start(String label, long total) {
        return new Progress(label, total, System.err, TTY ? 100 : 2000);
    }

    /** A progress that prints nothing (tests, nested work). */
    public static Progress silent(long total) {
        return new Progress("", total, null, 0);
    }

    public synchronized void step(long n, String extraText) {
        done = Math.min(total, done + n);
        if (extraText != null) {
            extra = extraText;
        }
        long now = System.nanoTime();
        if (done == total || now - lastPrint >= minIntervalNanos) {
            lastPrint = now;
            print();
        }
    }

    public void step() {
        step(1, null);
    }

    /** Marks the work complete and ends the line. */
    public synchronized void finish(String extraText) {
        if (finished) {
            return;
        }
        finished = true;
        done = total;
        if (extraText != null) {
            extra = extraText;
        }
        print();
        if (out != null && TTY) {
            out.println();
        }
    }

    public synchronized double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private void print() {
        if (out == null) {
            return;
        }
        double elapsed = elapsedSeconds();
        double eta = done == 0 ? Double.NaN : elapsed / done * (total - done);
        int width = 20;
        int filled = (int) (width * done / total);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        String line = String.format(
                Locale.ROOT,
                "%s [%s] %3d%% %d/%d %.1fs%s%s",
                label,
                bar,
                100 * done / total,
                done,
                total,
                elapsed,
                done < total && !Double.isNaN(eta) ? " ETA " + formatSeconds(eta) : "",
                extra.isEmpty() ? "" : " " + extra);
        if (TTY) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else {
            out.println(line);
        }
    }

    /** {@code 75s}, {@code 3m05s}, {@code 1h02m}. */
    public static String formatSeconds(double s) {
        long t = Math.round(s);
        if (t < 100) {
            return t + "s";
        }
        if (t < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
    }
}
