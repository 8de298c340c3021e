package dev.atelier.zo.alloc;

/**
 * One client as the allocator sees it: its declared memory {@code budgetBytes}, its number of
 * local {@code examples} (the weight of its updates), and {@code fixedBytes}, the part of its
 * modelled peak that does not depend on which blocks it activates (embeddings, head, activations,
 * runtime overhead; see docs/zo.md, "Client memory model"). Immutable.
 */
public record ClientSpec(String id, long budgetBytes, long examples, long fixedBytes) {
    public ClientSpec {
        if (id == null || id.isBlank() || id.length() > 128) {
            throw new IllegalArgumentException("client id must be 1..128 characters, got '" + id + "'");
        }
        if (budgetBytes < 0 || examples < 0 || examples > 1_000_000_000L || fixedBytes < 0) {
            throw new IllegalArgumentException("client " + id + ": budget " + budgetBytes + ", examples " + examples
                    + " (≤ 1e9) and fixed bytes " + fixedBytes + " must be non-negative");
        }
    }

    /** The same client with a new budget (a client that reports a new budget). */
    public ClientSpec withBudget(long bytes) {
        return new ClientSpec(id, bytes, examples, fixedBytes);
    }
}
