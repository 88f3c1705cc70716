package dev.shoal.gateway.issuer.service;

import dev.shoal.platform.error.ValidationException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a PEM public key and names the JWT algorithm it verifies: ES256, RS256 or EdDSA. */
public final class PublicKeys {

    private PublicKeys() {
    }

    public record Parsed(PublicKey key, String algorithm) {
    }

    public static Parsed parse(String pem) {
        if (pem == null || !pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new ValidationException("public_key must be a PEM 'PUBLIC KEY' block (EC P-256, RSA or Ed25519)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").strip());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("public_key is not valid base64 inside the PEM block");
        }
        for (String type : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                PublicKey key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
                return new Parsed(key, algorithm(key));
            } catch (java.security.GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new ValidationException("public_key is not an EC P-256, RSA or Ed25519 public key");
    }

    private static String algorithm(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new ValidationException("EC keys must use the P-256 curve (ES256)");
            }
            return "ES256";
        }
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new ValidationException("RSA keys must have at least 2048 bits");
            }
            return "RS256";
        }
        return "EdDSA";
    }
}
