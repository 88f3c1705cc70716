package dev.shoal.platform.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.lang.JoseException;

/**
 * Verifies internal JWTs (ADR 0006): the key that signed a token must be the key of the service its
 * {@code iss} names, that service must be one this process trusts, the token must be addressed to
 * this process ({@code aud}), unexpired, and of a kind its issuer may mint: only the gateway vouches
 * for users, agents, Code Storage callers and site admins; any other service can only say "I am
 * service X".
 *
 * <p>A verified token is remembered, keyed by its exact text, until it expires, so the ES256
 * verification (three quarters of a service's CPU under load before this cache) runs once per token
 * rather than once per request: the gateway reuses a token for minutes. What is remembered is the
 * whole {@link Token}, its {@link VerifiedPrincipal} and {@link Caller} included, built once and
 * shared read-only by every request that presents the token (rebuilding them from the claims on
 * every hit was a quarter of a service's CPU). The expiry is checked on every use; refused tokens
 * are not remembered. Hits and misses are counted in {@code shoal.internal_jwt.verifications}.
 */
@ApplicationScoped
public class InternalTokenVerifier {

    private static final Logger LOG = Logger.getLogger(InternalTokenVerifier.class);
    private final String self;
    private final Set<String> trustedIssuers;
    private final Optional<String> publicKeysDir;
    private final int cacheSize;
    /** Allowed drift between the minting and the verifying clock. */
    private final long skewSeconds;
    private final Map<String, Token> cache = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;
    private final Counter refused;
    private volatile Map<String, PublicKey> keys;

    public InternalTokenVerifier(@ConfigProperty(name = "quarkus.application.name") String self,
                                 @ConfigProperty(name = "shoal.internal-jwt.trusted-issuers", defaultValue = InternalClaims.GATEWAY) List<String> trustedIssuers,
                                 @ConfigProperty(name = "shoal.internal-jwt.public-keys-dir") Optional<String> publicKeysDir,
                                 @ConfigProperty(name = "shoal.internal-jwt.verified-cache-size", defaultValue = "10000") int cacheSize,
                                 @ConfigProperty(name = "shoal.internal-jwt.clock-skew-seconds", defaultValue = "30") long skewSeconds,
                                 MeterRegistry registry) {
        this.self = self;
        this.trustedIssuers = Set.copyOf(trustedIssuers);
        this.publicKeysDir = publicKeysDir;
        this.cacheSize = cacheSize;
        this.skewSeconds = skewSeconds;
        this.hits = counter(registry, "hit");
        this.misses = counter(registry, "miss");
        this.refused = counter(registry, "refused");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("shoal.internal_jwt.verifications")
                .description("Internal JWTs presented to this service: hit = already verified, served from the cache; "
                        + "miss = signature verified now; refused = not accepted")
                .tag("result", result).register(registry);
    }

    /**
     * A verified token: built once per token text and shared across requests and threads while it
     * lives, so everything in it is immutable.
     */
    public static final class Token {
        private final String issuer;
        private final String kind;
        private final long expiresAtSeconds;
        private final String payload;
        private final VerifiedPrincipal principal;

        private Token(String issuer, String kind, long expiresAtSeconds, String payload, VerifiedPrincipal principal) {
            this.issuer = issuer;
            this.kind = kind;
            this.expiresAtSeconds = expiresAtSeconds;
            this.payload = payload;
            this.principal = principal;
        }

        public String issuer() {
            return issuer;
        }

        public String kind() {
            return kind;
        }

        /** The principal Quarkus security and {@code JWTParser} hand out for this token. */
        public VerifiedPrincipal principal() {
            return principal;
        }

        /** The caller the token vouches for, read from its claims once. */
        public Caller caller() {
            return principal.caller();
        }

        /** The claims as a fresh copy the caller may keep and change (parsed on each call: not for hot paths). */
        public JwtClaims claims() {
            try {
                return JwtClaims.parse(payload);
            } catch (org.jose4j.jwt.consumer.InvalidJwtException e) {
                throw new IllegalStateException("claims parsed once no longer parse", e);
            }
        }
    }

    /** A token refused: the message says why (for logs, never for the client). */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** An internal token addressed to this process: user-on-behalf (from the gateway) or service. */
    public Token verify(String token) throws Refused {
        Token verified = verifyAny(token);
        if (InternalClaims.KIND_CLONE.equals(verified.kind())) {
            refused.increment();
            throw new Refused("a clone credential is not an internal token");
        }
        return verified;
    }

    /** A clone credential addressed to this process, minted by pipeline-service. */
    public Token verifyClone(String token) throws Refused {
        Token verified = verifyAny(token);
        if (!InternalClaims.KIND_CLONE.equals(verified.kind())) {
            refused.increment();
            throw new Refused("not a clone credential");
        }
        return verified;
    }

    private Token verifyAny(String token) throws Refused {
        if (token == null || token.isEmpty()) {
            refused.increment();
            throw new Refused("no token");
        }
        long now = System.currentTimeMillis() / 1000;
        Token known = cache.get(token);
        if (known != null) {
            if (known.expiresAtSeconds + skewSeconds > now) {
                hits.increment();
                return known;
            }
            cache.remove(token, known);
            refused.increment();
            throw new Refused("the token expired");
        }
        Token fresh;
        try {
            fresh = check(token, now);
        } catch (Refused e) {
            refused.increment();
            throw e;
        }
        misses.increment();
        remember(token, fresh, now);
        return fresh;
    }

