package dev.shoal.repo.git.ssh;

import dev.shoal.platform.error.ApiException;
import java.security.PublicKey;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.jboss.logging.Logger;

/**
 * Public-key authentication only: a key is accepted when the gateway knows it (a user's key whose
 * user is active, or a deploy key). MINA has already checked that the client holds the private key
 * when it asks this with {@code signature}; its fingerprint is kept on the session for the
 * gateway's access question on every command.
 */
final class SshKeyAuthenticator implements PublickeyAuthenticator {

    static final AttributeKey<String> FINGERPRINT = new AttributeKey<>();
    static final AttributeKey<SshAccess.Holder> HOLDER = new AttributeKey<>();
    private static final Logger LOG = Logger.getLogger(SshKeyAuthenticator.class);

    private final SshAccess gateway;

    SshKeyAuthenticator(SshAccess gateway) {
        this.gateway = gateway;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
        try {
            SshAccess.Holder holder = gateway.holder(fingerprint);
            session.setAttribute(FINGERPRINT, fingerprint);
            session.setAttribute(HOLDER, holder);
            return true;
        } catch (ApiException e) {
            LOG.debugf("SSH key %s refused: %s", fingerprint, e.getMessage());
            return false;
        }
    }
}
