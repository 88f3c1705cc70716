package dev.shoal.pipeline.repo;

/** A repository as this service knows it (kept from repo.* events). */
public record Repo(long id, Long orgId, String org, String name, boolean isPrivate, String defaultBranch) {

    public String fullName() {
        return org + "/" + name;
    }
}
