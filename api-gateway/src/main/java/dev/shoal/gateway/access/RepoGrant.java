package dev.shoal.gateway.access;

/**
 * Access to one repository granted to a user on the repository itself, beyond the organization role
 * (a dialect's per-repository ACLs, such as Pagure's), and whether the user is blocked from it.
 *
 * @param level the strongest level granted; null for none
 */
public record RepoGrant(Level level, boolean blocked) {

    public static final RepoGrant NONE = new RepoGrant(null, false);

    /** Weakest first: each level includes the ones before it. */
    public enum Level {
        /** Reads the repository, private or not, without raising the organization role. */
        READ,
        /** Acts as a member of the organization on this repository. */
        WRITE,
        /** Acts as an owner of the organization on this repository. */
        ADMIN
    }

    public boolean atLeast(Level wanted) {
        return level != null && level.compareTo(wanted) >= 0;
    }

    /** Both grants at once: the stronger level, and blocked when either blocks. */
    public RepoGrant and(RepoGrant other) {
        Level stronger = level == null || other.level != null && other.level.compareTo(level) > 0 ? other.level : level;
        return new RepoGrant(stronger, blocked || other.blocked);
    }
}
