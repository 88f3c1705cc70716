package dev.shoal.pipeline.registry;

/**
 * Credentials for one registry, handed to the agent that claimed a pipeline using one of its
 * images. Only the claimed work carries them; no API shows them and they are masked in logs.
 */
public record RegistryCredential(String address, String username, String password) {

    @Override
    public String toString() {
        return "RegistryCredential[address=" + address + ", username=" + username + ", password=********]";
    }

}
