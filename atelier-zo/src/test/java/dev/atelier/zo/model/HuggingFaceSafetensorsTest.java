package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The core safetensors reader on checkpoints written by Hugging Face {@code save_pretrained}: the
 * three references copied into this module's test resources ({@link LmRefs}).
 */
class HuggingFaceSafetensorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path ref(String model) {
        return LmRefs.dir(model);
    }

    @Test
    void tinyGpt2NamesShapesAndValues() throws IOException {
        Safetensors.Contents c = Safetensors.readWithMetadata(ref("tiny-gpt2").resolve("model.safetensors"));
        ParamSet p = c.params();
        assertThat(c.metadata()).containsEntry("format", "pt");
        assertThat(p.size()).isEqualTo(28);
        assertThat(p.get("transformer.wte.weight").shape()).containsExactly(500, 64);
        assertThat(p.get("transformer.wpe.weight").shape()).containsExactly(64, 64);
        assertThat(p.get("transformer.h.0.attn.c_attn.weight").shape()).containsExactly(64, 192); // Conv1D: [in, out]
        assertThat(p.contains("lm_head.weight")).isFalse(); // tied to wte
        assertThat(p.names()).allMatch(n -> p.get(n).dtype() == DType.F32);
        // Values read with an independent struct.unpack of the file.
        float[] wte = p.get("transformer.wte.weight").toFloats();
        assertThat(wte[0]).isEqualTo(0.0057249534875154495f);
        assertThat(wte[1]).isEqualTo(-0.014670093543827534f);
        assertThat(wte[3]).isEqualTo(0.019056132063269615f);
        assertThat(p.get("transformer.ln_f.weight").toFloats()).containsOnly(1.0f);
        // Data-offset order, which HF writes alphabetically.
        assertThat(p.names().iterator().next()).isEqualTo("transformer.h.0.attn.c_attn.bias");
        assertThat(p.byteSize()).isEqualTo(544_768);
    }

    @Test
    void tinyOptAndTinyLlamaShapes() throws IOException {
        ParamSet opt = Safetensors.read(ref("tiny-opt").resolve("model.safetensors"));
        assertThat(opt.get("model.decoder.embed_positions.weight").shape())
                .containsExactly(66, 64); // positions offset by 2
        assertThat(opt.get("model.decoder.layers.1.fc1.weight").shape()).containsExactly(256, 64);
        assertThat(opt.size()).isEqualTo(36);

        ParamSet llama = Safetensors.read(ref("tiny-llama").resolve("model.safetensors"));
        assertThat(llama.get("lm_head.weight").shape()).containsExactly(500, 64); // untied head
        assertThat(llama.get("model.layers.0.self_attn.k_proj.weight").shape()).containsExactly(32, 64); // 2 KV heads
        assertThat(llama.get("model.layers.0.self_attn.q_proj.weight").shape()).containsExactly(64, 64);
        assertThat(llama.size()).isEqualTo(21);
    }

    @Test
    void referenceOutputsAgreeWithReferenceJson() throws IOException {
        for (String model : new String[] {"tiny-gpt2", "tiny-opt", "tiny-llama"}) {
            Path dir = ref(model);
            ParamSet r = Safetensors.read(dir.resolve("reference.safetensors"));
            JsonNode json = JSON.readTree(dir.resolve("reference.json").toFile());
            Tensor ids = r.get("input_ids");
            Tensor logits = r.get("logits");
            assertThat(ids.dtype()).isEqualTo(DType.I32);
            assertThat(ids.shape()).containsExactly(2, 12);
            assertThat(logits.dtype()).isEqualTo(DType.F32);
            assertThat(logits.shape()).containsExactly(2, 12, 500);
            long[] idValues = ids.toLongs();
            float[] logitValues = logits.toFloats();
            for (int row = 0; row < 2; row++) {
                for (int pos = 0; pos < 12; pos++) {
                    assertThat(idValues[row * 12 + pos])
                            .as(model + " id " + row + "," + pos)
                            .isEqualTo(json.get("input_ids").get(row).get(pos).asLong());
                }
                for (int v = 0; v < 8; v++) {
                    float expected = (float)
                            json.get("last_logits_first8").get(row).get(v).asDouble();
                    assertThat(logitValues[(row * 12 + 11) * 500 + v])
                            .as(model + " logit " + row + "," + v)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void rewritingAnHfFileKeepsEveryTensorAndTheMetadata() throws IOException {
        Path src = ref("tiny-llama").resolve("model.safetensors");
        Safetensors.Contents c = Safetensors.readWithMetadata(src);
        byte[] again = Safetensors.encode(c.params(), c.metadata());
        Safetensors.Contents back = Safetensors.decode(again);
        assertThat(back.params()).isEqualTo(c.params());
        assertThat(back.metadata()).isEqualTo(c.metadata());
        // Same tensor order as the HF file, so the data sections are byte-identical.
        byte[] original = Files.readAllBytes(src);
        int dataBytes = Math.toIntExact(c.params().byteSize());
        assertThat(Arrays.copyOfRange(again, again.length - dataBytes, again.length))
                .isEqualTo(Arrays.copyOfRange(original, original.length - dataBytes, original.length));
    }
}
