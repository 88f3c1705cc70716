package dev.shoal.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refs claim: parsing, normalization, first-match-wins and what each op refuses. */
class RefRulesTest {

    @Test
    void normalizesBranchShorthandAndFoldsLegacyOps() {
        RefRules rules = RefRules.parse(List.of(List.of("main", List.of("no-push")), List.of("feature/*", List.of()),
                List.of("refs/tags/*", List.of("no-force-push", "no-force-push")), List.of("HEAD", List.of("no-push"))), List.of("verify-sig"));
        assertThat(rules.toClaim()).isEqualTo(List.of(List.of("refs/heads/main", List.of("no-push")),
                List.of("refs/heads/feature/*", List.of()), List.of("refs/tags/*", List.of("no-force-push")),
                List.of("HEAD", List.of("no-push")), List.of("*", List.of("verify-sig"))));
        // an explicit catch-all already decides: the legacy ops are not appended after it
        assertThat(RefRules.parse(List.of(List.of("*", List.of())), List.of("no-push")).toClaim()).isEqualTo(List.of(List.of("*", List.of())));
        assertThat(RefRules.parse(null, null)).isNull();
        assertThat(RefRules.parse(List.of(), List.of())).isNull();
    }

    @Test
    void readsTheJsonPFormOfTheInternalJwt() {
        Object claim = Json.createReader(new StringReader("[[\"refs/heads/main\",[\"no-push\"]]]")).readArray();
        assertThat(RefRules.parse(claim, null).match("refs/heads/main").ops()).containsExactly("no-push");
    }

    @Test
    void firstMatchWinsAndPrefixGlobsSpanSegments() {
        RefRules rules = RefRules.parse(List.of(List.of("release/*", List.of()), List.of("refs/heads/*", List.of("no-force-push")),
                List.of("*", List.of("no-push"))), null);
        assertThat(rules.refusal("refs/heads/release/1/2", RefRules.Update.NON_FAST_FORWARD)).isNull();
        assertThat(rules.refusal("refs/heads/topic", RefRules.Update.FAST_FORWARD)).isNull();
        assertThat(rules.refusal("refs/heads/topic", RefRules.Update.CREATE)).isNull();
        assertThat(rules.refusal("refs/heads/topic", RefRules.Update.NON_FAST_FORWARD)).contains("no-force-push").contains("rewritten");
        assertThat(rules.refusal("refs/heads/topic", RefRules.Update.DELETE)).contains("may not be deleted");
        assertThat(rules.refusal("refs/tags/v1", RefRules.Update.CREATE)).contains("refs/tags/v1").contains("['*', [no-push]]");
        // "refs/heads/release" itself is not under the prefix "refs/heads/release/"
        assertThat(RefRules.parse(List.of(List.of("release/*", List.of("no-push"))), null)
                .refusal("refs/heads/release", RefRules.Update.CREATE)).isNull();
        assertThat(RefRules.parse(List.of(List.of("main", List.of("verify-sig"))), null)
                .refusal("refs/heads/main", RefRules.Update.FAST_FORWARD)).contains("signing-key registry");
    }

    @Test
    void refusesMalformedClaims() {
        for (Object bad : List.of("main", List.of("main"), List.of(List.of("main")), List.of(List.of(1, List.of())),
                List.of(List.of("main", "no-push")), List.of(List.of("main", List.of("no-delete"))),
                List.of(List.of("fe*ture", List.of())), List.of(List.of("feature*", List.of())), List.of(List.of("**", List.of())),
                List.of(List.of("", List.of())), List.of(List.of("a\tb", List.of())))) {
            assertThatThrownBy(() -> RefRules.parse(bad, null)).as(String.valueOf(bad)).isInstanceOf(RefRules.MalformedException.class);
        }
        assertThatThrownBy(() -> RefRules.parse(null, "no-push")).isInstanceOf(RefRules.MalformedException.class);
    }
}
