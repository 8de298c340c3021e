package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A real (tiny) sketch federation with {@code optSecureStyleCards}: every payload a designer's node
 * sends, after its sharing filter, is observed by the wire audit; no style card tensor is among
 * them, the cards leave only as masked int32 vectors, and the federation card is the
 * example-weighted mean of the three designers' own cards.
 */
class SecureStyleCardFederationTest {
    @Test
    void theCoordinatorReceivesOnlyMaskedVectorsAndComputesTheMeanCard() throws Exception {
        Map<String, List<ParamSet>> sent = new ConcurrentHashMap<>();
        Map<String, Integer> sizes = Map.of("ada", 12, "hugo", 20, "chloe", 16);
        FederationOutcome outcome = SketchFederation.builder()
                .setEncoder(TestModels.encoderParams())
                .addDesigner("ada", TestModels.designer(Styles.CONTOUR, 0, 12))
                .addDesigner("hugo", TestModels.designer(Styles.HATCH, 50, 20))
                .addDesigner("chloe", TestModels.designer(Styles.CHALK, 100, 16))
                .optSchedule(new Schedule(1, 1, 1))
                .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4))
                .optSeed(3)
                .optShareStyleCards(Set.of("ada", "hugo", "chloe"))
                .optSecureStyleCards(true)
                .optWireAudit((designer, params) ->
                        sent.computeIfAbsent(designer, d -> new ArrayList<>()).add(params))
                .build()
                .run();
        try {
            int masked = 0;
            for (var e : sent.entrySet()) {
                for (ParamSet p : e.getValue()) {
                    assertThat(p.names()).as(e.getKey()).noneMatch(n -> n.startsWith(StyleCard.PREFIX + "."));
                    if (p.contains(SecAggKeys.MASKED_TENSOR)) {
                        assertThat(p.names()).containsExactly(SecAggKeys.MASKED_TENSOR);
                        assertThat(p.get(SecAggKeys.MASKED_TENSOR).dtype()).isEqualTo(DType.I32);
                        masked++;
                    }
                }
            }
            assertThat(masked).as("one masked card per designer").isEqualTo(3);
            List<StyleCard> own = new ArrayList<>();
            double[] w = new double[3];
            int k = 0;
            for (String d : List.of("ada", "hugo", "chloe")) {
                own.add(outcome.trainers().get(d).ownStyleCard());
                w[k++] = sizes.get(d);
            }
            StyleCard want = StyleCard.average(own, w);
            StyleCard got = outcome.federationCard();
            double step = 2 * 256.0 / (1 << 24);
            for (int s = 0; s < want.scales(); s++) {
                for (int c = 0; c < want.mean(s).length; c++) {
                    assertThat((double) got.mean(s)[c]).isCloseTo(want.mean(s)[c], within(2 * step));
                    assertThat((double) got.std(s)[c]).isCloseTo(want.std(s)[c], within(2 * step));
                }
            }
        } finally {
            outcome.close();
        }
    }
}