    private void remember(String token, Token verified, long now) {
        if (cache.size() >= cacheSize) {
            // Drop what expired; if the cache is still full of live tokens, start over rather than
            // grow: the worst case is one more verification per live token.
            for (Iterator<Token> it = cache.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAtSeconds + skewSeconds <= now) {
                    it.remove();
                }
            }
            if (cache.size() >= cacheSize) {
                cache.clear();
            }
        }
        cache.put(token, verified);
    }

    private Token check(String token, long now) throws Refused {
        JsonWebSignature jws = new JsonWebSignature();
        JwtClaims claims;
        try {
            jws.setCompactSerialization(token);
            if (!AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256.equals(jws.getAlgorithmHeaderValue())) {
                throw new Refused("algorithm must be ES256");
            }
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (JoseException | org.jose4j.jwt.consumer.InvalidJwtException e) {
            throw new Refused("not a JWS: " + e.getMessage());
        }
        String issuer = string(claims, "iss");
        if (issuer == null || !trustedIssuers.contains(issuer)) {
            throw new Refused("issuer " + issuer + " is not trusted here");
        }
        PublicKey key = keys().get(issuer);
        if (key == null) {
            throw new Refused("no public key of " + issuer + " is installed");
        }
        try {
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
            jws.setKey(key);
            if (!jws.verifySignature()) {
                throw new Refused("signature of " + issuer + " does not verify");
            }
        } catch (JoseException e) {
            throw new Refused("signature check failed: " + e.getMessage());
        }
        long expires;
        List<String> audience;
        try {
            if (claims.getExpirationTime() == null) {
                throw new Refused("no expiry");
            }
            expires = claims.getExpirationTime().getValue();
            audience = claims.getAudience();
        } catch (MalformedClaimException e) {
            throw new Refused("malformed claim: " + e.getMessage());
        }
        if (expires + skewSeconds <= now) {
            throw new Refused("the token expired");
        }
        if (audience == null || !audience.contains(self)) {
            throw new Refused("the token is for " + audience + ", not for " + self);
        }
        String kind = string(claims, InternalClaims.KIND);
        requireKindFits(issuer, kind, claims);
        String payload = claims.toJson();
        try {
            return new Token(issuer, kind, expires, payload, new VerifiedPrincipal(token, claims));
        } catch (IllegalArgumentException e) {
            // a claim the caller cannot be read from (a malformed refs rule): no request may use it
            throw new Refused("unreadable claims: " + e.getMessage());
        }
    }

    /**
     * The gateway may vouch for anyone; another service's key says only "service X" (or, for
     * pipeline-service, a clone credential), with nothing that grants a user's rights.
     */
    private static void requireKindFits(String issuer, String kind, JwtClaims claims) throws Refused {
        if (kind == null) {
            throw new Refused("no kind");
        }
        if (InternalClaims.GATEWAY.equals(issuer)) {
            if (InternalClaims.KIND_CLONE.equals(kind)) {
                throw new Refused("the gateway does not mint clone credentials");
            }
            return;
        }
        if (InternalClaims.KIND_CLONE.equals(kind)) {
            if (!InternalClaims.CLONE_MINTER.equals(issuer)) {
                throw new Refused(issuer + " may not mint clone credentials");
            }
            return;
        }
        if (!InternalClaims.KIND_SERVICE.equals(kind)) {
            throw new Refused(issuer + " may not vouch for a " + kind);
        }
        if (!issuer.equals(string(claims, "sub"))) {
            throw new Refused("a service token names its issuer as subject");
        }
        for (String userClaim : List.of(InternalClaims.USER_ID, InternalClaims.SITE_ADMIN, InternalClaims.SCOPES,
                InternalClaims.ORG_ID, InternalClaims.REPO_ID, InternalClaims.ROLE, InternalClaims.REFS)) {
            if (claims.hasClaim(userClaim)) {
                throw new Refused("a service token may not carry " + userClaim);
            }
        }
    }

    private static String string(JwtClaims claims, String name) {
        Object value = claims.getClaimValue(name);
        return value instanceof String text ? text : null;
    }

    private Map<String, PublicKey> keys() {
        Map<String, PublicKey> loaded = keys;
        if (loaded == null) {
            loaded = load();
            keys = loaded;
        }
        return loaded;
    }

    /** Reads {@code <dir>/<issuer>.pem} for each trusted issuer; a missing one is logged, not fatal. */
    private Map<String, PublicKey> load() {
        Map<String, PublicKey> loaded = new ConcurrentHashMap<>();
        if (publicKeysDir.isEmpty()) {
            LOG.warn("shoal.internal-jwt.public-keys-dir is not set: no internal token will be accepted");
            return loaded;
        }
        Path dir = path(publicKeysDir.get());
        for (String issuer : trustedIssuers) {
            Path pem = dir.resolve(issuer + ".pem");
            if (Files.isRegularFile(pem)) {
                loaded.put(issuer, readPublicPem(pem));
            } else {
                LOG.warnf("no public key %s: tokens of %s will be refused", pem, issuer);
            }
        }
        return loaded;
    }

    static Path path(String location) {
        return Path.of(location.startsWith("file:") ? java.net.URI.create(location).getPath() : location);
    }

    public static PublicKey readPublicPem(Path pem) {
        try {
            String base64 = Files.readString(pem)
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read internal JWT public key " + pem, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("internal JWT public key " + pem + " is not an X.509 EC public key", e);
        }
    }

    /** Entries held now (for tests and the ADR's sizing). */
    public int cached() {
        return cache.size();
    }

    public String self() {
        return self;
    }
}
