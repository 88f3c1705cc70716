package dev.shoal.gateway.sshkey;

/** Who a key belongs to: a user (their own key) or a repository (a deploy key). */
public enum KeyOwner {
    USER, REPO
}
