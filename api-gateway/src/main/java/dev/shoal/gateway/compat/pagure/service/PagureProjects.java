package dev.shoal.gateway.compat.pagure.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import java.util.Map;

/**
 * Pagure projects as repo-service renders them (it owns projects, forks and ACLs), for the user and
 * group pages the gateway answers.
 */
public interface PagureProjects {

    /** One page of projects matching {@code filters} (owner, fork, group, acl), and how many match in all. */
    Uni<Page> list(Map<String, String> filters, int page, int perPage);

    record Page(JsonArray projects, long total) {
    }
}
