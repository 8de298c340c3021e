package dev.atelier.core.privacy.secagg;

import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.privacy.secagg.SecAggMessages.Ciphertexts;
import dev.atelier.core.privacy.secagg.SecAggMessages.MaskedVector;
import dev.atelier.core.privacy.secagg.SecAggMessages.PublicKeys;
import dev.atelier.core.privacy.secagg.SecAggMessages.SetupRequest;
import dev.atelier.core.privacy.secagg.SecAggMessages.ShareKeysRequest;
import dev.atelier.core.privacy.secagg.SecAggMessages.Shares;
import dev.atelier.core.privacy.secagg.SecAggMessages.UnmaskRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The coordinator's side of one SecAgg+ round: builds the requests of each {@link SecAggStage},
 * takes the replies of the nodes that answered (a missing reply is a dropout), and returns the sum
 * over {@code Z_{2^32}} of the survivors' vectors. It only ever holds masked vectors and their
 * running sum; it removes self masks of survivors and the pairwise masks dropouts left behind from
 * shares, and aborts ({@link SecAggAbortException}) when some node has fewer than
 * {@code threshold} live share holders, or fewer than {@code threshold} nodes survive.
 * Each {@code receive*} must follow its stage's requests, in stage order.
 *
 * <p>Security model: an honest-but-curious coordinator (it follows the protocol and tries to learn
 * from what it sees), colluding with fewer than {@code threshold} nodes per neighbourhood. Clients
 * also refuse the cheap active attacks (revealing both shares of a node, masking with too few
 * neighbours), but the consistency-check round of Bonawitz et al.'s malicious-server variant is
 * not implemented. Single-use, one thread at a time.
 */
public final class SecAggServer {
    private static final byte[] BASE_POINT = basePoint();

    private final SetupRequest config;
    private final List<String> sampled;
    private final RandomBits graphBits;
    private SecAggStage expected = SecAggStage.SETUP;
    private final Map<String, PublicKeys> keys = new TreeMap<>();
    private NeighbourGraph graph;
    private final Set<String> shared = new TreeSet<>();
    private final Map<String, Map<String, byte[]>> inbox = new TreeMap<>();
    private final Set<String> masked = new TreeSet<>();
    private int[] sum;

    /** The aggregate and who is in it. */
    public record Result(int[] sum, List<String> contributors, List<String> droppedAfterSharing) {}

    /**
     * @param nodes the sampled nodes of the round
     * @param graphBits the neighbour graph's permutation (public randomness)
     */
    public SecAggServer(
            String roundId, List<String> nodes, int numShares, int threshold, int vectorLength, RandomBits graphBits) {
        this.config = new SetupRequest(roundId, numShares, threshold, vectorLength);
        this.sampled = List.copyOf(new TreeSet<>(nodes));
        this.graphBits = graphBits;
        if (numShares > sampled.size()) {
            throw new IllegalArgumentException(
                    "numShares " + numShares + " exceeds the " + sampled.size() + " sampled nodes");
        }
    }

    /** SETUP requests, one per sampled node. */
    public Map<String, byte[]> setupRequests() {
        expect(SecAggStage.SETUP);
        Map<String, byte[]> out = new TreeMap<>();
        byte[] b = config.toBytes();
        sampled.forEach(n -> out.put(n, b));
        return out;
    }

    /** Public keys from the nodes that answered; builds the graph over them. */
    public void receiveSetup(Map<String, byte[]> replies) {
        expect(SecAggStage.SETUP);
        requireKnown(replies.keySet(), Set.copyOf(sampled), SecAggStage.SETUP);
        replies.forEach((n, b) -> keys.put(n, PublicKeys.parse(b)));
        if (keys.size() < config.numShares()) {
            throw new SecAggAbortException(
                    SecAggStage.SETUP,
                    "only " + keys.size() + " of " + sampled.size() + " nodes answered, fewer than numShares "
                            + config.numShares());
        }
        graph = NeighbourGraph.harary(List.copyOf(keys.keySet()), config.numShares(), graphBits);
        expected = SecAggStage.SHARE_KEYS;
    }

