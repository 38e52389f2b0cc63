package dev.cohort.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code help [COMMAND...]}: the help of a command, followed down any number of levels from the
 * command this one belongs to, so {@code cohort help batches resume} and {@code cohort batches help
 * resume} both print what {@code cohort batches resume --help} prints. (picocli's own help command
 * follows one level only.)
 */
@Command(name = "help", helpCommand = true, usageHelpAutoWidth = true,
    description = "Show the flags of a command, such as 'help batches resume'.")
final class HelpTopic implements Runnable {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommands in turn.")
  List<String> path = new ArrayList<>();

  @Override
  public void run() {
    CommandLine self = spec.commandLine();
    CommandLine topic = self.getParent();
    for (String name : path) {
      CommandLine next = topic.getSubcommands().get(name);
      if (next == null) {
        throw new ParameterException(self, "unknown command '" + name + "' of '"
            + topic.getCommandSpec().qualifiedName() + "'; it has " + String.join(", ", topic.getSubcommands().keySet()));
      }
      topic = next;
    }
    topic.usage(self.getOut(), topic.getColorScheme());
    self.getOut().flush();
  }
}
