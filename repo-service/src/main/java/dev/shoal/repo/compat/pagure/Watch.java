package dev.shoal.repo.compat.pagure;

/** A user's explicit watch choice on a project ({@code pagure_watcher}). */
public record Watch(String username, boolean issues, boolean commits) {
}
