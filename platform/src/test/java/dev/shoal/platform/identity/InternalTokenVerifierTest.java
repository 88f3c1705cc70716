package dev.shoal.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.platform.testing.InternalKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of ADR 0006 and the verified-token cache, on a verifier as repo-service configures it. */
class InternalTokenVerifierTest {

    private static final InternalKeys KEYS = InternalKeys.shared();
    private static final Map<String, Object> SITE_ADMIN = Map.of("kind", "user", "uid", 1, "login", "root",
            "site_admin", true, "scopes", List.of("read", "write", "admin"), "role", "owner");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private InternalTokenVerifier verifier(String self, long skewSeconds, String... trusted) {
        return new InternalTokenVerifier(self, List.of(trusted), Optional.of(KEYS.publicDir().toString()), 100, skewSeconds, registry);
    }

    private double count(String result) {
        return registry.counter("shoal.internal_jwt.verifications", "result", result).count();
    }

    @Test
    void gatewayVouchesForUsersOtherServicesOnlyForThemselves() throws Exception {
        InternalTokenVerifier repo = verifier("repo-service", 30, "api-gateway", "issue-service");
        InternalTokenVerifier.Token admin = repo.verify(KEYS.token("api-gateway", "1", "repo-service", SITE_ADMIN, 60));
        assertThat(admin.issuer()).isEqualTo("api-gateway");
        assertThat(admin.claims().getClaimValue("site_admin")).isEqualTo(true);
        InternalTokenVerifier.Token service = repo.verify(KEYS.serviceToken("issue-service", "repo-service"));
        assertThat(service.kind()).isEqualTo("service");
        // a service key claiming a user, a site admin or a repository: refused
        for (Map<String, Object> claims : List.<Map<String, Object>>of(SITE_ADMIN,
                Map.of("kind", "agent"),
                Map.of("kind", "service", "site_admin", true),
                Map.of("kind", "service", "scopes", List.of("admin")),
                Map.of("kind", "service", "repo_id", 5))) {
            String forged = KEYS.token("issue-service", "issue-service", "repo-service", claims, 60);
            assertThatThrownBy(() -> repo.verify(forged)).isInstanceOf(InternalTokenVerifier.Refused.class);
        }
        // a service naming another as subject
        assertThatThrownBy(() -> repo.verify(KEYS.token("issue-service", "api-gateway", "repo-service", Map.of("kind", "service"), 60)))
                .isInstanceOf(InternalTokenVerifier.Refused.class);
        // an issuer this service does not trust, even saying only "service"
        assertThatThrownBy(() -> repo.verify(KEYS.serviceToken("webhook-service", "repo-service")))
                .hasMessageContaining("not trusted");
    }

