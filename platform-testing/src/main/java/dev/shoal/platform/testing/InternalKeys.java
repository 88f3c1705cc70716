package dev.shoal.platform.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

/**
 * The ES256 key pair of the internal JWT, written as PEM files. The launcher keeps it under
 * SHOAL_HOME; tests make one per JVM and mint tokens with it to call services directly.
 */
public final class InternalKeys {

    private static InternalKeys shared;

    private final KeyPair pair;
    private final Path privatePem;
    private final Path publicPem;

    private InternalKeys(KeyPair pair, Path privatePem, Path publicPem) {
        this.pair = pair;
        this.privatePem = privatePem;
        this.publicPem = publicPem;
    }

    public static synchronized InternalKeys shared() {
        if (shared == null) {
            try {
                shared = writeNew(Files.createTempDirectory("shoal-keys"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Writes a fresh key pair into {@code dir} unless one is already there. */
    public static boolean ensureIn(Path dir) throws IOException {
        if (Files.exists(dir.resolve("internal-jwt-private.pem"))) {
            return false;
        }
        writeNew(dir);
        return true;
    }

    private static InternalKeys writeNew(Path dir) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(dir);
            Path privatePem = dir.resolve("internal-jwt-private.pem");
            Path publicPem = dir.resolve("internal-jwt-public.pem");
            Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            privatePem.toFile().setReadable(false, false);
            privatePem.toFile().setReadable(true, true);
            return new InternalKeys(pair, privatePem, publicPem);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    public Path privatePem() {
        return privatePem;
    }

    public Path publicPem() {
        return publicPem;
    }

    /** A token as the gateway would mint it for a user with the given role on the route's org/repo. */
    public String userToken(long userId, String login, List<String> scopes, Long orgId, Long repoId, String role) {
        JwtClaimsBuilder claims = Jwt.issuer("shoal-gateway").subject(String.valueOf(userId))
                .claim("kind", "user").claim("uid", userId).claim("login", login)
                .claim("site_admin", false).claim("scopes", scopes).claim("role", role);
        if (orgId != null) {
            claims.claim("org_id", orgId);
        }
        if (repoId != null) {
            claims.claim("repo_id", repoId);
        }
        return claims.expiresIn(600).jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256)
                .sign(pair.getPrivate());
    }
}
