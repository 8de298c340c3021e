package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.privacy.PrivacyOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The coordinator's privacy keys: read into PrivacyOptions, wrong combinations refused with the key named. */
class PrivacySettingsTest {
    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("run_id", "r1");
        m.put("workload", "classifier");
        m.put("rounds", "5");
        m.put("cert_dir", "certs");
        return m;
    }

    private static CoordinatorConfig parse(Map<String, String> m) {
        return CoordinatorConfig.parse(m, Path.of("."));
    }

    @Test
    void withoutPrivacyKeysNothingIsOn() {
        assertThat(parse(minimal()).privacy().options().any()).isFalse();
    }

    @Test
    void secAggAndDpKeysAreRead() {
        Map<String, String> m = minimal();
        m.put("secagg", "true");
        m.put("secagg_num_shares", "7");
        m.put("secagg_threshold", "4");
        m.put("dp_clip_norm", "0.5");
        m.put("target_epsilon", "8");
        m.put("dp_delta", "1e-6");
        PrivacyOptions o = parse(m).privacy().options();
        assertThat(o.secAgg()).contains(new PrivacyOptions.SecAgg(7, 4, 8.0, 1L << 22));
        assertThat(o.dp()).contains(new PrivacyOptions.Dp(0.5, 0, 8, 1e-6));
    }

    @Test
    void adaptiveClippingKeysAreReadAndValidated() {
        Map<String, String> m = minimal();
        m.put("dp_clip_norm", "0.5");
        m.put("dp_noise_multiplier", "1.1");
        m.put("dp_adaptive_clip", "true");
        m.put("dp_clip_target_quantile", "0.7");
        m.put("dp_clip_count_stddev", "2.5");
        assertThat(parse(m).privacy().options().dp())
                .contains(new PrivacyOptions.Dp(0.5, 1.1, 0, 1e-5)
                        .withAdaptive(new PrivacyOptions.AdaptiveClip(0.7, 0.2, 2.5)));
        Map<String, String> noSigma = minimal();
        noSigma.put("dp_clip_norm", "0.5");
        noSigma.put("target_epsilon", "8");
        noSigma.put("dp_adaptive_clip", "true");
        assertThatThrownBy(() -> parse(noSigma)).hasMessageContaining("needs 'dp_clip_count_stddev'");
        Map<String, String> orphan = minimal();
        orphan.put("dp_clip_norm", "0.5");
        orphan.put("target_epsilon", "8");
        orphan.put("dp_clip_learning_rate", "0.1");
        assertThatThrownBy(() -> parse(orphan))
                .hasMessageContaining("'dp_clip_learning_rate' needs 'dp_adaptive_clip = true'");
        Map<String, String> bad = minimal();
        bad.put("dp_clip_norm", "0.5");
        bad.put("target_epsilon", "8");
        bad.put("dp_adaptive_clip", "true");
        bad.put("dp_clip_count_stddev", "2");
        bad.put("dp_clip_target_quantile", "1.5");
        assertThatThrownBy(() -> parse(bad))
                .hasMessageStartingWith("'dp_clip_*': ")
                .hasMessageContaining("(0, 1)");
        Map<String, String> noClip = minimal();
        noClip.put("dp_adaptive_clip", "true");
        noClip.put("dp_clip_count_stddev", "2");
        assertThatThrownBy(() -> parse(noClip)).hasMessageContaining("need 'dp_clip_norm' > 0");
    }

    @Test
    void robustStrategiesWithSecAggAreAConfigurationError() {
        for (String s : new String[] {"fedmedian", "trimmedmean:beta=0.2", "krum:f=1", "multikrum:f=1,m=2"}) {
            Map<String, String> m = minimal();
            m.put("secagg", "true");
            m.put("strategy", s);
            m.put("sampling.min_available", "8");
            m.put("sampling.min_replies", "8");
            assertThatThrownBy(() -> parse(m))
                    .as(s)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs every node's individual update")
                    .hasMessageContaining("'secagg = true'");
        }
    }

    @Test
    void wrongCombinationsNameTheKey() {
        Map<String, String> noClip = minimal();
        noClip.put("target_epsilon", "8");
        assertThatThrownBy(() -> parse(noClip)).hasMessageContaining("need 'dp_clip_norm' > 0");
        Map<String, String> both = minimal();
        both.put("dp_clip_norm", "1");
        both.put("target_epsilon", "8");
        both.put("dp_noise_multiplier", "1.1");
        assertThatThrownBy(() -> parse(both)).hasMessageContaining("exactly one of a noise multiplier and a target");
        Map<String, String> orphan = minimal();
        orphan.put("secagg_threshold", "3");
        assertThatThrownBy(() -> parse(orphan)).hasMessageContaining("'secagg_threshold' needs 'secagg = true'");
        Map<String, String> even = minimal();
        even.put("secagg", "true");
        even.put("secagg_quantization_range", "1001");
        assertThatThrownBy(() -> parse(even))
                .hasMessageStartingWith("'secagg': ")
                .hasMessageContaining("even");
    }
}
