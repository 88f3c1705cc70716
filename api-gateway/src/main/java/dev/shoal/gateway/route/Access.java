package dev.shoal.gateway.route;

/** What the caller must be to the route's repository (or organization). See routes.table. */
public enum Access {
    ANY, PUBLIC_READ, MEMBER, OWNER, AUTHOR_OR_OWNER, SITE_ADMIN;

    static Access parse(String raw) {
        return switch (raw) {
            case "-" -> ANY;
            case "public-read" -> PUBLIC_READ;
            case "member" -> MEMBER;
            case "owner" -> OWNER;
            case "author-or-owner" -> AUTHOR_OR_OWNER;
            case "site-admin" -> SITE_ADMIN;
            default -> throw new IllegalArgumentException("unknown access '" + raw + "'");
        };
    }
}
