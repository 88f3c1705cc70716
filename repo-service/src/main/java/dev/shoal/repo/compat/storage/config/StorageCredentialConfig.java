package dev.shoal.repo.compat.storage.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The key that seals Code Storage git credentials at rest ({@code SHOAL_REPO_STORAGE_CREDENTIAL_KEY}):
 * base64 of 32 random bytes. Without it the git-credential endpoints answer 503.
 */
@ConfigMapping(prefix = "shoal.repo.storage")
public interface StorageCredentialConfig {

    Optional<String> credentialKey();
}
