package dev.shoal.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    @Test
    void decodesEveryFieldWithItsValuesInOrder() {
        Map<String, List<String>> fields = FormBody.decode("tags=a&title=Hello+W%C3%B6rld&&tags=b%26c&flag&empty=");

        assertThat(fields).containsExactly(Map.entry("tags", List.of("a", "b&c")), Map.entry("title", List.of("Hello Wörld")),
                Map.entry("flag", List.of("")), Map.entry("empty", List.of("")));
    }

    @Test
    void aBadEscapeNamesItsPairCutTo40Characters() {
        assertThatThrownBy(() -> FormBody.decode("ok=1&bad=%zz"))
                .isInstanceOfSatisfying(FormBody.MalformedPair.class, e -> assertThat(e.shown()).isEqualTo("bad=%zz"));
        String tooLong = "x".repeat(50) + "=%";
        assertThatThrownBy(() -> FormBody.decode(tooLong))
                .isInstanceOfSatisfying(FormBody.MalformedPair.class, e -> assertThat(e.shown()).isEqualTo("x".repeat(40) + "…"));
    }
}
