package dev.shoal.platform.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The ES256 key pairs of the internal JWT, one per process (ADR 0006), written as PEM files:
 * {@code private/<service>.pem} and {@code public/<service>.pem}. The launcher keeps them under
 * SHOAL_HOME/keys; tests make one set per JVM and mint tokens with it to call services directly,
 * as the gateway (users) or as any service.
 */
public final class InternalKeys {

    /** Every process that signs internal JWTs; {@code platform} is the platform module's own tests. */
    public static final List<String> SERVICES = List.of("api-gateway", "repo-service", "issue-service",
            "pipeline-service", "webhook-service");
    public static final String GATEWAY = "api-gateway";
    private static final List<String> TEST_ONLY = List.of("platform");

    private static InternalKeys shared;

    private final Path dir;

    private InternalKeys(Path dir) {
        this.dir = dir;
    }

    public static synchronized InternalKeys shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("shoal-keys");
                List<String> all = new ArrayList<>(SERVICES);
                all.addAll(TEST_ONLY);
                ensureIn(dir, all);
                shared = new InternalKeys(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Writes a key pair for each of {@code services} into {@code dir} unless it is already there; returns those made. */
    public static List<String> ensureIn(Path dir, List<String> services) throws IOException {
        List<String> made = new ArrayList<>();
        Files.createDirectories(dir.resolve("private"));
        Files.createDirectories(dir.resolve("public"));
        dir.resolve("private").toFile().setReadable(false, false);
        dir.resolve("private").toFile().setExecutable(false, false);
        dir.resolve("private").toFile().setReadable(true, true);
        dir.resolve("private").toFile().setExecutable(true, true);
        for (String service : services) {
            Path privatePem = privatePem(dir, service);
            if (Files.exists(privatePem) && Files.exists(publicPem(dir, service))) {
                continue;
            }
            writeNew(privatePem, publicPem(dir, service));
            made.add(service);
        }
        return made;
    }

    public static Path privatePem(Path dir, String service) {
        return dir.resolve("private").resolve(service + ".pem");
    }

    public static Path publicPem(Path dir, String service) {
        return dir.resolve("public").resolve(service + ".pem");
    }

    private static void writeNew(Path privatePem, Path publicPem) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            privatePem.toFile().setReadable(false, false);
            privatePem.toFile().setReadable(true, true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /**
     * This process's own private key, whichever service it is: the path holds
     * {@code ${quarkus.application.name}}, which the configuration expands.
     */
    public String ownPrivateKeyLocation() {
        return dir.resolve("private").toString() + "/${quarkus.application.name}.pem";
    }

    /** {@code service}'s private key file, e.g. to build that service's own {@code InternalTokens} in a test. */
    public Path privatePem(String service) {
        return privatePem(dir, service);
    }

    public Path publicDir() {
        return dir.resolve("public");
    }

    public PrivateKey privateKey(String service) {
        try {
            String base64 = Files.readString(privatePem(dir, service))
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A token as the gateway would mint it for a user with the given role on the route's org/repo.
     * Addressed to every service, since a test calls whichever one it runs.
     */
    public String userToken(long userId, String login, List<String> scopes, Long orgId, Long repoId, String role) {
        JwtClaimsBuilder claims = Jwt.claims()
                .claim("kind", "user").claim("uid", userId).claim("login", login)
                .claim("site_admin", false).claim("scopes", scopes).claim("role", role);
        if (orgId != null) {
            claims.claim("org_id", orgId);
        }
        if (repoId != null) {
            claims.claim("repo_id", repoId);
        }
        return sign(claims.subject(String.valueOf(userId)), GATEWAY, null, 600);
    }

    /** A token the gateway would mint with these claims ({@code kind} and the rest), to every service. */
    public String gatewayToken(String subject, Map<String, Object> claims) {
        return token(GATEWAY, subject, null, claims, 600);
    }

    /** What {@code service} mints for a call on its own behalf to {@code audience}. */
    public String serviceToken(String service, String audience) {
        return token(service, service, audience, Map.of("kind", "service", "login", service), 600);
    }

    /**
     * Any token signed with {@code issuer}'s key: {@code audience} null means every service;
     * {@code lifetimeSeconds} may be negative (already expired).
     */
    public String token(String issuer, String subject, String audience, Map<String, Object> claims, long lifetimeSeconds) {
        JwtClaimsBuilder builder = Jwt.claims(claims).subject(subject);
        return sign(builder, issuer, audience, lifetimeSeconds);
    }

    private String sign(JwtClaimsBuilder claims, String issuer, String audience, long lifetimeSeconds) {
        long now = System.currentTimeMillis() / 1000;
        List<String> audiences = new ArrayList<>(SERVICES);
        audiences.addAll(TEST_ONLY);
        return claims.issuer(issuer)
                .audience(audience == null ? new java.util.HashSet<>(audiences) : java.util.Set.of(audience))
                .issuedAt(Math.min(now, now + lifetimeSeconds - 1))
                .expiresAt(now + lifetimeSeconds)
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256)
                .sign(privateKey(issuer));
    }
}
