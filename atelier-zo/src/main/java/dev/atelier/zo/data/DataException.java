package dev.atelier.zo.data;

/** A data file that is missing or does not parse; the message is one line naming the file (and line). */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }
}
