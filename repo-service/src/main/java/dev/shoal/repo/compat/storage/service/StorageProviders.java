package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.repo.service.RepoNames;
import dev.shoal.repo.compat.storage.StorageViews;
import dev.shoal.repo.compat.storage.config.StorageUpstreamConfig;
import dev.shoal.repo.compat.storage.repository.StorageRepoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The upstream providers a Code Storage repository may sync from (SDK {@code base_repo}): GitHub and
 * the generic git hosts. The host is where this server will connect, so it is a bare DNS name that
 * must be on the operator's allow-list ({@code shoal.repo.storage.upstream.allowed-hosts}); owner
 * and name become path segments of the fetch URL and are restricted so they cannot escape it.
 */
@ApplicationScoped
public class StorageProviders {

    /** Providers and their public hosts; forgejo has none (every instance is self-hosted). */
    static final Map<String, String> DEFAULT_HOSTS = Map.of(
            "github", "github.com", "gitlab", "gitlab.com", "bitbucket", "bitbucket.org", "gitea", "gitea.com",
            "codeberg", "codeberg.org", "sr.ht", "git.sr.ht", "forgejo", "");

    private static final Pattern UPSTREAM_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String SETTING = "shoal.repo.storage.upstream.allowed-hosts";

    private final StorageUpstreamConfig config;

    public StorageProviders(StorageUpstreamConfig config) {
        this.config = config;
    }

    /** The validated base: provider, owner ({@code ~} added for sr.ht), name, default branch, host. */
    public StorageViews.BaseRepoRequest requireValidBase(StorageViews.BaseRepoRequest base) {
        if ("code".equals(base.provider()) || "fork".equals(base.operation())) {
            throw new ValidationException("base_repo: forking another Code Storage repository (provider 'code', operation 'fork') "
                    + "is not supported by this server; use provider 'github' to sync from an upstream");
        }
        String provider = base.provider() == null ? "github" : base.provider();
        if (!DEFAULT_HOSTS.containsKey(provider)) {
            throw new ValidationException("base_repo.provider must be one of github, gitlab, bitbucket, gitea, forgejo, codeberg, "
                    + "sr.ht, not '" + provider + "'");
        }
        if (base.operation() != null || base.auth() != null || base.ref() != null || base.sha() != null) {
            throw new ValidationException("base_repo for upstream sync takes provider, owner, name, default_branch and upstream_host "
                    + "only (credentials are set with createGitCredential)");
        }
        String owner = base.owner();
        if ("sr.ht".equals(provider) && owner != null && !owner.startsWith("~")) {
            owner = "~" + owner; // sr.ht's canonical owner form
        }
        String bareOwner = owner != null && "sr.ht".equals(provider) ? owner.substring(1) : owner;
        for (String[] f : new String[][] {{"owner", bareOwner}, {"name", base.name()}}) {
            if (f[1] == null || !UPSTREAM_NAME.matcher(f[1]).matches()) {
                throw new ValidationException("base_repo." + f[0] + " is required: up to 100 letters, digits, '.', '_' or '-', "
                        + "not starting with '.' (e.g. \"octocat\")");
            }
        }
        String branch = base.defaultBranch() == null ? null : RepoNames.requireValidBranch("base_repo.default_branch", base.defaultBranch());
        String host = requireAllowedHost(provider, base.upstreamHost());
        return new StorageViews.BaseRepoRequest(provider, owner, base.name(), branch, null, null, null, null, host);
    }

    /** The bare, allow-listed hostname to fetch from: the given one or the provider's public host. */
    String requireAllowedHost(String provider, String given) {
        String host = given == null ? DEFAULT_HOSTS.get(provider) : given.toLowerCase(Locale.ROOT);
        if (given == null && host.isEmpty()) {
            throw new ValidationException("base_repo.upstream_host is required for provider '" + provider
                    + "' (it has no public host): the bare hostname of the instance, e.g. \"git.example.com\"");
        }
        if (!isBareHostname(host)) {
            throw new ValidationException("base_repo.upstream_host must be a bare DNS hostname such as \"gitlab.example.com\": "
                    + "no scheme, port, path, user info or IP address");
        }
        if (config.allowedHosts().stream().noneMatch(h -> h.trim().equalsIgnoreCase(host))) {
            throw new ValidationException("base_repo.upstream_host '" + host + "' is not an allowed upstream host; the operator "
                    + "lists the hosts this server may fetch from in " + SETTING + " (SHOAL_REPO_STORAGE_UPSTREAM_ALLOWED_HOSTS)");
        }
        return host;
    }

    /** Dot-separated DNS labels, at least two, the last not numeric (so no IPv4 literal); ':' '[' '@' '/' never pass. */
    static boolean isBareHostname(String host) {
        if (host.length() > 253 || host.endsWith(".")) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    /**
     * The URL pull-upstream fetches {@code entry}'s base from: {@code <base>/owner/name.git} where
     * base is the host's mirror, {@code github-url} for GitHub, or {@code https://host}.
     */
    public String fetchUrl(StorageRepoRepository.Entry entry) {
        String host = entry.baseHost() == null ? DEFAULT_HOSTS.get(entry.baseProvider()) : entry.baseHost();
        String mirror = config.mirrors().get(host);
        String base = mirror != null ? mirror : "github.com".equals(host) ? config.githubUrl() : "https://" + host;
        return base.replaceAll("/+$", "") + "/" + entry.baseOwner() + "/" + entry.baseName() + ".git";
    }
}
