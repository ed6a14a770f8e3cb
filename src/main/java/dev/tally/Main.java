package dev.tally;

import dev.tally.app.Version;
import dev.tally.bench.BenchCommand;
import dev.tally.cli.BackupCommand;
import dev.tally.cli.CheckCommand;
import dev.tally.cli.IntegrationsCommand;
import dev.tally.cli.KeysCommand;
import dev.tally.cli.PricesCommand;
import dev.tally.cli.RestoreCommand;
import dev.tally.cli.ServeCommand;
import dev.tally.cli.TenantsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The one executable: {@code tally serve} runs the server, the other commands talk to a running one. */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Usage metering and analytics for AI voice agents and LLM applications.",
        subcommands = {ServeCommand.class, TenantsCommand.class, KeysCommand.class, PricesCommand.class,
                IntegrationsCommand.class, CheckCommand.class, BackupCommand.class, RestoreCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /**
     * ClickHouse closes an HTTP connection idle for 3 s (its default keep_alive_timeout); the JDK's
     * client keeps one for 20 minutes, so a request sent on a connection the server is just closing
     * is answered with nothing. Dropping idle connections first, at 2 s, closes that race. Set
     * before any HTTP client exists, and only when the operator has not chosen a value.
     */
    private static final String KEEP_ALIVE = "jdk.httpclient.keepalive.timeout";

    public static void main(String[] arguments) {
        if (System.getProperty(KEEP_ALIVE) == null) {
            System.setProperty(KEEP_ALIVE, "2");
        }
        System.exit(commandLine().execute(arguments));
    }

    /**
     * The command line, with failures printed as one line a person can act on (no server at the
     * URL, no admin token) rather than a Java stack trace; the exit code is 1.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((failure, command, parsed) -> {
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + message);
            return 1;
        });
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tally " + Version.CURRENT};
        }
    }
}
