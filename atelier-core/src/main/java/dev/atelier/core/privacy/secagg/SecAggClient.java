package dev.atelier.core.privacy.secagg;

import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.privacy.secagg.SecAggMessages.Ciphertexts;
import dev.atelier.core.privacy.secagg.SecAggMessages.MaskedVector;
import dev.atelier.core.privacy.secagg.SecAggMessages.PublicKeys;
import dev.atelier.core.privacy.secagg.SecAggMessages.SetupRequest;
import dev.atelier.core.privacy.secagg.SecAggMessages.ShareKeysRequest;
import dev.atelier.core.privacy.secagg.SecAggMessages.Shares;
import dev.atelier.core.privacy.secagg.SecAggMessages.UnmaskRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One node's side of one SecAgg+ round (Bell et al. 2020 over Bonawitz et al. 2017), as a state
 * machine over byte payloads: {@link #setup}, {@link #shareKeys}, {@link #collectMaskedVector},
 * {@link #unmask}, strictly in that order; anything else, or a malformed payload, throws. The node
 * keeps its secrets (two X25519 private keys, the self-mask seed, the shares it holds for its
 * neighbours); only public keys, encrypted shares, the masked vector and, at the end, one kind of
 * share per neighbour leave it. It refuses to reveal both shares of the same node, so the
 * coordinator can never remove both masks of a live node. Single-use, one thread at a time.
 */
public final class SecAggClient {
    private final String nodeId;
    private final SecureRandom random;
    private final RandomBits bits;
    private SecAggStage expected = SecAggStage.SETUP;
    private SetupRequest config;
    private X25519.RawKeyPair encryptionKeys;
    private X25519.RawKeyPair maskKeys;
    private Map<String, PublicKeys> neighbours;
    private final Map<String, Shamir.Share> maskKeyShares = new TreeMap<>();
    private final Map<String, Shamir.Share> seedShares = new TreeMap<>();
    private byte[] selfMaskSeed;
    private Set<String> maskedWith;

    /** @param random keys, seed, Shamir coefficients and nonces; a {@link SecureRandom} (never seeded by hand in production) */
    public SecAggClient(String nodeId, SecureRandom random) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.random = Objects.requireNonNull(random, "random");
        this.bits = RandomBits.of(random);
    }

    public String nodeId() {
        return nodeId;
    }

    /** SETUP: remembers the round's parameters, answers with two fresh public keys. */
    public byte[] setup(byte[] request) {
        step(SecAggStage.SETUP);
        config = SetupRequest.parse(request);
        encryptionKeys = X25519.generate(random);
        maskKeys = X25519.generate(random);
        return new PublicKeys(encryptionKeys.publicKey(), maskKeys.publicKey()).toBytes();
    }

    /** SHARE_KEYS: shares the mask key and a fresh self-mask seed among the neighbours and itself. */
    public byte[] shareKeys(byte[] request) {
        step(SecAggStage.SHARE_KEYS);
        ShareKeysRequest req = ShareKeysRequest.parse(request);
        neighbours = req.neighbourKeys();
        if (neighbours.containsKey(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " was given itself as a neighbour");
        }
        if (neighbours.size() != config.numShares() - 1) {
            throw new IllegalArgumentException("node " + nodeId + " got " + neighbours.size() + " neighbours, expected "
                    + (config.numShares() - 1));
        }
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        List<String> holders = holders(nodeId, neighbours.keySet());
        int[] xs = new int[holders.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
        }
        List<Shamir.Share> sk = Shamir.split(maskKeys.privateKey(), config.threshold(), xs, bits);
        List<Shamir.Share> sd = Shamir.split(seed, config.threshold(), xs, bits);
        selfMaskSeed = seed;
        Map<String, byte[]> out = new TreeMap<>();
        for (int i = 0; i < holders.size(); i++) {
            String h = holders.get(i);
            if (h.equals(nodeId)) {
                maskKeyShares.put(nodeId, sk.get(i));
                seedShares.put(nodeId, sd.get(i));
            } else {
                byte[] secret = X25519.agree(
                        encryptionKeys.privateKey(), neighbours.get(h).encryption());
                out.put(h, new ShareBundle(nodeId, h, sk.get(i), sd.get(i)).encrypt(secret, config.roundId(), random));
            }
        }
        return new Ciphertexts(out).toBytes();
    }

    /**
     * COLLECT_MASKED_VECTORS: stores the neighbours' shares, answers with
     * {@code x + PRG(b) + sum_v sign(u, v) PRG(s_uv)} over the neighbours that sent shares.
     *
     * @param quantized this node's (clipped, quantised) update over Z_{2^32}, {@code vectorLength} long
     */
    public byte[] collectMaskedVector(byte[] request, int[] quantized) {
        return new MaskedVector(maskedVector(request, quantized)).toBytes();
    }

    /** {@link #collectMaskedVector} without the encoding: the masked vector itself. */
    public int[] maskedVector(byte[] request, int[] quantized) {
        step(SecAggStage.COLLECT_MASKED_VECTORS);
        if (quantized.length != config.vectorLength()) {
            throw new IllegalArgumentException("node " + nodeId + " has a vector of " + quantized.length
                    + " elements, the round expects " + config.vectorLength());
        }
        Ciphertexts in = Ciphertexts.parse(request);
        maskedWith = new HashSet<>();
        for (var e : in.byNode().entrySet()) {
            String src = e.getKey();
            PublicKeys k = neighbours.get(src);
            if (k == null) {
                throw new IllegalArgumentException("node " + nodeId + " got shares from non-neighbour " + src);
            }
            byte[] secret = X25519.agree(encryptionKeys.privateKey(), k.encryption());
            ShareBundle b = ShareBundle.decrypt(e.getValue(), secret, config.roundId(), src, nodeId);
            maskKeyShares.put(src, b.maskKeyShare());
            seedShares.put(src, b.seedShare());
            maskedWith.add(src);
        }
        if (maskedWith.size() + 1 < config.threshold()) {
            // fewer pairwise masks than that and the coordinator could strip the self mask of a vector
            // that hides behind too few (or no) pairwise masks
            throw new IllegalArgumentException("node " + nodeId + " refuses to mask: shares from only "
                    + maskedWith.size() + " neighbours, threshold " + config.threshold());
        }
        int[] y = quantized.clone();
        Masking.addMask(y, selfMaskSeed, 1);
        for (String v : maskedWith) {
            byte[] s = X25519.agree(maskKeys.privateKey(), neighbours.get(v).mask());
            Masking.addMask(y, Masking.pairwiseSeed(s, config.roundId(), nodeId, v), Masking.pairSign(nodeId, v));
        }
        return y;
    }

    /** UNMASK: the self-mask-seed shares of survivors and the mask-key shares of dropouts it holds. */
    public byte[] unmask(byte[] request) {
        step(SecAggStage.UNMASK);
        UnmaskRequest req = UnmaskRequest.parse(request);
        Set<String> survivors = new HashSet<>(req.survivors());
        for (String d : req.dropped()) {
            if (survivors.contains(d)) {
                throw new IllegalArgumentException(
                        "node " + nodeId + " refuses to unmask: " + d + " is listed both as survivor and dropout");
            }
        }
        if (req.dropped().contains(nodeId) || !survivors.contains(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " refuses to unmask: it is not listed as a survivor");
        }
        if (survivors.size() < config.threshold()) {
            throw new IllegalArgumentException("node " + nodeId + " refuses to unmask: only " + survivors.size()
                    + " survivors, threshold " + config.threshold());
        }
        Map<String, byte[]> out = new TreeMap<>();
        for (String s : req.survivors()) {
            Shamir.Share sh = seedShares.get(s);
            if (sh != null) {
                out.put(s, sh.toBytes());
            }
        }
        for (String d : req.dropped()) {
            Shamir.Share sh = maskKeyShares.get(d);
            if (sh != null) {
                out.put(d, sh.toBytes());
            }
        }
        return new Shares(out).toBytes();
    }

    /** The share holders of {@code owner}'s secrets, sorted: its neighbours and itself; share x = index + 1. */
    static List<String> holders(String owner, Set<String> neighbourIds) {
        List<String> h = new ArrayList<>(neighbourIds);
        h.add(owner);
        h.sort(null);
        return h;
    }

    private void step(SecAggStage stage) {
        if (stage != expected) {
            throw new IllegalStateException("node " + nodeId + " expected SecAgg stage "
                    + (expected == null ? "none (round finished)" : expected.wireName()) + ", got " + stage.wireName());
        }
        expected = stage.ordinal() + 1 < SecAggStage.values().length ? SecAggStage.values()[stage.ordinal() + 1] : null;
    }
}
