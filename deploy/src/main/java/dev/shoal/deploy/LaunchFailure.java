package dev.shoal.deploy;

/** A reason the stack cannot start, worded for the person who ran deploy/up. */
final class LaunchFailure extends RuntimeException {

    LaunchFailure(String message) {
        super(message);
    }

    LaunchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
