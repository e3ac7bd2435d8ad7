package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} as a user reads it: descriptions wrapped at the width, never broken mid-sentence. */
class HelpTextTest {
  private static final int WIDTH = 100;

  @Test
  void everyCommandDescriptionFillsItsLinesUpToTheWidth() {
    CommandLine cli = SitterMain.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), () -> {});
    cli.setUsageHelpAutoWidth(false);
    List<String> checked = new ArrayList<>();
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.setUsageHelpWidth(WIDTH);
      String description = sub.getHelp().description();
      List<String> lines = Arrays.stream(description.split("\\R")).toList();
      for (int i = 0; i + 1 < lines.size(); i++) {
        String line = lines.get(i);
        String next = lines.get(i + 1);
        if (line.isBlank() || next.isBlank()) {
          continue; // a paragraph's last line may be short
        }
        // Greedy wrapping: the next line's first word did not fit on this one (picocli keeps the
        // last column free).
        String firstWord = next.strip().split("\\s+")[0];
        assertTrue(line.length() + 1 + firstWord.length() >= WIDTH,
            "sitter " + sub.getCommandName() + " --help breaks a line early:\n" + line + "\n" + next);
      }
      checked.add(sub.getCommandName());
    }
    assertTrue(checked.containsAll(List.of("train", "run", "check", "search", "evaluate", "predict")), checked.toString());
  }

  @Test
  void reflowingKeepsEveryWordAndSeparatesParagraphs() {
    @CommandLine.Command(name = "demo", description = {"one two", "three", "", "four"})
    class Demo {}
    CommandLine cli = new CommandLine(new Demo());
    SitterMain.reflowDescriptions(cli);
    String[] d = cli.getCommandSpec().usageMessage().description();
    assertEquals(List.of("one two three", "", "four"), List.of(d));
    assertFalse(Arrays.stream(d).anyMatch(p -> p.contains("  ") || p.startsWith(" ")));
  }
}
