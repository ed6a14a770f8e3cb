package dev.tally;

import dev.tally.app.Version;
import dev.tally.bench.BenchCommand;
import dev.tally.cli.CheckCommand;
import dev.tally.cli.KeysCommand;
import dev.tally.cli.PricesCommand;
import dev.tally.cli.ServeCommand;
import dev.tally.cli.TenantsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The one executable: {@code tally serve} runs the server, the other commands talk to a running one. */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Usage metering and analytics for AI voice agents and LLM applications.",
        subcommands = {ServeCommand.class, TenantsCommand.class, KeysCommand.class, PricesCommand.class,
                CheckCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] arguments) {
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
