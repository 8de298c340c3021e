package dev.atelier.transport.app;

import java.util.Locale;

/**
 * Where a coordinated run stands: stored in the state database ({@code atelier_runs.status}),
 * reported on {@code /status} and shown by {@code atelier status}. The stored and reported text is
 * {@link #text()}, e.g. {@code running}.
 */
public enum RunStatus {
    /** The coordinator is running rounds (or waiting for nodes before one). */
    RUNNING,
    /** Stopped before the last round (signal, cancellation); restarting resumes it. */
    STOPPED,
    /** Every configured round is checkpointed; restarting does nothing. */
    COMPLETE;

    /** Lower-case text used in the database and the status document. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #text()} (case-insensitive). */
    public static RunStatus parse(String text) {
        for (RunStatus s : values()) {
            if (s.text().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + text + "' (running, stopped or complete)");
    }
}
