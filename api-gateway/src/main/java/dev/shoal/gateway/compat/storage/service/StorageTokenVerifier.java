package dev.shoal.gateway.compat.storage.service;

import dev.shoal.gateway.access.Denied;
import dev.shoal.gateway.compat.storage.StorageClaims;
import dev.shoal.gateway.issuer.service.PublicKeys;
import dev.shoal.platform.identity.RefRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Verifies Code Storage JWTs: the issuer named by {@code iss} must be registered, the header's
 * {@code alg} must be the one its key verifies (ES256, RS256 or EdDSA; never "none"), the signature
 * must check out, {@code exp} must be present and in the future, and {@code repo} and
 * {@code scopes} must be present, and per-ref policies ({@code refs}, legacy {@code ops}) must be
 * well formed. Every refusal is a 401 naming the reason.
 */
@ApplicationScoped
public class StorageTokenVerifier {

    /** Peeks at the claims to find the issuer; nothing read here is trusted until verified below. */
    private static final JwtConsumer PEEK = new JwtConsumerBuilder()
            .setSkipAllValidators()
            .setDisableRequireSignature()
            .setSkipSignatureVerification()
            .build();

    private final Pool pool;

    public StorageTokenVerifier(Pool pool) {
        this.pool = pool;
    }

    public Uni<StorageClaims> verify(String jwt, String challenge) {
        if (jwt == null || jwt.isEmpty()) {
            return Uni.createFrom().failure(denied("this route needs a Code Storage JWT: Authorization: Bearer <jwt>", challenge));
        }
        String issuer;
        try {
            JwtContext peeked = PEEK.process(jwt);
            issuer = peeked.getJwtClaims().getIssuer();
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Uni.createFrom().failure(denied("the token is not a well-formed JWT", challenge));
        }
        if (issuer == null || issuer.isBlank()) {
            return Uni.createFrom().failure(denied("the JWT has no 'iss' claim naming a registered storage issuer", challenge));
        }
        return pool.preparedQuery("SELECT id, public_key FROM storage_issuers WHERE name = $1").execute(Tuple.of(issuer))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw denied("the JWT's issuer '" + issuer + "' is not registered", challenge);
                    }
                    Row row = rows.iterator().next();
                    return check(jwt, row.getLong("id"), issuer, PublicKeys.parse(row.getString("public_key")), challenge);
                });
    }

    static StorageClaims check(String jwt, long issuerId, String issuer, PublicKeys.Parsed key, String challenge) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(30)
                .setExpectedIssuer(issuer)
                .setVerificationKey(key.key())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, key.algorithm())
                .setSkipDefaultAudienceValidation()
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(jwt);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw denied("the JWT has expired", challenge);
            }
            if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.EXPIRATION_MISSING)) {
                throw denied("the JWT has no 'exp' claim; Code Storage tokens must expire", challenge);
            }
            throw denied("the JWT is not signed by the key registered for issuer '" + issuer + "' with "
                    + key.algorithm(), challenge);
        }
        Object repo = claims.getClaimValue("repo");
        if (!(repo instanceof String repoId) || repoId.isBlank()) {
            throw denied("the JWT has no 'repo' claim naming a repository (or 'org')", challenge);
        }
        if (repoId.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // no repository can have such an id (and no header could carry it to repo-service)
            throw new Denied(400, "validation_failed",
                    "the JWT's 'repo' claim may not contain NUL or other control characters", null);
        }
        Object rawScopes = claims.getClaimValue("scopes");
        Set<String> scopes = new LinkedHashSet<>();
        if (rawScopes instanceof List<?> list) {
            list.forEach(s -> scopes.add(String.valueOf(s)));
        } else if (rawScopes instanceof String s) {
            scopes.addAll(List.of(s.trim().split("\\s+")));
        } else {
            throw denied("the JWT has no 'scopes' claim", challenge);
        }
        RefRules refs;
        try {
            refs = RefRules.parse(claims.getClaimValue("refs"), claims.getClaimValue("ops"));
        } catch (RefRules.MalformedException e) {
            throw denied("the JWT's ref policies are malformed: " + e.getMessage(), challenge);
        }
        return new StorageClaims(issuerId, issuer, repoId, Set.copyOf(scopes), refs);
    }

    static Denied denied(String message, String challenge) {
        return new Denied(401, "unauthorized", message, challenge);
    }
}
