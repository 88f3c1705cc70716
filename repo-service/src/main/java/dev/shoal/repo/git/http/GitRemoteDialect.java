package dev.shoal.repo.git.http;

import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.git.service.RefNamespace;
import dev.shoal.repo.repo.Repo;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * Git remotes a compatibility layer serves under paths of its own (Code Storage's
 * {@code /storage/{id}.git}), to callers whose internal JWT is of its kind. {@link GitAuthFilter}
 * names no dialect: a caller of a dialect's kind reaches that dialect's remotes and nothing else, the
 * others reach {@code /{org}/{repo}.git}. Implementations are CDI beans in the dialect's package.
 */
public interface GitRemoteDialect {

    /** The internal JWT kind ({@link Caller#kind()}) whose git requests this dialect serves. */
    String callerKind();

    /**
     * The dialect's git paths below {@code /git}: group 1 names the remote, the last group the git
     * endpoint ({@code info/refs}, {@code git-upload-pack}, {@code git-receive-pack}).
     */
    Pattern path();

    /** Why a path of another shape is a 404, for this dialect's callers. */
    String pathHint();

    /**
     * The repository {@code remote} names for {@code caller}, the caller it acts as there, and the
     * ref namespace the request is confined to; refusals are {@code ApiException}s (400, 403, 404).
     */
    Remote resolve(HttpServletRequest request, Caller caller, String remote, boolean push);

    /** A resolved remote: {@code namespace} null when the request sees the whole repository. */
    record Remote(Repo repo, Caller caller, RefNamespace namespace) {
    }
}
