package dev.shoal.gateway.sshkey;

import dev.shoal.platform.error.ValidationException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * One OpenSSH public key line ({@code ssh-ed25519 AAAA… comment}), parsed from its wire encoding
 * (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709) with JDK classes only. Accepted: RSA of at least 2048
 * bits, ECDSA on the NIST curves, Ed25519. DSA (1024 bits, SHA-1, removed from OpenSSH) and anything
 * malformed is refused with a message naming the problem.
 *
 * @param type        the key type as the blob names it
 * @param text        {@code type base64}, the comment left out: what is stored and shown
 * @param fingerprint {@code SHA256:…} as {@code ssh-keygen -l} prints it
 */
public record OpenSshKey(String type, String text, String fingerprint) {

    public static final int MAX_LENGTH = 16 * 1024;
    private static final int MIN_RSA_BITS = 2048;
    /** ECDSA key types, with the curve name the blob repeats and the length of an uncompressed point. */
    private static final Map<String, Curve> CURVES = Map.of(
            "ecdsa-sha2-nistp256", new Curve("nistp256", 65),
            "ecdsa-sha2-nistp384", new Curve("nistp384", 97),
            "ecdsa-sha2-nistp521", new Curve("nistp521", 133));

    private record Curve(String name, int pointLength) {
    }

    public static OpenSshKey parse(String line) {
        if (line == null || line.isBlank()) {
            throw new ValidationException("key is required: paste the contents of your public key file, e.g. ~/.ssh/id_ed25519.pub");
        }
        if (line.length() > MAX_LENGTH) {
            throw new ValidationException("key is longer than " + MAX_LENGTH + " characters; paste one public key");
        }
        String trimmed = line.strip();
        if (trimmed.contains("\n") || trimmed.contains("\r")) {
            throw new ValidationException("key must be one line: paste one public key");
        }
        if (trimmed.startsWith("-----BEGIN")) {
            throw new ValidationException("key is a PEM block (a private key or an RFC 4716 file?); paste the one-line "
                    + "OpenSSH public key (the .pub file, or ssh-keygen -y -f KEY)");
        }
        String[] parts = trimmed.split("\\s+", 3);
        if (parts.length < 2) {
            throw new ValidationException("key must be '<type> <base64> [comment]', e.g. 'ssh-ed25519 AAAAC3Nza… you@host'");
        }
        String declared = parts[0];
        if (declared.equals("ssh-dss")) {
            throw dsaRefused();
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("key's second field is not valid base64: " + e.getMessage());
        }
        Wire wire = new Wire(blob);
        String type = wire.string("key type");
        if (!type.equals(declared)) {
            throw new ValidationException("key says it is '" + declared + "' but its data is a '" + type + "' key");
        }
        switch (type) {
            case "ssh-rsa" -> checkRsa(wire);
            case "ssh-ed25519" -> {
                if (wire.bytes("Ed25519 public key").length != 32) {
                    throw new ValidationException("key is not a valid Ed25519 key: its public part must be 32 bytes");
                }
            }
            case "ssh-dss" -> throw dsaRefused();
            default -> {
                Curve curve = CURVES.get(type);
                if (curve == null) {
                    throw new ValidationException("key type '" + type + "' is not supported; use ssh-ed25519, "
                            + "ecdsa-sha2-nistp256/384/521 or ssh-rsa (at least " + MIN_RSA_BITS + " bits)");
                }
                String name = wire.string("curve name");
                byte[] point = wire.bytes("ECDSA point");
                if (!name.equals(curve.name()) || point.length != curve.pointLength() || point[0] != 4) {
                    throw new ValidationException("key is not a valid " + type + " key: its curve or point does not match the type");
                }
            }
        }
        if (wire.remaining() != 0) {
            throw new ValidationException("key data has " + wire.remaining() + " unexpected trailing bytes");
        }
        String canonical = type + " " + Base64.getEncoder().encodeToString(blob);
        return new OpenSshKey(type, canonical, fingerprint(blob));
    }

    /** {@code SHA256:} and the unpadded base64 of the blob's SHA-256, as {@code ssh-keygen -l} prints it. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkRsa(Wire wire) {
        BigInteger exponent = wire.mpint("RSA exponent");
        BigInteger modulus = wire.mpint("RSA modulus");
        if (exponent.signum() <= 0 || modulus.signum() <= 0) {
            throw new ValidationException("key is not a valid RSA key: exponent and modulus must be positive");
        }
        int bits = modulus.bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new ValidationException("key is an RSA key of " + bits + " bits; at least " + MIN_RSA_BITS
                    + " are required (ssh-keygen -t ed25519, or -t rsa -b 4096)");
        }
        try {
            KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new ValidationException("key is not a valid RSA key: " + e.getMessage());
        }
    }

    private static ValidationException dsaRefused() {
        return new ValidationException("DSA keys (ssh-dss) are not accepted: they are limited to 1024 bits and SHA-1 "
                + "and OpenSSH removed them; create an Ed25519 key with ssh-keygen -t ed25519");
    }

    /** The SSH wire format: uint32-length-prefixed strings and mpints. */
    private static final class Wire {

        private final ByteBuffer buffer;

        Wire(byte[] blob) {
            this.buffer = ByteBuffer.wrap(blob);
        }

        byte[] bytes(String what) {
            if (buffer.remaining() < 4) {
                throw truncated(what);
            }
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw truncated(what);
            }
            byte[] out = new byte[length];
            buffer.get(out);
            return out;
        }

        String string(String what) {
            return new String(bytes(what), StandardCharsets.US_ASCII);
        }

        BigInteger mpint(String what) {
            byte[] raw = bytes(what);
            if (raw.length == 0) {
                throw new ValidationException("key is malformed: its " + what + " is empty");
            }
            return new BigInteger(raw);
        }

        int remaining() {
            return buffer.remaining();
        }

        private static ValidationException truncated(String what) {
            return new ValidationException("key is malformed: its data ends before the " + what + " (was it cut off when pasted?)");
        }
    }
}
