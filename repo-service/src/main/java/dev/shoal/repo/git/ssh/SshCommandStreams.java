package dev.shoal.repo.git.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.command.Command;
import org.jboss.logging.Logger;

/**
 * What MINA hands every command before it starts (the session's streams, the exit callback), and
 * the one way a command refuses: a line {@code shoal: …} on stderr, exit status 1.
 */
abstract class SshCommandStreams implements Command {

    private static final Logger LOG = Logger.getLogger(SshCommandStreams.class);

    protected InputStream in;
    protected OutputStream out;
    protected OutputStream err;
    protected ExitCallback exit;

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    /** Tells the client why on stderr (a client that went away is only logged); returns the exit status, 1. */
    protected int refuse(String message) {
        try {
            err.write(("shoal: " + message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            LOG.debugf("SSH client went away: %s", e.getMessage());
        }
        return 1;
    }
}
