package dev.shoal.gateway.access;

import dev.shoal.platform.identity.InternalClaims;
import dev.shoal.platform.identity.InternalTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;

/**
 * Recognises the clone credentials pipeline-service hands to CI agents (JWTs of kind
 * {@link InternalClaims#KIND_CLONE}, signed with pipeline-service's own key and addressed to the
 * gateway, ADR 0006), so an agent can fetch a private repository for the pipeline it runs without
 * any user's token.
 */
@ApplicationScoped
public class CloneCredentials {

    private final InternalTokenVerifier verifier;

    public CloneCredentials(InternalTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** Whether a Basic password has the shape of a JWT rather than of a Shoal token. */
    public static boolean looksLikeOne(String secret) {
        return secret != null && secret.startsWith("eyJ") && secret.chars().filter(c -> c == '.').count() == 2;
    }

    /** The grant, or empty when the credential is not a valid, unexpired clone credential. */
    public Optional<CloneGrant> verify(String secret) {
        try {
            JwtClaims claims = verifier.verifyClone(secret).claims();
            Long repoId = number(claims.getClaimValue(InternalClaims.REPO_ID));
            Long pipelineId = number(claims.getClaimValue(InternalClaims.PIPELINE_ID));
            return repoId == null || pipelineId == null ? Optional.empty() : Optional.of(new CloneGrant(repoId, pipelineId));
        } catch (InternalTokenVerifier.Refused | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Long number(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }
}
