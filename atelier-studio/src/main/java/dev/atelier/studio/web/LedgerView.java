package dev.atelier.studio.web;

import static dev.atelier.studio.web.Html.esc;

import dev.atelier.core.transport.SentMessage;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.privacy.DpSgdSettings;
import dev.atelier.transport.node.OutboundLedger;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * "What left my machine", per round, from her node's own outbound ledger: bytes of critic
 * parameters ({@code disc.*} tensors and the payload's header), style card ({@code style.*}),
 * metrics, compact payloads, control (registration, heartbeats, pulls, message framing), and
 * images and sketches: the bytes of any tensor that is neither critic nor style card, which the
 * sketch node's outbound filter never lets through, so the column reads 0 unless something is
 * wrong. Also the parameter names sent and ε when the node reports DP-SGD spending.
 */
final class LedgerView {
    /** The metric a sketch node sends when per-sketch DP-SGD is on: ε spent so far. */
    static final String EPSILON = DpSgdSettings.EPSILON;
    /** The δ of that ε, when the node sends it. */
    static final String DELTA = DpSgdSettings.DELTA;

    private LedgerView() {}

    /** One round's totals. */
    record Round(
            int round,
            long critic,
            long style,
            long images,
            long metrics,
            long compact,
            long control,
            Set<String> names,
            OptionalDouble epsilon,
            OptionalDouble delta) {}

    static List<Round> rounds(List<OutboundLedger.Entry> entries) {
        Map<Integer, Acc> by = new TreeMap<>();
        for (OutboundLedger.Entry e : entries) {
            SentMessage m = e.message();
            Acc a = by.computeIfAbsent(m.round(), r -> new Acc());
            long style = 0;
            long other = 0;
            for (SentMessage.TensorBytes t : m.tensors()) {
                a.names.add(t.name());
                if (t.name().startsWith(StyleCard.PREFIX + ".")) {
                    style += t.bytes();
                } else if (!t.name().startsWith(SketchGan.DISC + ".")) {
                    other += t.bytes();
                }
            }
            a.style += style;
            a.images += other;
            a.critic += Math.max(0, m.bytes(PayloadKind.PARAMETERS) - style - other);
            a.metrics += m.bytes(PayloadKind.METRICS);
            a.compact += m.bytes(PayloadKind.COMPACT);
            a.control += m.bytes(PayloadKind.CONTROL);
            Double eps = m.metrics().get(EPSILON);
            if (eps != null) {
                a.epsilon = OptionalDouble.of(eps);
            }
            Double delta = m.metrics().get(DELTA);
            if (delta != null) {
                a.delta = OptionalDouble.of(delta);
            }
        }
        return by.entrySet().stream()
                .map(x -> {
                    Acc a = x.getValue();
                    return new Round(
                            x.getKey(),
                            a.critic,
                            a.style,
                            a.images,
                            a.metrics,
                            a.compact,
                            a.control,
                            a.names,
                            a.epsilon,
                            a.delta);
                })
                .toList();
    }

    private static final class Acc {
        long critic;
        long style;
        long images;
        long metrics;
        long compact;
        long control;
        final Set<String> names = new TreeSet<>();
        OptionalDouble epsilon = OptionalDouble.empty();
        OptionalDouble delta = OptionalDouble.empty();
    }

    static String table(List<Round> rounds) {
        StringBuilder b = new StringBuilder("<table id=\"ledger\"><thead><tr><th>round</th><th>critic parameters</th>"
                + "<th>style card</th><th>metrics</th><th>compact</th><th>control</th>"
                + "<th>images &amp; sketches</th><th>ε spent</th><th>parameter names</th></tr></thead><tbody>");
        for (Round r : rounds) {
            b.append("<tr class=\"round\" data-round=\"")
                    .append(r.round())
                    .append("\"><td>")
                    .append(r.round() == 0 ? "0 (joining)" : r.round())
                    .append("</td>")
                    .append(cell("critic", r.critic()))
                    .append(cell("style", r.style()))
                    .append(cell("metrics", r.metrics()))
                    .append(cell("compact", r.compact()))
                    .append(cell("control", r.control()))
                    .append(cell("images", r.images()))
                    .append("<td class=\"epsilon\">")
                    .append(r.epsilon().isPresent() ? epsilon(r) : "DP off")
                    .append("</td><td class=\"names\">")
                    .append(names(r.names()))
                    .append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private static String epsilon(Round r) {
        String e = String.format("ε = %.3g", r.epsilon().getAsDouble());
        return r.delta().isPresent()
                ? e + String.format(" at δ = %.1e", r.delta().getAsDouble())
                : e;
    }

    private static String cell(String cls, long bytes) {
        return "<td class=\"" + cls + "\" data-bytes=\"" + bytes + "\">" + bytes(bytes) + "</td>";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return String.format("%.2f MiB", n / (1024.0 * 1024));
    }

    private static String names(Set<String> names) {
        if (names.isEmpty()) {
            return "—";
        }
        StringBuilder b = new StringBuilder("<details><summary>")
                .append(names.size())
                .append(names.size() == 1 ? " tensor" : " tensors")
                .append("</summary><ul>");
        for (String n : names) {
            b.append("<li><code>").append(esc(n)).append("</code></li>");
        }
        return b.append("</ul></details>").toString();
    }
}
