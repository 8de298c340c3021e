package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.DType;
import dev.atelier.core.privacy.AesCtrPrg;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggNode;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.core.workload.Workload;
import dev.atelier.sketch.model.StyleCard;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Style cards under secure aggregation: what the coordinator receives (recorded as each reply
 * leaves a node, after its sharing filter) holds no style card tensor, only masked int32 vectors,
 * and the card it computes is the example-weighted mean. Pure Java (fake card workloads, no DJL).
 */
class SecureStyleCardsTest {
    private static final int DESIGNERS = 5;

    /** Designer i's card: 2 scales (4 and 8 channels), values spread over [-3, 12]. */
    private static StyleCard card(int i) {
        float[] m1 = new float[4];
        float[] s1 = new float[4];
        float[] m2 = new float[8];
        float[] s2 = new float[8];
        for (int c = 0; c < 4; c++) {
            m1[c] = -3 + i * 0.7f + c;
            s1[c] = 0.1f * (i + 1) + c;
        }
        for (int c = 0; c < 8; c++) {
            m2[c] = 2 * i - c * 0.5f;
            s2[c] = 12 - i - c * 0.25f;
        }
        return new StyleCard(List.of(m1, m2), List.of(s1, s2));
    }

    private static long examples(int i) {
        return 20 + 10L * i;
    }

    /** Replies to ANALYTICS with designer i's card, as SketchWorkload does. */
    private static Workload cards(int i) {
        return (ins, cancel) -> {
            if (ins.kind() != TaskKind.ANALYTICS) {
                throw new IllegalArgumentException("only analytics here");
            }
            return new Reply(ins.nodeId(), ins.round(), card(i).toParamSet(), examples(i), Map.of(), null);
        };
    }

    private static SecureRandom seeded(int i) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(new byte[] {(byte) i, 3});
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Records every reply as it leaves (outermost) and kills {@code dying} at the collect stage. */
    private static NodeMiddleware wire(ConcurrentLinkedQueue<Reply> leaving, Set<String> dying) {
        return (ins, cancel, next) -> {
            if (dying.contains(ins.nodeId())
                    && ins.config().getString(SecAggKeys.STAGE, "").equals("secagg.collect_masked_vectors")) {
                throw new IllegalStateException("killed at collect");
            }
            Reply r = next.handle(ins, cancel);
            leaving.add(r);
            return r;
        };
    }

    /** The sketch node (sharing middleware, card shared), with SecAggNode when {@code secure}. */
    private static List<Node> nodes(ConcurrentLinkedQueue<Reply> leaving, Set<String> dying, boolean secure) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < DESIGNERS; i++) {
            int k = i;
            List<NodeMiddleware> chain = new ArrayList<>();
            chain.add(wire(leaving, dying));
            if (secure) {
                chain.add(new SecAggNode(() -> seeded(k)));
            }
            chain.add(SketchSharing.middleware(true));
            out.add(new Node("d" + i, chain, cards(i)));
        }
        return out;
    }

    private static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DESIGNERS; i++) {
            ids.add("d" + i);
        }
        return ids;
    }

    private static StyleCard expectedMean(Set<Integer> in) {
        List<StyleCard> cs = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int i : in) {
            cs.add(card(i));
            w.add((double) examples(i));
        }
        return StyleCard.average(cs, w.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void assertClose(StyleCard got, StyleCard want) {
        double step = 2 * 256.0 / (1 << 24);
        for (int s = 0; s < 2; s++) {
            float[] gm = got.mean(s);
            float[] wm = want.mean(s);
            for (int c = 0; c < wm.length; c++) {
                assertThat((double) gm[c]).isCloseTo(wm[c], within(2 * step + 1e-6));
                assertThat((double) got.std(s)[c]).isCloseTo(want.std(s)[c], within(2 * step + 1e-6));
            }
        }
    }

    @Test
    void inTheClearEveryCardReachesTheCoordinator() throws Exception {
        ConcurrentLinkedQueue<Reply> leaving = new ConcurrentLinkedQueue<>();
        try (InProcessTransport t = new InProcessTransport(nodes(leaving, Set.of(), false))) {
            StyleCard mean = StyleCardCollector.collect(t, ids());
            assertClose(mean, expectedMean(Set.of(0, 1, 2, 3, 4)));
        }
        // positive control: the recorder sees each designer's own card leave
        assertThat(leaving).hasSize(DESIGNERS);
        assertThat(leaving).allSatisfy(r -> assertThat(r.params().names()).contains("style.s1.mean"));
    }

    @Test
    void underSecAggNoCardLeavesInTheClearAndTheMeanIsExactDespiteADropout() throws Exception {
        ConcurrentLinkedQueue<Reply> leaving = new ConcurrentLinkedQueue<>();
        StyleCard mean;
        try (InProcessTransport t = new InProcessTransport(nodes(leaving, Set.of("d2"), true))) {
            mean = StyleCardCollector.collectSecurely(t, ids(), card(0), new AesCtrPrg(new byte[32]));
        }
        assertClose(mean, expectedMean(Set.of(0, 1, 3, 4)));
        int masked = 0;
        for (Reply r : leaving) {
            assertThat(r.params().names()).noneMatch(n -> n.startsWith(StyleCard.PREFIX));
            if (!r.params().isEmpty()) {
                assertThat(r.params().names()).containsExactly(SecAggKeys.MASKED_TENSOR);
                var v = r.params().get(SecAggKeys.MASKED_TENSOR);
                assertThat(v.dtype()).isEqualTo(DType.I32);
                assertThat(v.numElements()).isEqualTo(24); // 4 + 4 + 8 + 8 card values
                masked++;
            }
        }
        assertThat(masked).isEqualTo(DESIGNERS - 1); // d2 died before sending its vector
    }

    @Test
    void secureCardsNeedThreeSharingDesigners() {
        float[] px = new float[32 * 32];
        var pairs = dev.atelier.sketch.train.SketchPairs.paired(List.of(px), List.of(px));
        var b = SketchFederation.builder()
                .setEncoder(dev.atelier.core.params.ParamSet.empty())
                .addDesigner("a", pairs)
                .addDesigner("b", pairs)
                .addDesigner("c", pairs)
                .optShareStyleCards(Set.of("a", "b"))
                .optSecureStyleCards(true);
        assertThatThrownBy(b::build).hasMessageContaining("at least 3 sharing designers");
        b.optShareStyleCards(Set.of("c")).build(); // three sharing: accepted
    }
}
