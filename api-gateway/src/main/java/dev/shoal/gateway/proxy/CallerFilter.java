package dev.shoal.gateway.proxy;

import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import io.vertx.ext.web.RoutingContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Hands the caller the router authorized to the gateway's own resources. */
public class CallerFilter {

    private final CurrentCaller current;

    public CallerFilter(CurrentCaller current) {
        this.current = current;
    }

    @ServerRequestFilter(preMatching = true)
    public void setCaller(RoutingContext ctx) {
        Caller caller = ctx.get(GatewayRouter.CALLER_KEY);
        if (caller != null) {
            current.set(caller);
        }
    }
}
