package dev.shoal.repo.git.ssh;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;

/** Anything that is not git (a shell, another program, a path trick): one line on stderr, exit status 1. */
final class RefusedCommand extends SshCommandStreams {

    private final String message;

    RefusedCommand(String message) {
        this.message = message;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        exit.onExit(refuse(message), message);
    }

    @Override
    public void destroy(ChannelSession channel) {
    }
}
