package dev.shoal.gateway.compat.ci.service;

import dev.shoal.gateway.compat.ci.CiRequests.CiUserRequest;
import dev.shoal.gateway.compat.ci.CiUser;
import dev.shoal.gateway.compat.ci.client.CiRepoClient;
import dev.shoal.gateway.compat.ci.repository.CiRepository;
import dev.shoal.gateway.compat.ci.repository.CiRepository.Times;
import dev.shoal.gateway.directory.RepoEntry;
import dev.shoal.gateway.auth.Principal;
import dev.shoal.gateway.token.ApiToken;
import dev.shoal.gateway.token.service.TokenService;
import dev.shoal.gateway.user.User;
import dev.shoal.gateway.user.service.UserService;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.Scope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.shoal.platform.git.SshUrls;

/**
 * The user endpoints Drone and Woodpecker share, over the gateway's users and tokens. Repository
 * lists come from the gateway's directory and memberships; their CI fields and latest builds from
 * pipeline-service.
 */
@ApplicationScoped
public class CiUserService {

    /** The name of the token {@code /api/user/token} issues; issuing a new one revokes the previous ones. */
    public static final String CLIENT_TOKEN_NAME = "ci-client";
    private static final int SUMMARY_BATCH = 1000;

    private final Pool pool;
    private final UserService users;
    private final TokenService tokens;
    private final CiRepository ci;
    private final CiRepoClient pipelines;
    private final String publicUrl;
    private final SshUrls sshUrls;

    public CiUserService(Pool pool, UserService users, TokenService tokens, CiRepository ci, CiRepoClient pipelines,
                         PublicUrl publicUrl,
                         SshUrls sshUrls) {
        this.sshUrls = sshUrls;
        this.pool = pool;
        this.users = users;
        this.tokens = tokens;
        this.ci = ci;
        this.pipelines = pipelines;
        this.publicUrl = publicUrl.base();
    }

    // --- users ------------------------------------------------------------------------------------

    public Uni<CiUser> self(Caller caller) {
        return users.get(caller.requireUserId()).chain(user -> view(user, null));
    }

    /**
     * Drone's {@code PATCH /api/user}: the signed-in user changes their own email. The other fields
     * are accepted only with the values they already have (a client may send back the user it read);
     * admin and active are changed by site administrators through {@code PATCH /api/users/{login}}.
     */
    public Uni<CiUser> updateSelf(Caller caller, CiUserRequest body) {
        if (body == null) {
            throw new ValidationException("send a JSON object with the field to change: email");
        }
        neutral(body);
        return users.get(caller.requireUserId()).chain(user -> {
            if (body.login() != null && !body.login().equals(user.username())) {
                throw new ValidationException("login cannot be changed (you are '" + user.username() + "')");
            }
            if (body.admin() != null && body.admin() != user.isAdmin()) {
                throw new dev.shoal.platform.error.ForbiddenException(
                        "admin can only be changed by a site administrator, with PATCH /api/users/" + user.username());
            }
            if (Boolean.FALSE.equals(body.active())) {
                throw new dev.shoal.platform.error.ConflictException("you cannot deactivate your own account");
            }
            if (body.email() == null || body.email().equals(user.email())) {
                return view(user, null);
            }
            return users.update(caller, user.username(), new UserService.UpdateUser(body.email(), null, null, null))
                    .chain(updated -> view(updated, null));
        });
    }

    public Uni<List<CiUser>> list(String page, String perPage) {
        PageRequest request = PageRequest.of(page, perPage, 50, 100);
        return users.list(request).chain(result -> views(result.data()));
    }

    public Uni<CiUser> get(String login) {
        return users.get(login).chain(user -> view(user, null));
    }

    public Uni<CiUser> create(Caller caller, String pathLogin, CiUserRequest body) {
        if (body == null && pathLogin == null) {
            throw new ValidationException("send {\"login\": \"…\", \"email\": \"…\"}");
        }
        CiUserRequest request = body == null ? new CiUserRequest(null, pathLogin, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null) : body;
        if (pathLogin != null && request.login() != null && !pathLogin.equals(request.login())) {
            throw new ValidationException("login in the body ('" + request.login() + "') differs from the path ('" + pathLogin + "')");
        }
        String login = pathLogin != null ? pathLogin : request.login();
        if (login == null || login.isBlank()) {
            throw new ValidationException("login is required");
        }
        neutral(request);
        if (Boolean.FALSE.equals(request.active())) {
            throw new ValidationException("active must be true for a new user (deactivate with DELETE /api/users/" + login + ")");
        }
        return users.create(caller, new UserService.CreateUser(login, request.email(), null, request.admin()))
                .chain(user -> view(user, null));
    }