    /** SHARE_KEYS requests: each node's neighbours and their keys. */
    public Map<String, byte[]> shareKeysRequests() {
        expect(SecAggStage.SHARE_KEYS);
        Map<String, byte[]> out = new TreeMap<>();
        for (String u : graph.nodes()) {
            Map<String, PublicKeys> nk = new TreeMap<>();
            graph.neighbours(u).forEach(v -> nk.put(v, keys.get(v)));
            out.put(u, new ShareKeysRequest(nk).toBytes());
        }
        return out;
    }

    /** Encrypted share bundles; routes them to their destinations. */
    public void receiveShareKeys(Map<String, byte[]> replies) {
        expect(SecAggStage.SHARE_KEYS);
        requireKnown(replies.keySet(), graph.nodes(), SecAggStage.SHARE_KEYS);
        Map<String, Ciphertexts> parsed = new TreeMap<>();
        replies.forEach((u, b) -> {
            Ciphertexts c = Ciphertexts.parse(b);
            if (!c.byNode().keySet().equals(new TreeSet<>(graph.neighbours(u)))) {
                throw new IllegalArgumentException("node " + u + " sent shares for other nodes than its neighbours");
            }
            parsed.put(u, c);
        });
        shared.addAll(parsed.keySet());
        for (var e : parsed.entrySet()) {
            e.getValue().byNode().forEach((dst, ct) -> {
                if (shared.contains(dst)) {
                    inbox.computeIfAbsent(dst, k -> new TreeMap<>()).put(e.getKey(), ct);
                }
            });
        }
        for (String u : shared) {
            int holders = liveNeighbours(u, shared) + 1;
            if (holders < config.threshold()) {
                throw new SecAggAbortException(
                        SecAggStage.SHARE_KEYS,
                        "node " + u + " has " + holders + " share holders left (itself and live neighbours), threshold "
                                + config.threshold());
            }
        }
        expected = SecAggStage.COLLECT_MASKED_VECTORS;
    }

    /** COLLECT_MASKED_VECTORS requests: the bundles addressed to each node that shared keys. */
    public Map<String, byte[]> collectRequests() {
        expect(SecAggStage.COLLECT_MASKED_VECTORS);
        Map<String, byte[]> out = new TreeMap<>();
        for (String u : shared) {
            out.put(u, new Ciphertexts(inbox.getOrDefault(u, Map.of())).toBytes());
        }
        return out;
    }

    /** Masked vectors; adds them up (the individual vectors are not kept). */
    public void receiveMasked(Map<String, byte[]> replies) {
        for (var e : replies.entrySet()) {
            addMasked(
                    e.getKey(),
                    MaskedVector.parse(e.getValue(), config.vectorLength()).values());
        }
        endMasked();
    }

    /**
     * One node's masked vector, folded into the running sum at once (streaming: the coordinator
     * never keeps more than the sum). Call {@link #endMasked()} after the last one.
     */
    public void addMasked(String node, int[] y) {
        expect(SecAggStage.COLLECT_MASKED_VECTORS);
        requireKnown(Set.of(node), shared, SecAggStage.COLLECT_MASKED_VECTORS);
        if (y.length != config.vectorLength()) {
            throw new IllegalArgumentException("node " + node + " sent a masked vector of " + y.length
                    + " elements, the round expects " + config.vectorLength());
        }
        if (!masked.add(node)) {
            throw new IllegalArgumentException("node " + node + " sent a second masked vector");
        }
        if (sum == null) {
            sum = new int[config.vectorLength()];
        }
        for (int i = 0; i < y.length; i++) {
            sum[i] += y[i];
        }
    }

    /** Closes the collect stage: checks that every needed secret can still be rebuilt. */
    public void endMasked() {
        expect(SecAggStage.COLLECT_MASKED_VECTORS);
        if (sum == null) {
            sum = new int[config.vectorLength()];
        }
        checkRecoverable(masked, SecAggStage.COLLECT_MASKED_VECTORS);
        expected = SecAggStage.UNMASK;
    }

    /** UNMASK requests to the nodes that sent a masked vector. */
    public Map<String, byte[]> unmaskRequests() {
        expect(SecAggStage.UNMASK);
        byte[] b = new UnmaskRequest(List.copyOf(masked), dropped()).toBytes();
        Map<String, byte[]> out = new TreeMap<>();
        masked.forEach(u -> out.put(u, b));
        return out;
    }

