package dev.shoal.gateway.route;

import java.util.Map;

/** A request matched to its route, with the path parameters it named. */
public record RouteMatch(Route route, Map<String, String> params) {

    public String param(String name) {
        return params.get(name);
    }
}
