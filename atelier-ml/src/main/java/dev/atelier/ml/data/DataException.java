package dev.atelier.ml.data;

/**
 * A data set could not be found, read or verified.
 *
 * <p>The message is always a single line that names the offending file or folder and says what the
 * user can do about it, so command-line tools can print it as-is instead of a stack trace. The cause,
 * when present, carries the low-level detail for logs.
 */
public final class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A throwable's class and message on one line, for embedding in a one-line error. */
    static String oneLine(Throwable e) {
        String text = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return text.replaceAll("\\s+", " ").trim();
    }
}
