package dev.atelier.sketch.fed;

/** How the designers' critics are trained; the generators are always local. */
public enum Regime {
    /** No federation: every designer trains alone (same seeds, data and schedule). */
    LOCAL_ONLY("local_only"),
    /** FedGAI: the critic without BatchNorm is averaged over the designers every round. */
    FEDERATED("federated"),
    /**
     * Upper bound only, it violates privacy: one critic (BatchNorm included) is handed from
     * designer to designer and so trains on every designer's sketches.
     */
    CENTRALIZED("centralized");

    private final String key;

    Regime(String key) {
        this.key = key;
    }

    /** Snake-case name used in reports ({@code local_only}, {@code federated}, {@code centralized}). */
    public String key() {
        return key;
    }
}
