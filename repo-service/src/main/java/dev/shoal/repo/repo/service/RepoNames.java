package dev.shoal.repo.repo.service;

import dev.shoal.platform.error.ValidationException;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/** Rules for repository and branch names. */
public final class RepoNames {

    public static final String NAME_RULE = "name must be 1-100 characters of a-z, A-Z, 0-9, '.', '_' or '-', "
            + "must not end in '.git' and must not be '.' or '..'";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private RepoNames() {
    }

    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.toLowerCase().endsWith(".git")
                || name.equals(".") || name.equals("..")) {
            throw new ValidationException(NAME_RULE);
        }
        return name;
    }

    public static String requireValidBranch(String field, String branch) {
        if (branch == null || branch.isEmpty() || branch.length() > 200
                || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw new ValidationException(field + " must be a valid git branch name (no spaces, '..', '~', '^', ':', "
                    + "'?', '*', '[', '\\\\', no leading '-' or trailing '/' or '.lock'), at most 200 characters");
        }
        return branch;
    }
}