    @Test
    void theSignatureMustBeTheIssuersAndTheAudienceThisService() {
        InternalTokenVerifier repo = verifier("repo-service", 30, "api-gateway");
        // webhook-service's key signing a token that says it comes from the gateway
        String claimsGateway = KEYS.token("webhook-service", "1", "repo-service", SITE_ADMIN, 60);
        String[] parts = claimsGateway.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"webhook-service\"", "\"api-gateway\"");
        String relabelled = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        assertThatThrownBy(() -> repo.verify(relabelled)).hasMessageContaining("signature");
        assertThatThrownBy(() -> repo.verify(KEYS.token("api-gateway", "1", "issue-service", SITE_ADMIN, 60)))
                .hasMessageContaining("not for repo-service");
    }

    @Test
    void cloneCredentialsComeFromPipelineServiceAndAreNoInternalToken() throws Exception {
        InternalTokenVerifier gateway = verifier("api-gateway", 30, "repo-service", "issue-service", "pipeline-service");
        InternalTokens pipeline = new InternalTokens(Optional.of(KEYS.privatePem("pipeline-service").toString()), "pipeline-service");
        InternalTokens repo = new InternalTokens(Optional.of(KEYS.privatePem("repo-service").toString()), "repo-service");
        String clone = pipeline.forClone(7, 9, Duration.ofMinutes(5));
        assertThat(gateway.verifyClone(clone).claims().getClaimValue("repo_id")).isEqualTo(7L);
        assertThatThrownBy(() -> gateway.verify(clone)).isInstanceOf(InternalTokenVerifier.Refused.class);
        assertThatThrownBy(() -> gateway.verifyClone(repo.forClone(7, 9, Duration.ofMinutes(5))))
                .hasMessageContaining("may not mint clone credentials");
        assertThatThrownBy(() -> gateway.verifyClone(pipeline.forService("gateway"))).hasMessageContaining("not a clone");
        // and only the gateway's InternalTokens vouches for a caller at all
        assertThatThrownBy(() -> repo.forCaller(new Caller("user", 1L, "x", true, java.util.Set.of(), null, null, Caller.OWNER), "issue"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aVerifiedTokenIsServedFromTheCacheUntilItExpires() throws Exception {
        InternalTokenVerifier repo = verifier("repo-service", 0, "api-gateway");
        String token = KEYS.token("api-gateway", "1", "repo-service", SITE_ADMIN, 2);
        repo.verify(token);
        repo.verify(token);
        repo.verify(token);
        assertThat(count("miss")).isEqualTo(1.0);
        assertThat(count("hit")).isEqualTo(2.0);
        assertThat(repo.cached()).isEqualTo(1);
        Thread.sleep(2_100);
        assertThatThrownBy(() -> repo.verify(token)).hasMessageContaining("expired");
        assertThat(count("hit")).isEqualTo(2.0);
        assertThat(repo.cached()).isZero();
        // refused tokens are not remembered
        String wrong = KEYS.token("api-gateway", "1", "issue-service", SITE_ADMIN, 60);
        assertThatThrownBy(() -> repo.verify(wrong)).isInstanceOf(InternalTokenVerifier.Refused.class);
        assertThatThrownBy(() -> repo.verify(wrong)).isInstanceOf(InternalTokenVerifier.Refused.class);
        assertThat(count("refused")).isEqualTo(3.0);
        assertThat(repo.cached()).isZero();
    }

    @Test
    void aSecondRequestWithTheSameTokenReusesItsPrincipalAndCallerAndAnExpiredOneIsStillRefused() throws Exception {
        InternalTokenVerifier repo = verifier("repo-service", 0, "api-gateway");
        VerifyingPrincipalFactory factory = new VerifyingPrincipalFactory(repo);
        String token = KEYS.token("api-gateway", "1", "repo-service",
                Map.of("kind", "user", "uid", 7, "login", "ada", "scopes", List.of("read", "write"), "org_id", 3,
                        "repo_id", 5, "role", "member", "refs", List.of(List.of("refs/heads/main", List.of("no-force-push")))), 2);

        org.eclipse.microprofile.jwt.JsonWebToken first = factory.parse(token, null);
        Caller caller = CallerClaims.from(first);
        assertThat(caller).isEqualTo(new Caller("user", 7L, "ada", false, java.util.EnumSet.of(Scope.READ, Scope.WRITE),
                3L, 5L, Caller.MEMBER, RefRules.parse(List.of(List.of("refs/heads/main", List.of("no-force-push"))), null)));
        assertThat(first.getRawToken()).isEqualTo(token);
        assertThat(first.getName()).isEqualTo("1");

        org.eclipse.microprofile.jwt.JsonWebToken second = factory.parse(token, null);
        assertThat(second).isSameAs(first);
        assertThat(CallerClaims.from(second)).isSameAs(caller);
        assertThat(repo.verify(token).caller()).isSameAs(caller);
        assertThat(count("miss")).isEqualTo(1.0);
        assertThat(count("hit")).isEqualTo(2.0);
        // the shared principal is not what a caller of claims() gets to change
        repo.verify(token).claims().setClaim("uid", 8);
        assertThat(CallerClaims.from(factory.parse(token, null)).userId()).isEqualTo(7L);
        // nor is the shared caller: a request that widened its scopes would widen every later one's
        assertThatThrownBy(() -> caller.scopes().add(Scope.ADMIN)).isInstanceOf(UnsupportedOperationException.class);

        Thread.sleep(2_100);
        assertThatThrownBy(() -> factory.parse(token, null)).isInstanceOf(io.smallrye.jwt.auth.principal.ParseException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> repo.verify(token)).hasMessageContaining("expired");
        assertThat(count("refused")).isEqualTo(2.0);
    }

    @Test
    void aTokenWhoseCallerCannotBeReadIsRefusedNotRemembered() {
        InternalTokenVerifier repo = verifier("repo-service", 30, "api-gateway");
        String token = KEYS.token("api-gateway", "1", "repo-service", Map.of("kind", "storage", "refs", "not rules"), 60);
        assertThatThrownBy(() -> repo.verify(token)).hasMessageContaining("unreadable claims");
        assertThat(repo.cached()).isZero();
    }

    @Test
    void theCacheStaysBounded() throws Exception {
        InternalTokenVerifier repo = new InternalTokenVerifier("repo-service", List.of("api-gateway"),
                Optional.of(KEYS.publicDir().toString()), 10, 0, registry);
        for (int i = 0; i < 25; i++) {
            repo.verify(KEYS.token("api-gateway", String.valueOf(i), "repo-service", Map.of("kind", "user", "uid", i), 60));
        }
        assertThat(repo.cached()).isLessThanOrEqualTo(10);
    }
}
