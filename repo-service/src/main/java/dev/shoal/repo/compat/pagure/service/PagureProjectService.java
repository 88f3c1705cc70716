package dev.shoal.repo.compat.pagure.service;

import dev.shoal.platform.client.UserDirectory;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.RepoAccessChanged;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.repo.compat.pagure.PagureProject;
import dev.shoal.repo.compat.pagure.PagureTask;
import dev.shoal.repo.compat.pagure.ProjectSearch;
import dev.shoal.repo.compat.pagure.Watch;
import dev.shoal.repo.compat.pagure.client.OrgMembership;
import dev.shoal.repo.compat.pagure.repository.PagureRepository;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.git.service.ForkCopy;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.repo.CreateRepoRequest;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.repository.RepoRepository;
import dev.shoal.repo.repo.service.RepoNames;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Pagure project domain over Shoal repositories: main admin, forks (real git copies), ACLs,
 * watchers, options, blocked users, project tags and asynchronous tasks. Every change of who may do
 * what is published as {@code repo.access_changed} in the same transaction, so the gateway, which
 * authorizes, applies Pagure ACLs too.
 */
@ApplicationScoped
public class PagureProjectService {

    private static final Logger LOG = Logger.getLogger(PagureProjectService.class);

    private final Pool pool;
    private final RepoService repos;
    private final RepoRepository repoRows;
    private final PagureRepository pagure;
    private final OrgMembership membership;
    private final UserDirectory users;
    private final ForkCopy forkCopy;
    private final RefMover refs;
    private final Outbox outbox;
    private final String defaultNamespace;

    public PagureProjectService(Pool pool, RepoService repos, RepoRepository repoRows, PagureRepository pagure,
                                OrgMembership membership, UserDirectory users, ForkCopy forkCopy, RefMover refs, Outbox outbox,
                                @ConfigProperty(name = "shoal.pagure.default-namespace", defaultValue = "pagure")
                                String defaultNamespace) {
        this.pool = pool;
        this.repos = repos;
        this.repoRows = repoRows;
        this.pagure = pagure;
        this.membership = membership;
        this.users = users;
        this.forkCopy = forkCopy;
        this.refs = refs;
        this.outbox = outbox;
        this.defaultNamespace = defaultNamespace;
    }

    public String defaultNamespace() {
        return defaultNamespace;
    }

    /** A repository with its Pagure data, and its parent's when it is a fork. */
    public record Project(Repo repo, PagureProject data, Project parent) {

