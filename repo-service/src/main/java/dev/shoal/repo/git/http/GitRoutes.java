package dev.shoal.repo.git.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Servlet mappings cannot express {@code /{org}/{repo}.git/...}, so the git servlet lives under
 * {@code /git/*} and the public smart-HTTP paths (as the gateway forwards them) are rerouted there
 * before any body is read. Only the three smart-HTTP endpoints match; the dumb protocol is off.
 * Code Storage ids may contain {@code /}: {@code /storage/team/alpha.git/...} takes every segment
 * up to the one ending in {@code .git}.
 */
@ApplicationScoped
public class GitRoutes {

    void register(@Observes Router router) {
        router.routeWithRegex("^/([^/]+/[^/]+|storage/.+)\\.git/(info/refs|git-upload-pack|git-receive-pack)$")
                .order(Integer.MIN_VALUE)
                .handler(rc -> rc.reroute(GitRequest.PREFIX + rc.request().uri()));
    }
}
