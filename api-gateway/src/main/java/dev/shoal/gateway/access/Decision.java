package dev.shoal.gateway.access;

import dev.shoal.platform.identity.Caller;
import java.util.Map;

/**
 * What the gateway decided for an allowed request: who the caller is, as the internal JWT will say.
 *
 * @param agentToken the agent's own token, passed to pipeline-service on agent routes
 * @param headers    request headers the gateway vouches for on the forwarded request (a dialect's
 *                   verified claims, such as a Code Storage JWT's issuer, repository and scopes); empty for most
 */
public record Decision(Caller caller, String agentToken, Map<String, String> headers) {

    public Decision {
        headers = Map.copyOf(headers);
    }

    public Decision(Caller caller, String agentToken) {
        this(caller, agentToken, Map.of());
    }
}