        /**
         * The project as {@code viewer} may see it: a private parent (made private after the fork, which
         * stayed public) is left out of the fork's JSON for those who may not read it. Forks live in
         * their parent's organization, so members of the organization the route is about may;
         * {@code viewer} null (service calls answering someone unknown) and lists across organizations
         * see public parents only.
         */
        public Project forViewer(Caller viewer) {
            if (parent == null || !parent.repo().isPrivate()) {
                return this;
            }
            boolean mayRead = viewer != null && (viewer.siteAdmin()
                    || viewer.isMember() && Long.valueOf(parent.repo().orgId()).equals(viewer.orgId()));
            return mayRead ? this : new Project(repo, data, null);
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * The project named in the path, hidden (404) from callers who may not read it. The gateway
     * already decided that (including Pagure ticket ACLs on private projects, which it vouches for by
     * setting repo_id), so a caller whose token names this repository may read it.
     */
    public Uni<Repo> visible(Caller caller, String org, String name) {
        return repoRows.findByName(pool, org, name).map(repo -> {
            if (repo == null || repo.isPrivate() && !caller.isMember() && !Long.valueOf(repo.id()).equals(caller.repoId())) {
                throw new NotFoundException("Project not found");
            }
            return repo;
        });
    }

    public Uni<Project> project(Repo repo) {
        return projects(List.of(repo)).map(list -> list.get(0));
    }

    /** Pagure data for repositories, in order, with their parents (one query each, not one per repository). */
    public Uni<List<Project>> projects(List<Repo> list) {
        if (list.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pagure.load(pool, list.stream().map(Repo::id).toList()).chain(data -> {
            List<Long> parentIds = data.values().stream().map(PagureProject::parentId).filter(java.util.Objects::nonNull).distinct().toList();
            Uni<Map<Long, Project>> parents = parentIds.isEmpty() ? Uni.createFrom().item(Map.of())
                    : loadRepos(parentIds).chain(parentRepos -> pagure.load(pool, parentIds).map(parentData -> {
                        Map<Long, Project> out = new LinkedHashMap<>();
                        parentRepos.forEach(r -> out.put(r.id(), new Project(r, parentData.get(r.id()), null)));
                        return out;
                    }));
            return parents.map(byId -> list.stream().map(r -> {
                PagureProject d = data.get(r.id());
                return new Project(r, d, d.parentId() == null ? null : byId.get(d.parentId()));
            }).toList());
        });
    }

    private Uni<List<Repo>> loadRepos(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Repo>> each = ids.stream().map(id -> repoRows.findById(pool, id)).toList();
        return Uni.join().all(each).andFailFast().map(found -> found.stream().filter(java.util.Objects::nonNull).toList());
    }

    public Uni<PageResponse<Project>> search(ProjectSearch search, PageRequest page) {
        return pagure.search(pool, search, page.offset(), page.perPage())
                .chain(this::loadRepos)
                .chain(this::projects)
                .chain(items -> pagure.count(pool, search).map(total -> PageResponse.of(items, page, total)));
    }

    // ---- create, with wait=false as a task ---------------------------------------------------------

    /** Creates the project (main admin: the caller) in {@code namespace}, or the default namespace. */
    public Uni<Repo> create(Caller who, String name, String description, String namespace, boolean isPrivate) {
        String ns = namespace == null || namespace.isBlank() ? defaultNamespace : namespace;
        long userId = who.requireUserId();
        return membership.of(ns, userId).chain(found -> {
            if (found.isEmpty()) {
                throw PagureException.invalid("namespace: no organization named '" + ns + "'");
            }
            String role = found.get().role();
            if (!who.siteAdmin() && !Caller.OWNER.equals(role) && !Caller.MEMBER.equals(role)) {
                throw new PagureException(403, "ENOTHIGHENOUGH", "only members of " + ns + " may create projects in it");
            }
            return repos.create(who, found.get().orgId(), ns, new CreateRepoRequest(name, description, isPrivate, null),
                    (tx, repo) -> pagure.insert(tx, repo.id(), who.login(), null, null).chain(() -> publishAccess(tx, who, repo)));
        });
    }

    /**
     * Runs {@code work} as Pagure's asynchronous task: a PENDING row now (its id is the answer), the
     * outcome written when the work ends, for {@code GET /api/0/task/<id>/status}.
     */
    public Uni<UUID> queue(Caller who, String kind, Supplier<Uni<String>> work) {
        UUID id = UUID.randomUUID();
        return pagure.insertTask(pool, id, kind, who.userId(), "PENDING", null).invoke(() ->
                Uni.createFrom().deferred(work::get)
                        .onItem().transformToUni(message -> pagure.finishTask(pool, id, "SUCCESS", message))
                        .onFailure().recoverWithUni(e -> {
                            LOG.debugf("Pagure task %s failed: %s", id, e.getMessage());
                            return pagure.finishTask(pool, id, "FAILURE", e.getMessage());
                        })
                        .subscribe().with(done -> { }, e -> LOG.errorf(e, "could not record the outcome of task %s", id)))
                .replaceWith(id);
    }

    /** A task that is done as soon as it exists (Pagure's no-op calls with wait=false). */
    public Uni<UUID> done(Caller who, String kind, String message) {
        UUID id = UUID.randomUUID();
        return pagure.insertTask(pool, id, kind, who.userId(), "SUCCESS", message).replaceWith(id);
    }

    public Uni<PagureTask> task(String rawId) {
        UUID id;
        try {
            id = UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            throw new PagureException(404, "ENOCODE", "no task '" + rawId + "': task ids are the UUIDs answered as taskid");
        }
        return pagure.task(pool, id).map(task -> {
            if (task == null) {
                throw new PagureException(404, "ENOCODE", "no task '" + rawId + "'");
            }
            return task;
        });
    }

    // ---- fork ----------------------------------------------------------------------------------

    /** The Shoal name of {@code user}'s fork of {@code repo} (see the gateway's PagurePaths). */
    public static String forkName(String repo, String user) {
        return repo + "--fork--" + user;
    }

    /**
     * Forks {@code namespace/repoName} for {@code username} (the caller unless a site admin names
     * someone else): a new repository in the parent's organization whose git objects and refs are
     * fetched from the parent, private when the parent is.
     */
    public Uni<Repo> fork(Caller who, String repoName, String namespace, String username) {
        String ns = namespace == null || namespace.isBlank() ? defaultNamespace : namespace;
        if (username != null && !username.isBlank() && !username.equalsIgnoreCase(who.login()) && !who.siteAdmin()) {
            throw new PagureException(403, "ENOTHIGHENOUGH", "only site administrators may fork for another user");
        }
        Uni<Optional<UserDirectory.User>> forUser = username == null || username.isBlank() || username.equalsIgnoreCase(who.login())
                ? Uni.createFrom().item(Optional.of(new UserDirectory.User(who.requireUserId(), who.login())))
                : users.byName(username);
        return forUser.chain(user -> {
            if (user.isEmpty()) {
                throw new PagureException(404, "ENOUSER", "no user named '" + username + "'");
            }
            return readableParent(who, ns, repoName).chain(parent -> {
                String login = user.get().username();
                String name = forkName(parent.name(), login);
                if (name.length() > 100) {
                    throw PagureException.invalid("the fork's name '" + name + "' would be longer than 100 characters");
                }
                return repos.create(who, parent.orgId(), parent.org(),
                        new CreateRepoRequest(name, parent.description(), parent.isPrivate(), parent.defaultBranch()),
                        (tx, fork) -> Workers.run(() -> forkCopy.copyUnannounced(parent, fork))
                                .chain(() -> pagure.insert(tx, fork.id(), login, parent.id(), login))
                                .chain(() -> publishAccess(tx, who, fork)));
            });
        });
    }

    private Uni<Repo> readableParent(Caller who, String ns, String name) {
        return repoRows.findByName(pool, ns, name).chain(parent -> {
            if (parent == null) {
                throw new NotFoundException("Project not found");
            }
            if (!parent.isPrivate() || who.siteAdmin()) {
                return Uni.createFrom().item(parent);
            }
            // The body names the parent, so the gateway could not check it: a private parent needs
            // membership of its organization or a Pagure ACL on it.
            return membership.of(parent.org(), who.requireUserId()).chain(m -> {
                String role = m.map(OrgMembership.Membership::role).orElse(Caller.NONE);
                if (!Caller.NONE.equals(role)) {
                    return Uni.createFrom().item(parent);
                }
                return pagure.load(pool, parent.id()).map(data -> {
                    boolean listed = who.login() != null && (who.login().equalsIgnoreCase(data.owner())
                            || data.acls().stream().anyMatch(a -> a.kind().equals("user") && a.name().equalsIgnoreCase(who.login())));
                    if (!listed) {
                        throw new NotFoundException("Project not found");
                    }
                    return parent;
                });
            });
        });
    }

    // ---- changes -------------------------------------------------------------------------------

    /** Pagure's PATCH: a new main admin (an existing user), the old one keeping admin access when asked; project tags. */
    public Uni<Repo> modify(Caller who, Repo repo, String mainAdmin, boolean retainAccess, List<String> tags) {
        Uni<Optional<UserDirectory.User>> admin = mainAdmin == null ? Uni.createFrom().item(Optional.empty()) : users.byName(mainAdmin);
        return admin.chain(found -> {
            if (mainAdmin != null && found.isEmpty()) {
                throw new PagureException(404, "ENOUSER", "main_admin: no user named '" + mainAdmin + "'");
            }
            return pool.withTransaction(tx -> pagure.load(tx, repo.id()).chain(before -> {
                Uni<Void> steps = Uni.createFrom().voidItem();
                if (found.isPresent()) {
                    String login = found.get().username();
                    String old = before.owner();
                    steps = steps.chain(() -> pagure.setMainAdmin(tx, repo.id(), login))
                            .chain(() -> pagure.setAcl(tx, repo.id(), "user", login, null));
                    if (old != null && !old.equalsIgnoreCase(login)) {
                        steps = steps.chain(() -> pagure.setAcl(tx, repo.id(), "user", old, retainAccess ? "admin" : null));
                    }
                }
                if (tags != null) {
                    steps = steps.chain(() -> pagure.setTags(tx, repo.id(), tags));
                }
                return steps.chain(() -> publishAccess(tx, who, repo));
            })).replaceWith(repo);
        });
    }

    /** Pagure's modifyacls: sets or (acl null) removes a user's or a group's level. */
    public Uni<Repo> modifyAcl(Caller who, Repo repo, String kind, String name, String level) {
        Uni<String> canonical = kind.equals("user")
                ? users.byName(name).map(u -> u.map(UserDirectory.User::username)
                        .orElseThrow(() -> new PagureException(404, "ENOUSER", "no user named '" + name + "'")))
                : membership.of(name, 0).map(m -> {
                    if (m.isEmpty()) {
                        throw new PagureException(404, "ENOGROUP", "no group (organization) named '" + name + "'");
                    }
                    return name;
                });
        return canonical.chain(target -> pool.withTransaction(tx -> pagure.load(tx, repo.id()).chain(data -> {
            if (kind.equals("user") && target.equalsIgnoreCase(data.owner())) {
                throw PagureException.invalid("'" + target + "' is the project's main admin; give the project to someone "
                        + "else first (PATCH with main_admin)");
            }
            return pagure.setAcl(tx, repo.id(), kind, target, level).chain(() -> publishAccess(tx, who, repo));
        }))).replaceWith(repo);
    }

    /** Pagure's blockuser: the complete list of blocked users (each must exist; the main admin cannot be blocked). */
    public Uni<Void> block(Caller who, Repo repo, List<String> names) {
        List<Uni<String>> each = names.stream().map(n -> users.byName(n).map(u -> u.map(UserDirectory.User::username)
                .orElseThrow(() -> new PagureException(404, "ENOUSER", "no user named '" + n + "'")))).toList();
        Uni<List<String>> resolved = each.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(each).andFailFast();
        return resolved.chain(logins -> pool.withTransaction(tx -> pagure.load(tx, repo.id()).chain(data -> {
            for (String login : logins) {
                if (login.equalsIgnoreCase(data.owner())) {
                    throw PagureException.invalid("the main admin '" + login + "' cannot be blocked from their own project");
                }
            }
            return pagure.setBlocked(tx, repo.id(), logins.stream().distinct().toList()).chain(() -> publishAccess(tx, who, repo));
        })));
    }

    public Uni<Void> setOptions(Repo repo, JsonObject changed) {
        return pool.withTransaction(tx -> pagure.setSettings(tx, repo.id(), changed));
    }

    /** Watchers: the owner and users with commit or admin access watch everything by default; explicit choices win. */
    public Uni<Map<String, List<String>>> watchers(Repo repo) {
        return pagure.load(pool, repo.id()).chain(data -> pagure.watches(pool, repo.id()).map(explicit -> {
            Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            List<String> everything = List.of("issues", "commits");
            if (data.owner() != null) {
                out.put(data.owner(), everything);
            }
            data.acls().stream().filter(a -> a.kind().equals("user") && !a.level().equals("ticket")).forEach(a -> out.put(a.name(), everything));
            for (Watch w : explicit) {
                List<String> what = new ArrayList<>();
                if (w.issues()) {
                    what.add("issues");
                }
                if (w.commits()) {
                    what.add("commits");
                }
                if (what.isEmpty()) {
                    out.remove(w.username());
                } else {
                    out.put(w.username(), what);
                }
            }
            return out;
        }));
    }

    /** Pagure's watch codes: -1 reset, 0 nothing, 1 issues and PRs, 2 commits, 3 both. */
    public Uni<Void> watch(Repo repo, String username, int status) {
        Boolean issues = status == -1 ? null : status == 1 || status == 3;
        Boolean commits = status == -1 ? null : status == 2 || status == 3;
        return pool.withTransaction(tx -> pagure.setWatch(tx, repo.id(), username, issues, commits));
    }

    /** Creates {@code branch} at {@code fromCommit}, else at the head of {@code fromBranch} (default: the default branch). */
    public Uni<Void> createBranch(Caller who, Repo repo, String branch, String fromBranch, String fromCommit) {
        RepoNames.requireValidBranch("branch", branch);
        return Workers.run(() -> refs.locked(repo.id(), g -> {
            try {
                ObjectId start;
                if (fromCommit != null && !fromCommit.isBlank()) {
                    ObjectId id = fromCommit.matches("[0-9a-fA-F]{4,40}") ? g.resolve(fromCommit + "^{commit}") : null;
                    if (id == null) {
                        throw new PagureException(404, "ENOCOMMIT", "from_commit: no commit " + fromCommit + " in this repository");
                    }
                    start = id;
                } else {
                    String from = fromBranch == null || fromBranch.isBlank() ? repo.defaultBranch() : fromBranch;
                    Ref ref = g.exactRef(Constants.R_HEADS + from);
                    if (ref == null || ref.getObjectId() == null) {
                        throw PagureException.invalid("from_branch: the branch '" + from + "' does not exist");
                    }
                    start = ref.getObjectId();
                }
                if (g.exactRef(Constants.R_HEADS + branch) != null) {
                    throw PagureException.invalid("branch: '" + branch + "' already exists");
                }
                try (RevWalk walk = new RevWalk(g)) {
                    RevCommit commit = walk.parseCommit(start);
                    refs.move(repo, g, Constants.R_HEADS + branch, null, commit, new RepoPushed.Pusher(who.userId(), who.login()));
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /** The whole access list as the gateway needs it (see RepoAccessChanged), in the caller's transaction. */
    private Uni<Void> publishAccess(SqlClient tx, Caller who, Repo repo) {
        return pagure.load(tx, repo.id()).chain(data -> {
            Map<String, String> userLevels = new TreeMap<>();
            Map<String, String> groupLevels = new TreeMap<>();
            for (PagureProject.Acl acl : data.acls()) {
                (acl.kind().equals("user") ? userLevels : groupLevels).put(acl.name().toLowerCase(Locale.ROOT), acl.level());
            }
            if (data.owner() != null) {
                userLevels.put(data.owner().toLowerCase(Locale.ROOT), "admin");
            }
            if (data.forkUser() != null) {
                userLevels.put(data.forkUser().toLowerCase(Locale.ROOT), "admin");
            }
            RepoAccessChanged access = new RepoAccessChanged(repo.id(), userLevels, groupLevels,
                    data.blocked().stream().map(b -> b.toLowerCase(Locale.ROOT)).toList());
            return outbox.append(tx, EventTypes.REPO_ACCESS_CHANGED, RepoService.actor(who), repo.ref(), access, repo.id()).replaceWithVoid();
        });
    }
}
