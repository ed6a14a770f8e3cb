package dev.tally;

import dev.tally.bench.BenchCommand;
import dev.tally.cli.CheckCommand;
import dev.tally.cli.KeysCommand;
import dev.tally.cli.ServeCommand;
import dev.tally.cli.TenantsCommand;
import dev.tally.server.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code tally serve} runs the server, the other commands talk to a running one. */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Usage metering and analytics for AI voice agents and LLM applications.",
        subcommands = {ServeCommand.class, TenantsCommand.class, KeysCommand.class, CheckCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] arguments) {
        System.exit(new CommandLine(new Main()).execute(arguments));
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tally " + Version.CURRENT};
        }
    }
}