    public Uni<CiUser> update(Caller caller, String login, CiUserRequest body) {
        if (body == null) {
            throw new ValidationException("send the fields to change: email, admin and/or active");
        }
        if (body.login() != null && !body.login().equals(login)) {
            throw new ValidationException("login cannot be changed here (got '" + body.login() + "' for '" + login + "')");
        }
        neutral(body);
        if (Boolean.FALSE.equals(body.active()) && caller.login() != null && caller.login().equalsIgnoreCase(login)) {
            throw new dev.shoal.platform.error.ConflictException("you cannot deactivate your own account");
        }
        return users.update(caller, login, new UserService.UpdateUser(body.email(), null, body.admin(), body.active()))
                .chain(user -> view(user, null));
    }

    public Uni<Void> delete(Caller caller, String login) {
        return users.deactivate(caller, login).replaceWithVoid();
    }

    /** Rejects the fields Shoal cannot honour unless they carry their neutral value. */
    private static void neutral(CiUserRequest r) {
        if (Boolean.TRUE.equals(r.machine())) {
            throw new ValidationException("machine users are not supported: create a user and give it a token");
        }
        if (Boolean.TRUE.equals(r.syncing())) {
            throw new ValidationException("syncing cannot be set: Shoal is its own forge");
        }
        if (r.forgeId() != null && r.forgeId() != 0 && r.forgeId() != CiUser.FORGE_ID) {
            throw new ValidationException("forge_id must be " + CiUser.FORGE_ID + " (Shoal is the only forge)");
        }
        if (r.token() != null && !r.token().isBlank()) {
            throw new ValidationException("token cannot be set: issue one with POST /api/user/token");
        }
    }

    private Uni<CiUser> view(User user, String token) {
        return ci.times(pool, List.of(user.id())).map(times -> {
            Times t = times.get(user.id());
            return CiUser.of(user, t == null ? null : t.updatedAt(), t == null ? null : t.lastLogin(), token);
        });
    }

    private Uni<List<CiUser>> views(List<User> list) {
        return ci.times(pool, list.stream().map(User::id).toList()).map(times -> list.stream().map(user -> {
            Times t = times.get(user.id());
            return CiUser.of(user, t == null ? null : t.updatedAt(), t == null ? null : t.lastLogin(), null);
        }).toList());
    }

    // --- tokens -----------------------------------------------------------------------------------

    /**
     * A fresh token with the caller's scopes (never more), named {@value #CLIENT_TOKEN_NAME}; earlier
     * tokens of that name are revoked, so a CI client holds one token as on Drone and Woodpecker.
     * The token the request came with keeps working unless it was one of those.
     */
    public Uni<CiUser> issueToken(Caller caller, Principal minter) {
        long userId = caller.requireUserId();
        List<String> scopes = caller.scopes().stream().sorted().map(Scope::wireName).toList();
        return revokeClientTokens(caller, userId)
                .chain(() -> tokens.create(caller, minter, userId, CLIENT_TOKEN_NAME, scopes, null))
                .chain(token -> users.get(userId).chain(user -> view(user, token.token())));
    }

    /** Earlier client tokens, those the caller's token could revoke itself (none stronger than it). */
    private Uni<Void> revokeClientTokens(Caller caller, long userId) {
        return tokens.list(userId, PageRequest.of("1", "100")).chain(page -> Multi.createFrom().iterable(page.data())
                .filter(t -> CLIENT_TOKEN_NAME.equals(t.name()) && TokenService.lacking(caller, t) == null)
                .onItem().transformToUniAndConcatenate((ApiToken t) -> tokens.revoke(userId, t.id())
                        .onFailure(NotFoundException.class).recoverWithNull())
                .collect().last().replaceWithVoid());
    }

    // --- repositories and feed --------------------------------------------------------------------

    /** The caller's repositories with Drone's and Woodpecker's fields; {@code latest} adds each one's latest build. */
    public Uni<List<Map<String, Object>>> repos(Caller caller, boolean latest) {
        return summaries(caller).map(list -> list.stream().map(s -> repoView(s, latest)).toList());
    }