    /** Rebuilds the secrets from the shares that came back and returns the unmasked sum. */
    public Result finish(Map<String, byte[]> replies) {
        expect(SecAggStage.UNMASK);
        requireKnown(replies.keySet(), masked, SecAggStage.UNMASK);
        expected = null;
        checkRecoverable(replies.keySet(), SecAggStage.UNMASK);
        Map<String, Shares> parsed = new TreeMap<>();
        replies.forEach((n, b) -> parsed.put(n, Shares.parse(b)));
        int[] s = sum.clone();
        for (String u : masked) {
            byte[] seed = Shamir.combine(sharesOf(u, parsed), 32);
            Masking.addMask(s, seed, -1);
        }
        for (String v : dropped()) {
            byte[] sk = Shamir.combine(sharesOf(v, parsed), X25519.KEY_BYTES);
            if (!java.util.Arrays.equals(
                    X25519.agree(sk, BASE_POINT), keys.get(v).mask())) {
                throw new SecAggAbortException(
                        SecAggStage.UNMASK,
                        "the shares of dropped node " + v
                                + " rebuild a mask key that does not match its public key (a corrupted share)");
            }
            for (String u : graph.neighbours(v)) {
                if (masked.contains(u)) {
                    byte[] secret = X25519.agree(sk, keys.get(u).mask());
                    Masking.addMask(s, Masking.pairwiseSeed(secret, config.roundId(), u, v), -Masking.pairSign(u, v));
                }
            }
        }
        return new Result(s, List.copyOf(masked), dropped());
    }

    private List<Shamir.Share> sharesOf(String owner, Map<String, Shares> replies) {
        List<String> holders = SecAggClient.holders(owner, new TreeSet<>(graph.neighbours(owner)));
        List<Shamir.Share> out = new ArrayList<>();
        for (String h : holders) {
            Shares r = replies.get(h);
            byte[] b = r == null ? null : r.byNode().get(owner);
            if (b != null) {
                Shamir.Share sh = Shamir.Share.fromBytes(b);
                if (sh.x() != holders.indexOf(h) + 1) {
                    throw new IllegalArgumentException(
                            "node " + h + " returned a share of " + owner + " at the wrong point");
                }
                out.add(sh);
                if (out.size() == config.threshold()) {
                    return out;
                }
            }
        }
        throw new SecAggAbortException(
                SecAggStage.UNMASK,
                "only " + out.size() + " shares of node " + owner + " came back, threshold " + config.threshold());
    }

    private List<String> dropped() {
        List<String> d = new ArrayList<>();
        for (String u : shared) {
            if (!masked.contains(u)) {
                d.add(u);
            }
        }
        return d;
    }

    /** Every survivor's seed and every dropout's mask key must still have threshold live holders in {@code live}. */
    private void checkRecoverable(Set<String> live, SecAggStage stage) {
        if (live.size() < config.threshold()) {
            throw new SecAggAbortException(
                    stage, "only " + live.size() + " nodes left, threshold " + config.threshold());
        }
        for (String u : shared) {
            int holders = liveNeighbours(u, live) + (live.contains(u) ? 1 : 0);
            if (holders < config.threshold()) {
                throw new SecAggAbortException(
                        stage,
                        "node " + u + (masked.contains(u) ? "" : " (dropped)") + " has " + holders
                                + " live share holders, threshold " + config.threshold());
            }
        }
    }

    private int liveNeighbours(String u, Set<String> live) {
        int n = 0;
        for (String v : graph.neighbours(u)) {
            if (live.contains(v) && shared.contains(v)) {
                n++;
            }
        }
        return n;
    }

    private static void requireKnown(Set<String> got, Set<String> allowed, SecAggStage stage) {
        for (String n : got) {
            if (!allowed.contains(n)) {
                throw new IllegalArgumentException(
                        "SecAgg " + stage.wireName() + " reply from node " + n + ", which is not in this stage");
            }
        }
    }

    private void expect(SecAggStage stage) {
        if (expected != stage) {
            throw new IllegalStateException("SecAgg server expected stage "
                    + (expected == null ? "none (round finished)" : expected.wireName()) + ", got " + stage.wireName());
        }
    }

    private static byte[] basePoint() {
        byte[] b = new byte[X25519.KEY_BYTES];
        b[0] = 9; // RFC 7748: X25519(k, 9) is k's public key
        return b;
    }
}
