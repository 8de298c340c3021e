package dev.atelier.ml.data;

import java.util.ArrayList;
import java.util.List;

/**
 * How many examples of each label every node holds. A plain record tree, so it serialises directly
 * to JSON (e.g. with Jackson) for run reports; {@link #toTable()} renders it for logs.
 *
 * <p>Thread-safety: immutable.
 *
 * @param classNames label names; index = label
 * @param nodes one entry per node, in node order
 */
public record PartitionSummary(List<String> classNames, List<NodeCounts> nodes) {

    /**
     * Counts of one node.
     *
     * @param node node number
     * @param total examples held
     * @param perLabel examples per label, index = label
     */
    public record NodeCounts(int node, int total, List<Integer> perLabel) {
        public NodeCounts {
            perLabel = List.copyOf(perLabel);
        }

        /** Number of labels with at least one example. */
        public int distinctLabels() {
            return (int) perLabel.stream().filter(c -> c > 0).count();
        }

        /** Share of the most frequent label, in [0, 1]; 0 for an empty node. */
        public double maxLabelShare() {
            int max = perLabel.stream().mapToInt(Integer::intValue).max().orElse(0);
            return total == 0 ? 0 : (double) max / total;
        }
    }

    public PartitionSummary {
        classNames = List.copyOf(classNames);
        nodes = List.copyOf(nodes);
    }

    static PartitionSummary of(List<String> classNames, int[][] counts) {
        List<NodeCounts> rows = new ArrayList<>(counts.length);
        for (int n = 0; n < counts.length; n++) {
            List<Integer> perLabel = new ArrayList<>(counts[n].length);
            int total = 0;
            for (int c : counts[n]) {
                perLabel.add(c);
                total += c;
            }
            rows.add(new NodeCounts(n, total, perLabel));
        }
        return new PartitionSummary(classNames, rows);
    }

    /** Mean over nodes of the most frequent label's share: 1/numClasses when balanced, 1 when pure. */
    public double meanMaxLabelShare() {
        return nodes.stream().mapToDouble(NodeCounts::maxLabelShare).average().orElse(0);
    }

    /**
     * A fixed-width table: one row per node with its total and per-label counts, a totals row, and a
     * legend mapping label numbers to class names. Lines are separated by {@code \n}.
     */
    public String toTable() {
        int labels = classNames.size();
        int[] columnTotals = new int[labels];
        int grand = 0;
        for (NodeCounts n : nodes) {
            for (int l = 0; l < labels; l++) {
                columnTotals[l] += n.perLabel().get(l);
            }
            grand += n.total();
        }
        String num = "%" + Math.max(6, String.valueOf(grand).length() + 2) + "d";
        String text = num.replace('d', 's');
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-5s", "node")).append(String.format(text, "total"));
        for (int l = 0; l < labels; l++) {
            sb.append(String.format(num, l));
        }
        for (NodeCounts n : nodes) {
            sb.append('\n').append(String.format("%-5d", n.node())).append(String.format(num, n.total()));
            for (int l = 0; l < labels; l++) {
                sb.append(String.format(num, n.perLabel().get(l)));
            }
        }
        sb.append('\n').append(String.format("%-5s", "all")).append(String.format(num, grand));
        for (int l = 0; l < labels; l++) {
            sb.append(String.format(num, columnTotals[l]));
        }
        sb.append('\n').append("labels:");
        for (int l = 0; l < labels; l++) {
            sb.append(l == 0 ? " " : ", ").append(l).append('=').append(classNames.get(l));
        }
        return sb.toString();
    }
}
