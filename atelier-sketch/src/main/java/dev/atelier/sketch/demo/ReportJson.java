package dev.atelier.sketch.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code report.json} tree of a {@link DemoReport} (format {@value #FORMAT}, snake_case keys,
 * documented in docs/demo.md): plain maps and lists in a fixed key order, ready for Jackson.
 */
final class ReportJson {
    static final String FORMAT = "atelier-demo-report/1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private ReportJson() {}

    static Map<String, Object> tree(DemoReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("designers", r.designers().stream().map(ReportJson::designer).toList());
        root.put(
                "regimes",
                Arrays.stream(DemoRegime.values()).map(DemoRegime::key).toList());
        root.put("timing", r.timing());
        DemoReport.Cost cost = r.cost();
        root.put(
                "generation_ms",
                teacherStudent(cost.latency().teacherMs(), cost.latency().studentMs()));
        Map<String, Long> params =
                teacherStudent(cost.teacher().params(), cost.student().params());
        params.put("encoder", cost.teacher().encoderParams());
        root.put("params", params);
        root.put("macs", teacherStudent(cost.teacher().macs(), cost.student().macs()));
        Map<String, Double> networks = new LinkedHashMap<>();
        networks.put("public_feature_net_accuracy", r.networks().publicFeatureNet());
        networks.put("evaluator_style_accuracy", r.networks().evaluatorStyle());
        networks.put("evaluator_garment_accuracy", r.networks().evaluatorGarment());
        root.put("networks", networks);
        Map<String, Object> curves = new LinkedHashMap<>();
        r.curves().forEach((regime, c) -> curves.put(regime.key(), c));
        root.put("curves", curves);
        root.put("notes", r.notes());
        root.put("config", config(r.config()));
        return root;
    }

    private static Map<String, Object> designer(DemoReport.DesignerResult d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("style", d.style());
        m.put("train_pairs", d.trainPairs());
        m.put("seen_categories", d.seenCategories());
        Map<String, Object> metrics = new LinkedHashMap<>();
        d.metrics().forEach((regime, v) -> metrics.put(regime.key(), v.toMap()));
        m.put("metrics", metrics);
        return m;
    }

    private static Map<String, Object> config(DemoReport.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", settings(c.settings()));
        m.put("held_out_garments", c.heldOutGarments());
        m.put("gan", c.gan());
        m.put("student", c.student());
        return m;
    }

    /**
     * The settings as one flat object (as before the settings were grouped): {@code out, quick,
     * seed}, then every field of the inputs, schedule, budget, evaluation, training and federation
     * groups under its own name. Paths are written as Jackson writes them (file URIs).
     */
    static Map<String, Object> settings(DemoSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", JSON.convertValue(s.out(), Object.class));
        m.put("quick", s.preset() == DemoPreset.QUICK);
        m.put("seed", s.seed());
        for (Object group :
                List.of(s.inputs(), s.schedule(), s.budget(), s.evaluation(), s.training(), s.federation())) {
            Map<String, Object> fields = JSON.convertValue(group, MAP);
            for (var e : fields.entrySet()) {
                if (m.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw new IllegalStateException("two settings groups name '" + e.getKey() + "'");
                }
            }
        }
        return m;
    }

    /** {@code {"teacher": teacher, "student": student}} in that order, still open for more keys. */
    private static <V> Map<String, V> teacherStudent(V teacher, V student) {
        Map<String, V> m = new LinkedHashMap<>();
        m.put("teacher", teacher);
        m.put("student", student);
        return m;
    }
}
