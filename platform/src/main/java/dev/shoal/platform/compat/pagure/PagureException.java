package dev.shoal.platform.compat.pagure;

import dev.shoal.platform.error.ApiException;

/**
 * A refusal that already speaks Pagure: its code is one of {@link PagureErrors#ALL}. Outside
 * {@code /api/0/} it is written like any other {@link ApiException}.
 */
public class PagureException extends ApiException {

    public PagureException(int status, String pagureCode, String message) {
        super(status, pagureCode, message);
    }

    public static PagureException invalid(String message) {
        return new PagureException(400, "EINVALIDREQ", message);
    }
}
