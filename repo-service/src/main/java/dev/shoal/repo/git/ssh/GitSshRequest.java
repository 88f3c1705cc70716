package dev.shoal.repo.git.ssh;

import java.util.regex.Pattern;

/**
 * The one command an SSH client may send, as git sends it: {@code git-upload-pack 'org/repo.git'}
 * ({@code git@host:org/repo.git}) or with a leading slash ({@code ssh://git@host:port/org/repo.git}).
 * Anything else is refused here, with the reason, before any repository is looked up: other
 * programs, a shell, paths with {@code ..}, {@code ~user}, absolute file system paths, more or fewer
 * than two segments, quoting tricks.
 *
 * @param service {@code git-upload-pack} or {@code git-receive-pack}
 */
public record GitSshRequest(String service, String org, String repo) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final int MAX_COMMAND = 1024;

    /** A refusal with a message for the person at the terminal. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    public boolean writes() {
        return service.equals("git-receive-pack");
    }

    public static GitSshRequest parse(String command) {
        if (command == null || command.isBlank()) {
            throw new Refused("this server runs git only, no shell: use git clone ssh://git@HOST:PORT/ORG/REPO.git");
        }
        if (command.length() > MAX_COMMAND || command.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new Refused("the command is too long or has control characters; only git's own commands are accepted");
        }
        String[] words = command.strip().split(" ", 2);
        String service = words[0];
        String argument = words.length == 2 ? words[1].strip() : "";
        if (service.equals("git") && argument.contains(" ")) {
            // 'git upload-pack …', as some clients spell it
            String[] rest = argument.split(" ", 2);
            service = "git-" + rest[0];
            argument = rest[1].strip();
        }
        if (!service.equals("git-upload-pack") && !service.equals("git-receive-pack")) {
            // git-upload-archive is left out: JGit has no server side for it; archives come over HTTP
            throw new Refused("'" + abbreviate(words[0]) + "' is not allowed: this server runs git-upload-pack and "
                    + "git-receive-pack only (no shell)");
        }
        String path = unquote(argument);
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.startsWith("~")) {
            throw new Refused("'" + abbreviate(argument) + "': home-directory paths (~user) do not exist here; use ORG/REPO.git");
        }
        String[] segments = path.split("/", -1);
        if (segments.length != 2) {
            throw new Refused("'" + abbreviate(argument) + "' is not a repository path: use ORG/REPO.git (one organization, one repository)");
        }
        String org = segments[0];
        String repo = segments[1].endsWith(".git") ? segments[1].substring(0, segments[1].length() - 4) : segments[1];
        for (String name : new String[] {org, repo}) {
            if (name.equals(".") || name.equals("..") || !NAME.matcher(name).matches() || name.endsWith(".git")) {
                throw new Refused("'" + abbreviate(argument) + "' is not a repository path: names are letters, digits, '.', '_' "
                        + "or '-' (no '..', no leading '.'), as in ORG/REPO.git");
            }
        }
        return new GitSshRequest(service, org, repo);
    }

    /** Git quotes the path in single quotes; only that form (or none) is accepted, never an embedded quote. */
    private static String unquote(String argument) {
        String path = argument;
        if (path.length() >= 2 && path.startsWith("'") && path.endsWith("'")) {
            path = path.substring(1, path.length() - 1);
        }
        if (path.isEmpty() || path.contains("'") || path.contains("\"") || path.contains("\\") || path.contains(" ")) {
            throw new Refused("'" + abbreviate(argument) + "' is not a repository path: use ORG/REPO.git");
        }
        return path;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
