package dev.atelier.sketch.student;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Size and compute of one sketch generator (teacher or student), split into what is the model's
 * own and what is the frozen encoder every model of the federation shares.
 *
 * @param decoderParams trainable decoder weights (BatchNorm running statistics excluded)
 * @param styleParams   style-card numbers (channel means and stds of every encoder scale)
 * @param encoderParams frozen encoder weights (BatchNorm running statistics excluded)
 * @param decoderMacs   decoder multiply-accumulates per sketch on the model's canvas (32×32 by default)
 * @param encoderMacs   encoder multiply-accumulates per garment on the model's canvas
 */
public record ModelCost(long decoderParams, long styleParams, long encoderParams, long decoderMacs, long encoderMacs) {

    /** The report's {@code params.<model>}: decoder plus style card (the encoder is counted apart). */
    public long params() {
        return decoderParams + styleParams;
    }

    /** The report's {@code macs.<model>}: MACs per 32×32 sketch, encoder included. */
    public long macs() {
        return decoderMacs + encoderMacs;
    }

    /** All fields by report name. */
    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("params", params());
        m.put("decoder_params", decoderParams);
        m.put("style_params", styleParams);
        m.put("encoder_params", encoderParams);
        m.put("macs", macs());
        m.put("decoder_macs", decoderMacs);
        m.put("encoder_macs", encoderMacs);
        return m;
    }
}
