package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The critic's personal designer projection: what it adds to the score, and that it never travels. */
class CriticProjectionTest {
    private static final SketchGanConfig PROJECTED = SketchGanConfig.defaults().withCriticProjection(true);
    private static final String E = "disc.designer.weight";

    @Test
    void theProjectionStartsAtZeroAndAddsItsInnerProductWithTheFeaturesToTheScore() {
        var data = TestModels.designer(dev.atelier.sketch.style.Styles.HATCH, 0, 4);
        try (SketchGan plain = TestModels.model(SketchGanConfig.defaults(), 3, data.sketches());
                SketchGan projected = TestModels.model(PROJECTED, 3, data.sketches());
                NDManager m = NDManager.newBaseManager()) {
            ParamSet d = projected.discriminatorParams();
            assertThat(d.names()).contains(E);
            assertThat(plain.discriminatorParams().names()).doesNotContain(E);
            assertThat(d.get(E).shape()).containsExactly(1L, 64L, 1L, 1L);
            assertThat(d.get(E).toFloats()).containsOnly(0f);
            // The shared part is the plain critic's, tensor for tensor: same names, shapes and start.
            assertThat(projected.sharedDiscriminatorParams()).isEqualTo(plain.sharedDiscriminatorParams());

            NDArray x = Images.batch(m, data.sketches(), new int[] {0, 1, 2, 3});
            NDArray stackP = projected.criticInput(projected.encode(x));
            NDArray stack = plain.criticInput(plain.encode(x));
            float[] s0 = plain.criticize(stack, false).get(0).toFloatArray();
            assertThat(projected.criticize(stackP, false).get(0).toFloatArray()).containsExactly(s0);

            // e = 1 everywhere: every score position gains the sum of the last stage's channels there.
            float[] ones = new float[64];
            java.util.Arrays.fill(ones, 1f);
            projected.loadDiscriminator(
                    ParamSet.builder().putF32(E, new long[] {1, 64, 1, 1}, ones).build());
            float[] moved = projected.criticize(stackP, false).get(0).toFloatArray();
            assertThat(moved).hasSameSizeAs(s0);
            // The feature (the last stage's spatial mean) bounds the positions' mean gain.
            NDArray feature = projected.criticize(stackP, false).get(1); // [B, 64]
            float[] gain = feature.sum(new int[] {1}).toFloatArray(); // mean over positions of sum_c h
            int per = s0.length / 4;
            for (int b = 0; b < 4; b++) {
                double mean = 0;
                for (int i = 0; i < per; i++) {
                    mean += (moved[b * per + i] - s0[b * per + i]) / per;
                }
                assertThat(mean)
                        .isCloseTo(gain[b], org.assertj.core.data.Offset.offset(1e-3 + 1e-4 * Math.abs(gain[b])));
            }
        }
    }

    @Test
    void theProjectionNeverLeavesTheNodeAddsNoWireBytesAndStaysEachDesignersOwn() throws Exception {
        Map<String, List<ParamSet>> sent = new ConcurrentHashMap<>();
        long plainBytes;
        try (FederationOutcome plain = SketchFederationRegimesTest.twoDesigners(Regime.FEDERATED, new Schedule(0, 2, 2))
                .build()
                .run()) {
            plainBytes = plain.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS);
        }
        try (FederationOutcome out = SketchFederationRegimesTest.twoDesigners(Regime.FEDERATED, new Schedule(0, 2, 2))
                .optModelConfig(PROJECTED)
                .optWireAudit((d, p) ->
                        sent.computeIfAbsent(d, k -> new ArrayList<>()).add(p))
                .build()
                .run()) {
            assertThat(sent.keySet()).containsExactlyInAnyOrder("bram", "stella");
            for (List<ParamSet> replies : sent.values()) {
                assertThat(replies).hasSize(2);
                for (ParamSet p : replies) {
                    assertThat(p.names())
                            .isNotEmpty()
                            .noneMatch(n -> n.startsWith("disc.designer."))
                            .noneMatch(n -> n.contains(".bn."));
                }
            }
            assertThat(out.sharedCritic().names()).isNotEmpty().doesNotContain(E);
            assertThat(out.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS))
                    .isEqualTo(plainBytes);
            float[] bram = projection(out, "bram");
            float[] stella = projection(out, "stella");
            // Each learnt her own: moved from zero, and not to the same vector.
            assertThat(bram).isNotEqualTo(new float[64]);
            assertThat(stella).isNotEqualTo(new float[64]).isNotEqualTo(bram);
        }
    }

    @Test
    void theCentralizedCriticTravelsWithoutTheDesignersProjections() throws Exception {
        try (FederationOutcome out = SketchFederationRegimesTest.twoDesigners(Regime.CENTRALIZED, new Schedule(0, 2, 1))
                .optModelConfig(PROJECTED)
                .build()
                .run()) {
            assertThat(out.sharedCritic().names())
                    .isNotEmpty()
                    .doesNotContain(E)
                    .anyMatch(n -> n.contains(".bn."));
            float[] bram = projection(out, "bram");
            float[] stella = projection(out, "stella");
            assertThat(bram).isNotEqualTo(stella);
        }
    }

    @Test
    void theSettingRoundTripsThroughTheModelMetadataAndIsAbsentWhenOff() {
        assertThat(SketchGanConfig.defaults().toMap()).doesNotContainKey("critic_projection");
        assertThat(PROJECTED.toMap()).containsEntry("critic_projection", "true");
        assertThat(SketchGanConfig.fromMap(PROJECTED.toMap()))
                .isEqualTo(PROJECTED)
                .isNotEqualTo(SketchGanConfig.defaults());
        assertThat(SketchGanConfig.fromMap(SketchGanConfig.defaults().toMap()).criticProjection())
                .isFalse();
        assertThat(PROJECTED.withCanvas(64).criticProjection()).isTrue();
    }

    /** Her designer projection's weights after the run. */
    private static float[] projection(FederationOutcome out, String designer) {
        return out.trainers().get(designer).model().discriminatorParams().get(E).toFloats();
    }
}
