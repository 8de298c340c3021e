package dev.atelier.core.privacy.secagg;

/**
 * The stages of one SecAgg+ round, named as Flower's SecAggPlusWorkflow names them. Each stage is
 * one request from the coordinator to every live node and one reply back; the payloads are the
 * byte encodings of {@link SecAggMessages}, so a stage travels as an Instruction/Reply pair
 * carrying {@link #wireName()} and a byte payload, over either transport.
 */
public enum SecAggStage {
    /** Config out; the node's two X25519 public keys back. */
    SETUP("secagg.setup"),
    /** Neighbours' public keys out; encrypted Shamir shares (mask key, self-mask seed) for each neighbour back. */
    SHARE_KEYS("secagg.share_keys"),
    /** Shares addressed to the node out; its masked, quantised vector back. */
    COLLECT_MASKED_VECTORS("secagg.collect_masked_vectors"),
    /** Survivor and dropout lists out; the shares needed to unmask back (one kind per node, never both). */
    UNMASK("secagg.unmask");

    private final String wireName;

    SecAggStage(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SecAggStage fromWireName(String name) {
        for (SecAggStage s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown SecAgg stage '" + name + "'");
    }
}