    /** The latest build of each of the caller's repositories, newest first (Woodpecker's feed, with Drone's build fields). */
    public Uni<List<Map<String, Object>>> feed(Caller caller) {
        return summaries(caller).map(list -> list.stream().filter(s -> s.build() != null)
                .sorted(Comparator.comparingLong((Summary s) -> s.build().getLong("created", 0L)).reversed()
                        .thenComparing(s -> -s.entry().id()))
                .map(CiUserService::feedItem).toList());
    }

    record Summary(RepoEntry entry, JsonObject repo, JsonObject build) {
    }

    private Uni<List<Summary>> summaries(Caller caller) {
        long userId = caller.requireUserId();
        return ci.repos(pool, userId, caller.siteAdmin()).chain(entries -> {
            if (entries.size() > CiRepository.MAX_REPOS) {
                throw new ApiException(422, "too_many_repositories", "more than " + CiRepository.MAX_REPOS
                        + " repositories: list them per organization with GET /api/v1/orgs/{org}/repos");
            }
            List<List<Long>> batches = new ArrayList<>();
            for (int i = 0; i < entries.size(); i += SUMMARY_BATCH) {
                batches.add(entries.subList(i, Math.min(entries.size(), i + SUMMARY_BATCH)).stream().map(RepoEntry::id).toList());
            }
            return Multi.createFrom().iterable(batches).onItem().transformToUniAndConcatenate(pipelines::summaries)
                    .collect().asList().map(parts -> {
                        Map<Long, JsonObject> byId = new HashMap<>();
                        parts.forEach(part -> part.forEach(s -> byId.put(s.getJsonObject("repo").getLong("id"), s)));
                        return entries.stream().map(e -> {
                            JsonObject s = byId.get(e.id());
                            return new Summary(e, s == null ? null : s.getJsonObject("repo"), s == null ? null : s.getJsonObject("build"));
                        }).toList();
                    });
        });
    }

    private Map<String, Object> repoView(Summary s, boolean latest) {
        RepoEntry e = s.entry();
        String link = publicUrl + "/" + e.org() + "/" + e.name();
        Map<String, Object> out = new LinkedHashMap<>();
        // What the gateway knows; pipeline-service's Drone fields, when it knows the repository, complete it.
        out.put("id", e.id());
        out.put("uid", String.valueOf(e.id()));
        out.put("namespace", e.org());
        out.put("name", e.name());
        out.put("slug", e.org() + "/" + e.name());
        out.put("owner", e.org());
        out.put("full_name", e.org() + "/" + e.name());
        out.put("scm", "git");
        out.put("git_http_url", link + ".git");
        out.put("clone_url", link + ".git");
        out.put("link", link);
        out.put("link_url", link);
        out.put("private", e.isPrivate());
        out.put("visibility", e.isPrivate() ? "private" : "public");
        if (s.repo() != null) {
            s.repo().forEach(field -> out.put(field.getKey(), field.getValue() instanceof JsonObject o ? o.getMap() : field.getValue()));
        }
        // Woodpecker's names for the same facts.
        out.put("forge_id", CiUser.FORGE_ID);
        out.put("forge_remote_id", String.valueOf(e.id()));
        out.put("forge_url", link);
        out.put("clone_url_ssh", sshUrls.of(e.org(), e.name()));
        out.put("org_id", e.orgId());
        if (s.repo() != null) {
            out.put("allow_deploy", s.repo().getBoolean("allow_deploys"));
            out.put("config_file", s.repo().getString("config_path"));
        }
        if (latest) {
            out.put("build", s.build() == null ? null : s.build().getMap());
        }
        return out;
    }

    private static Map<String, Object> feedItem(Summary s) {
        JsonObject b = s.build();
        RepoEntry e = s.entry();
        Map<String, Object> out = new LinkedHashMap<>(b.getMap());
        out.put("repo_id", e.id());
        out.put("commit", b.getString("after"));
        out.put("branch", b.getString("source"));
        out.put("refspec", "");
        out.put("author", b.getString("author_login"));
        out.put("avatar", b.getString("author_avatar"));
        out.put("owner", e.org());
        out.put("name", e.name());
        out.put("full_name", e.org() + "/" + e.name());
        return out;
    }
}
