package dev.shoal.repo.git.ssh;

import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.shell.ShellFactory;

/** git's two commands become {@link GitSshCommand}s; everything else, a shell included, a one-line refusal. */
final class GitSshCommandFactory implements CommandFactory, ShellFactory {

    private final GitSshCommand.Dependencies deps;

    GitSshCommandFactory(GitSshCommand.Dependencies deps) {
        this.deps = deps;
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        try {
            return new GitSshCommand(GitSshRequest.parse(command), deps);
        } catch (GitSshRequest.Refused e) {
            return new RefusedCommand(e.getMessage());
        }
    }

    /** {@code ssh git@host}: say who the key belongs to, as other forges do, and that there is no shell. */
    @Override
    public Command createShell(ChannelSession channel) {
        SshAccess.Holder holder = channel.getSession().getAttribute(SshKeyAuthenticator.HOLDER);
        String who = holder == null ? "" : holder.kind().equals("user") ? " " + holder.name() : " deploy key '" + holder.name() + "'";
        return new RefusedCommand("Hi" + who + "! You are authenticated, but this server runs git only, no shell.");
    }
}
