package dev.atelier.sketch.student;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import dev.atelier.ml.nn.layers.SpectralNormConv2d;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts multiply-accumulates (MACs) per example analytically from a DJL block's layer shapes.
 *
 * <pre>
 *   convolution  (Conv2d, any groups; SpectralNormConv2d)   H_out·W_out·C_out·(C_in/groups)·k_h·k_w
 *   linear                                                  in·out (times any non-batch leading axes)
 * </pre>
 * Every other operation (bias adds, BatchNorm, activations, pooling, up-sampling, concatenation,
 * AdaIN, scalar skip weights, tanh) is not a MAC and is not counted. A layer's shapes are the ones it
 * was initialised with ({@link Block#getInputShapes()}), so the block must be initialised with the
 * spatial sizes it runs at; the batch axis is dropped, so the count is per example whatever batch the
 * block was initialised with. A leaf block of an unknown kind that has parameters is an error rather
 * than a silent zero. Stateless, thread-safe for blocks that are not being re-initialised.
 */
public final class MacCounter {
    private MacCounter() {}

    /** Total MACs per example of the initialised {@code block}. */
    public static long count(Block block) {
        return layers(block, "").stream().mapToLong(LayerCost::macs).sum();
    }

    /**
     * The cost of every convolution and linear layer of the initialised {@code block}, in block order,
     * named like parameters ({@code prefix.child.grandchild}).
     */
    public static List<LayerCost> layers(Block block, String prefix) {
        List<LayerCost> out = new ArrayList<>();
        walk(block, prefix, out);
        return out;
    }

    private static void walk(Block block, String path, List<LayerCost> out) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("block '" + path + "' is not initialised: MACs need its input shapes");
        }
        if (block instanceof Convolution c) {
            Shape in = perExample(c.getInputShapes()[0]);
            Shape o = perExample(c.getOutputShapes(c.getInputShapes())[0]);
            long spatial = o.size() / o.get(0);
            long macs = spatial
                    * c.getFilters()
                    * (in.get(0) / c.getGroups())
                    * c.getKernelShape().size();
            out.add(new LayerCost(
                    path,
                    c.getGroups() == 1 ? "conv" : "conv(groups=" + c.getGroups() + ")",
                    in,
                    o,
                    macs,
                    weights(block)));
        } else if (block instanceof SpectralNormConv2d c) {
            Shape in = perExample(c.getInputShapes()[0]);
            Shape o = perExample(c.getOutputShapes(c.getInputShapes())[0]);
            long kernel = weight(c).getArray().getShape().size(); // [F, C, kh, kw]
            out.add(new LayerCost(path, "conv", in, o, o.size() / o.get(0) * kernel, weights(block)));
        } else if (block instanceof Linear l) {
            Shape in = perExample(l.getInputShapes()[0]);
            Shape o = perExample(l.getOutputShapes(l.getInputShapes())[0]);
            long inFeatures = in.get(in.dimension() - 1);
            out.add(new LayerCost(path, "linear", in, o, o.size() * inFeatures, weights(block)));
        } else if (block instanceof BatchNorm) {
            return;
        } else if (block.getChildren().isEmpty()) {
            if (!block.getDirectParameters().isEmpty()) {
                throw new IllegalArgumentException("cannot count MACs of layer '" + path + "' ("
                        + block.getClass().getSimpleName()
                        + "): only convolutions, linear layers and BatchNorm may hold parameters");
            }
        } else {
            Map<String, Integer> counts = new HashMap<>();
            for (Pair<String, Block> child : block.getChildren()) {
                counts.merge(segment(child.getKey()), 1, Integer::sum);
            }
            for (Pair<String, Block> child : block.getChildren()) {
                String seg = segment(child.getKey());
                if (counts.get(seg) > 1) {
                    seg = seg + "_" + Integer.parseInt(child.getKey().replaceAll("^(\\d+).*", "$1"));
                }
                walk(child.getValue(), path.isEmpty() ? seg : path + "." + seg, out);
            }
        }
    }

    private static Parameter weight(Block block) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getKey().equals("weight")) {
                return p.getValue();
            }
        }
        throw new IllegalStateException(block.getClass().getSimpleName() + " has no 'weight' parameter");
    }

    private static long weights(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    private static Shape perExample(Shape withBatch) {
        return withBatch.slice(1);
    }

    /** Child names as in {@code BlockParams}: DJL's two-digit position prefix dropped, lower case. */
    private static String segment(String childName) {
        return childName.replaceFirst("^\\d+", "").toLowerCase(Locale.ROOT);
    }
}
