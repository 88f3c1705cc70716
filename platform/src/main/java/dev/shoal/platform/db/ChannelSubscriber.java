package dev.shoal.platform.db;

/**
 * What a {@link RowChangeListener} tells about its channel: when announcements start to arrive
 * (the connection listens), when they may have stopped (the connection is lost: anything announced
 * meanwhile is missed), and each announcement, the payload a trigger sent.
 */
public interface ChannelSubscriber {

    /** Whether to listen at all. */
    boolean enabled();

    /** Announcements arrive from now on. */
    void listening();

    /** Announcements may be missed from now on, until {@link #listening()} again. */
    void deaf();

    /** One announcement: a row's id, or {@code '*'} for any row. */
    void announced(String payload);
}
