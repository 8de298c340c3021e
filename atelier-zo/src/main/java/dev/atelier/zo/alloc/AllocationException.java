package dev.atelier.zo.alloc;

/** No allocation satisfies the constraints (or the solver could not prove one optimal); one line why. */
public final class AllocationException extends RuntimeException {
    public AllocationException(String message) {
        super(message);
    }
}
