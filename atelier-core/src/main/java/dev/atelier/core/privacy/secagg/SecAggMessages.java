package dev.atelier.core.privacy.secagg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payloads of the four {@link SecAggStage}s, each with a byte encoding ({@link Wire}) whose
 * parser bounds every field. Node ids are at most 256 UTF-8 bytes; maps are sorted by id.
 */
public final class SecAggMessages {
    private SecAggMessages() {}

    /** SETUP request: the round's parameters (same for every node). */
    public record SetupRequest(String roundId, int numShares, int threshold, int vectorLength) {
        public SetupRequest {
            if (threshold < 2 || threshold > numShares) {
                throw new IllegalArgumentException(
                        "reconstruction threshold must be in [2, numShares=" + numShares + "], got " + threshold);
            }
            if (vectorLength < 1 || vectorLength > (1 << 28)) {
                throw new IllegalArgumentException("vector length must be in [1, 2^28], got " + vectorLength);
            }
        }

        public byte[] toBytes() {
            return new Wire.Writer()
                    .str(roundId)
                    .i32(numShares)
                    .i32(threshold)
                    .i32(vectorLength)
                    .toBytes();
        }

        public static SetupRequest parse(byte[] b) {
            Wire.Reader r = new Wire.Reader(b, "setup request");
            SetupRequest m = new SetupRequest(r.str(), r.i32(), r.i32(), r.i32());
            r.end();
            return m;
        }
    }

    /** A node's public keys: {@code encryption} for share transport, {@code mask} for pairwise masks. */
    public record PublicKeys(byte[] encryption, byte[] mask) {
        public PublicKeys {
            if (encryption.length != X25519.KEY_BYTES || mask.length != X25519.KEY_BYTES) {
                throw new IllegalArgumentException("public keys must be 32 bytes each");
            }
        }

        public byte[] toBytes() {
            return new Wire.Writer().blob(encryption).blob(mask).toBytes();
        }

        public static PublicKeys parse(byte[] b) {
            Wire.Reader r = new Wire.Reader(b, "setup reply");
            PublicKeys k = new PublicKeys(r.blob(32), r.blob(32));
            r.end();
            return k;
        }
    }

    /** SHARE_KEYS request: the node's neighbours and their public keys. */
    public record ShareKeysRequest(Map<String, PublicKeys> neighbourKeys) {
        public ShareKeysRequest {
            neighbourKeys = Collections.unmodifiableMap(new TreeMap<>(neighbourKeys));
        }

        public byte[] toBytes() {
            Wire.Writer w = new Wire.Writer().i32(neighbourKeys.size());
            neighbourKeys.forEach((id, k) -> w.str(id).blob(k.encryption()).blob(k.mask()));
            return w.toBytes();
        }

        public static ShareKeysRequest parse(byte[] b) {
            Wire.Reader r = new Wire.Reader(b, "share-keys request");
            int n = r.count(Wire.MAX_COUNT);
            Map<String, PublicKeys> m = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                m.put(r.str(), new PublicKeys(r.blob(32), r.blob(32)));
            }
            r.end();
            return new ShareKeysRequest(m);
        }
    }

    /**
     * Encrypted share bundles keyed by the other end's id: in a SHARE_KEYS reply the key is the
     * destination, in a COLLECT_MASKED_VECTORS request the source.
     */
    public record Ciphertexts(Map<String, byte[]> byNode) {
        public Ciphertexts {
            byNode = Collections.unmodifiableMap(new TreeMap<>(byNode));
        }

        public byte[] toBytes() {
            Wire.Writer w = new Wire.Writer().i32(byNode.size());
            byNode.forEach((id, c) -> w.str(id).blob(c));
            return w.toBytes();
        }

        public static Ciphertexts parse(byte[] b) {
            Wire.Reader r = new Wire.Reader(b, "share ciphertexts");
            int n = r.count(Wire.MAX_COUNT);
            Map<String, byte[]> m = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                m.put(r.str(), r.blob(Wire.MAX_BLOB));
            }
            r.end();
            return new Ciphertexts(m);
        }
    }

    /** COLLECT_MASKED_VECTORS reply: the masked vector over Z_{2^32}. */
    public record MaskedVector(int[] values) {
        public byte[] toBytes() {
            return new Wire.Writer().ints(values).toBytes();
        }

        public static MaskedVector parse(byte[] b, int expectedLength) {
            Wire.Reader r = new Wire.Reader(b, "masked vector");
            MaskedVector v = new MaskedVector(r.ints(expectedLength));
            r.end();
            return v;
        }
    }

    /** UNMASK request: who sent a masked vector and who dropped after sharing keys. */
    public record UnmaskRequest(List<String> survivors, List<String> dropped) {
        public UnmaskRequest {
            survivors = List.copyOf(survivors);
            dropped = List.copyOf(dropped);
        }

        public byte[] toBytes() {
            Wire.Writer w = new Wire.Writer().i32(survivors.size());
            survivors.forEach(w::str);
            w.i32(dropped.size());
            dropped.forEach(w::str);
            return w.toBytes();
        }

        public static UnmaskRequest parse(byte[] b) {
            Wire.Reader r = new Wire.Reader(b, "unmask request");
            List<String> s = new ArrayList<>();
            for (int i = r.count(Wire.MAX_COUNT); i > 0; i--) {
                s.add(r.str());
            }
            List<String> d = new ArrayList<>();
            for (int i = r.count(Wire.MAX_COUNT); i > 0; i--) {
                d.add(r.str());
            }
            r.end();
            return new UnmaskRequest(s, d);
        }
    }

    /** UNMASK reply: per node id, the share this node holds (self-mask seed for survivors, mask key for dropouts). */
    public record Shares(Map<String, byte[]> byNode) {
        public Shares {
            byNode = Collections.unmodifiableMap(new TreeMap<>(byNode));
        }

        public byte[] toBytes() {
            return new Ciphertexts(byNode).toBytes();
        }

        public static Shares parse(byte[] b) {
            return new Shares(Ciphertexts.parse(b).byNode());
        }
    }
}
