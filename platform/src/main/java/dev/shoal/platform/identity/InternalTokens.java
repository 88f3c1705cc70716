package dev.shoal.platform.identity;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Mints internal JWTs (ES256) with this process's own key (ADR 0006). Every token names its issuer
 * (this process, {@code quarkus.application.name}) and its audience (the one service it is for).
 * The gateway mints one per caller, route context and audience; any process mints {@code service}
 * tokens for the calls it makes on its own behalf, which say "service X" and nothing else; only
 * pipeline-service mints clone credentials. Tokens are cached until shortly before they expire, so
 * signing is rare on the hot path, and receivers remember a verified token for as long.
 */
@ApplicationScoped
public class InternalTokens {

    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Duration REUSE_FOR = Duration.ofMinutes(4);
    private static final int MAX_CACHED = 50_000;

    private final Optional<String> privateKeyLocation;
    private final String serviceName;
    private final Map<Key, Minted> cache = new ConcurrentHashMap<>();
    private volatile PrivateKey privateKey;

    public InternalTokens(@ConfigProperty(name = "shoal.internal-jwt.private-key-location") Optional<String> privateKeyLocation,
                          @ConfigProperty(name = "quarkus.application.name", defaultValue = "shoal") String serviceName) {
        this.privateKeyLocation = privateKeyLocation;
        this.serviceName = serviceName;
    }

    private record Minted(String token, long reuseUntilNanos) {
    }

    /** A cached token: who it vouches for (null for this service itself) and whom it is for. */
    private record Key(Caller caller, String audience) {
    }

    /**
     * The audience (application name) of a service as {@code shoal.services.<name>.url} and the
     * route table name it: {@code gateway} is {@code api-gateway}, {@code repo} is {@code repo-service}.
     */
    public static String audienceOf(String service) {
        if (service.equals("gateway") || service.equals(InternalClaims.GATEWAY)) {
            return InternalClaims.GATEWAY;
        }
        return service.endsWith("-service") ? service : service + "-service";
    }

    /**
     * A token vouching for {@code caller} to {@code audience}; the same caller gets the same token for
     * a few minutes. Only the gateway vouches for callers: anywhere else receivers would refuse it, so
     * this refuses to mint it.
     */
    public String forCaller(Caller caller, String audience) {
        if (!InternalClaims.GATEWAY.equals(serviceName)) {
            throw new IllegalStateException(serviceName + " cannot vouch for a caller: only the gateway's key can");
        }
        return cached(new Key(caller, audienceOf(audience)));
    }

    /** A token for this service itself, addressed to {@code audience}, for calls made on its own behalf. */
    public String forService(String audience) {
        return cached(new Key(null, audienceOf(audience)));
    }

    private String cached(Key key) {
        long now = System.nanoTime();
        Minted minted = cache.get(key);
        if (minted != null && minted.reuseUntilNanos() - now > 0) {
            return minted.token();
        }
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        Minted fresh = new Minted(key.caller() == null ? signService(key.audience()) : sign(key.caller(), key.audience()),
                now + REUSE_FOR.toNanos());
        cache.put(key, fresh);
        return fresh.token();
    }

    /**
     * A clone credential: lets the agent running pipeline {@code pipelineId} fetch repository
     * {@code repoId} over git through the gateway (as a Basic password), and nothing else. Signed
     * with pipeline-service's key; the gateway checks it against that key only.
     */
    public String forClone(long repoId, long pipelineId, Duration lifetime) {
        return Jwt.issuer(serviceName)
                .audience(InternalClaims.GATEWAY)
                .subject("pipeline-" + pipelineId)
                .claim(InternalClaims.KIND, InternalClaims.KIND_CLONE)
                .claim(InternalClaims.REPO_ID, repoId)
                .claim(InternalClaims.PIPELINE_ID, pipelineId)
                .expiresIn(lifetime)
                .jws().algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    private String signService(String audience) {
        return Jwt.issuer(serviceName)
                .audience(audience)
                .subject(serviceName)
                .claim(InternalClaims.KIND, InternalClaims.KIND_SERVICE)
                .claim(InternalClaims.LOGIN, serviceName)
                .expiresIn(LIFETIME)
                .jws().algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    private String sign(Caller caller, String audience) {
        JwtClaimsBuilder claims = Jwt.issuer(serviceName)
                .audience(audience)
                .subject(caller.userId() == null ? caller.kind() : String.valueOf(caller.userId()))
                .claim(InternalClaims.KIND, caller.kind())
                .claim(InternalClaims.SITE_ADMIN, caller.siteAdmin())
                .claim(InternalClaims.SCOPES, caller.scopes().stream().map(Scope::wireName).toList())
                .claim(InternalClaims.ROLE, caller.role())
                .expiresIn(LIFETIME);
        if (caller.userId() != null) {
            claims.claim(InternalClaims.USER_ID, caller.userId());
        }
        if (caller.login() != null) {
            claims.claim(InternalClaims.LOGIN, caller.login());
        }
        if (caller.orgId() != null) {
            claims.claim(InternalClaims.ORG_ID, caller.orgId());
        }
        if (caller.repoId() != null) {
            claims.claim(InternalClaims.REPO_ID, caller.repoId());
        }
        if (caller.refRules() != null) {
            claims.claim(InternalClaims.REFS, caller.refRules().toClaim());
        }
        return claims.jws().algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    private PrivateKey privateKey() {
        PrivateKey key = privateKey;
        if (key == null) {
            String location = privateKeyLocation.orElseThrow(() -> new IllegalStateException(
                    "shoal.internal-jwt.private-key-location is not set: this process cannot mint internal tokens"));
            key = readPem(Path.of(location.startsWith("file:") ? java.net.URI.create(location).getPath() : location));
            privateKey = key;
        }
        return key;
    }

    static PrivateKey readPem(Path pem) {
        try {
            String base64 = Files.readString(pem)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read internal JWT key " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("internal JWT key " + pem + " is not a PKCS#8 EC key", e);
        }
    }
}
