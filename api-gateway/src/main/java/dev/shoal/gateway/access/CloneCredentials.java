package dev.shoal.gateway.access;

import dev.shoal.platform.identity.CallerClaims;
import dev.shoal.platform.identity.InternalClaims;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Recognises the clone credentials pipeline-service hands to CI agents (JWTs of issuer
 * {@link InternalClaims#CLONE_ISSUER}, signed with the internal key), so an agent can fetch a
 * private repository for the pipeline it runs without any user's token.
 */
@ApplicationScoped
public class CloneCredentials {

    private final JWTParser parser;
    private final JWTAuthContextInfo cloneContext;

    public CloneCredentials(JWTParser parser, JWTAuthContextInfo internalContext) {
        this.parser = parser;
        this.cloneContext = new JWTAuthContextInfo(internalContext);
        this.cloneContext.setIssuedBy(InternalClaims.CLONE_ISSUER);
    }

    /** Whether a Basic password has the shape of a JWT rather than of a Shoal token. */
    public static boolean looksLikeOne(String secret) {
        return secret != null && secret.startsWith("eyJ") && secret.chars().filter(c -> c == '.').count() == 2;
    }

    /** The grant, or empty when the credential is not a valid, unexpired clone credential. */
    public Optional<CloneGrant> verify(String secret) {
        try {
            JsonWebToken jwt = parser.parse(secret, cloneContext);
            Long repoId = CallerClaims.longClaim(jwt, InternalClaims.REPO_ID);
            Long pipelineId = CallerClaims.longClaim(jwt, InternalClaims.PIPELINE_ID);
            return repoId == null || pipelineId == null ? Optional.empty() : Optional.of(new CloneGrant(repoId, pipelineId));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
