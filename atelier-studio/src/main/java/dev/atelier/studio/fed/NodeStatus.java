package dev.atelier.studio.fed;

import java.time.Instant;

/**
 * What the Federation page shows of her node: its state, where it dials, and what happened so far.
 * Kept in {@code <home>/node/status.json} so a studio restart shows the last state. Immutable.
 *
 * @param state         where the node process is
 * @param coordinator   the address it dials, "" before the first join
 * @param dataDir       her folder it trains on, "" before the first join
 * @param startModel    what its model started from at the last join (e.g. "her model v2"), "" before
 *                      the first join (also in a status saved before this field existed)
 * @param nodeId        the name the coordinator knows it by, "" until registered
 * @param runId         the federation's run, "" until registered
 * @param registrations times it registered (the first, then once per reconnect)
 * @param round         the last round it got an instruction for, 0 before any
 * @param accepted      replies the coordinator accepted (her contribution)
 * @param notAccepted   replies it rejected, ignored or recorded as errors
 * @param bytesSent     all bytes the node's ledger counted as sent
 * @param message       the last thing worth saying, e.g. the coordinator's refusal
 * @param updated       when this status was written (ISO-8601), "" never
 */
public record NodeStatus(
        State state,
        String coordinator,
        String dataDir,
        String startModel,
        String nodeId,
        String runId,
        int registrations,
        int round,
        int accepted,
        int notAccepted,
        long bytesSent,
        String message,
        String updated) {
    /** The node process's state. */
    public enum State {
        NEVER_STARTED,
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED,
        /** The node exited by itself because the coordinator said the run is complete. */
        COMPLETE,
        REFUSED,
        FAILED;

        public boolean live() {
            return this == STARTING || this == RUNNING || this == STOPPING;
        }
    }

    public static final NodeStatus NONE =
            new NodeStatus(State.NEVER_STARTED, "", "", "", "", "", 0, 0, 0, 0, 0, "", "");

    public NodeStatus {
        startModel = startModel == null ? "" : startModel;
    }

    /** Reconnects so far: registrations after the first. */
    public int reconnects() {
        return Math.max(0, registrations - 1);
    }

    NodeStatus starting(String coordinator, String dataDir, String startModel) {
        return new NodeStatus(
                State.STARTING,
                coordinator,
                dataDir,
                startModel,
                "",
                "",
                0,
                0,
                0,
                0,
                0,
                "starting the node",
                Instant.now().toString());
    }

    NodeStatus with(State s, String why) {
        return new NodeStatus(
                s,
                coordinator,
                dataDir,
                startModel,
                nodeId,
                runId,
                registrations,
                round,
                accepted,
                notAccepted,
                bytesSent,
                why,
                Instant.now().toString());
    }

    NodeStatus registered(String node, String run) {
        return new NodeStatus(
                State.RUNNING,
                coordinator,
                dataDir,
                startModel,
                node,
                run,
                registrations + 1,
                round,
                accepted,
                notAccepted,
                bytesSent,
                registrations == 0 ? "registered as " + node : "reconnected and registered again",
                Instant.now().toString());
    }

    NodeStatus instruction(int r, String task) {
        return new NodeStatus(
                state,
                coordinator,
                dataDir,
                startModel,
                nodeId,
                runId,
                registrations,
                r,
                accepted,
                notAccepted,
                bytesSent,
                "round " + r + ": " + task,
                Instant.now().toString());
    }

    NodeStatus outcome(int r, boolean ok, String text) {
        return new NodeStatus(
                state,
                coordinator,
                dataDir,
                startModel,
                nodeId,
                runId,
                registrations,
                round,
                accepted + (ok ? 1 : 0),
                notAccepted + (ok ? 0 : 1),
                bytesSent,
                "round " + r + ": " + text,
                Instant.now().toString());
    }

    NodeStatus sent(long bytes) {
        return new NodeStatus(
                state,
                coordinator,
                dataDir,
                startModel,
                nodeId,
                runId,
                registrations,
                round,
                accepted,
                notAccepted,
                bytesSent + bytes,
                message,
                Instant.now().toString());
    }
}
