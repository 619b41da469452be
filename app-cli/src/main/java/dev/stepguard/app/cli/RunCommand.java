package dev.stepguard.app.cli;

import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Quantities;
import dev.stepguard.core.model.Requester;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepguard run SCRIPT}: runs one script and prints its output or why it failed. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a Python script of the project with a JSON object on stdin.",
      "Prints the script's output object; with --json, the whole execution record."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:SUCCEEDED",
      "1:FAILED or CRASHED",
      "2:usage error",
      "3:REJECTED",
      "4:TIMED_OUT",
      "5:INVALID_OUTPUT or LIMIT_EXCEEDED",
      "6:LAUNCH_FAILED",
      "130:CANCELLED by Ctrl-C (SIGINT)",
      "143:CANCELLED by SIGTERM"
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "SCRIPT",
      description =
          "The script, relative to the current directory when inside the project found"
              + " without --project, else relative to the project.")
  String script;

  @ArgGroup(exclusive = true)
  InputOptions input;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = TimeoutConverter.class,
      description = "Wall-clock limit, e.g. 500ms, 30s, 2m (default 30s or stepguard.yaml).")
  Duration timeout;

  @Mixin IsolationOption isolation;

  @Option(names = "--json", description = "Print the whole execution record as JSON.")
  boolean json;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private static final String INPUT_LIMIT = "the input limit (limits.input)";

  private final RuntimeFactory runtimes;
  private final Interrupts interrupts;

  @Inject
  RunCommand(RuntimeFactory runtimes, Interrupts interrupts) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
  }

  /** Where the input comes from: inline, or a file. */
  static final class InputOptions {
    @Option(names = "--input", paramLabel = "JSON", description = "The input object (default {}).")
    String json;

    @Option(
        names = "--input-file",
        paramLabel = "FILE",
        description = "Read the input object from FILE.")
    Path file;
  }

  @Override
  public Integer call() {
    String named = projectOptions.inProject(script);
    Settings settings =
        runtimes.settings(projectOptions.root(), Notices.printedTo(spec.commandLine().getErr()));
    if (timeout != null) {
      settings = settings.withTimeout(timeout);
    }
    settings = isolation.applyTo(settings);
    String inputText = inputText(settings.baseLimits().inputBytes());
    ProjectRuntime runtime = runtimes.open(projectOptions.root(), settings);
    Optional<Integer> refused =
        Unrecorded.refusal(runtime::executor, named, spec.commandLine().getErr());
    if (refused.isPresent()) {
      return refused.get();
    }
    ExecutionRequest request =
        ExecutionRequest.standalone(
            named,
            inputText,
            settings.timeout(),
            settings.grace(),
            settings.limitsFor(settings.timeout()),
            Requester.cli(System.getProperty("user.name", "unknown")));
    return interrupts.during(
        cancellation -> report(runtime.executor().execute(request, cancellation)));
  }

  private int report(ExecutionRecord record) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (json) {
      RecordPrinter.jsonInProject(out, record, projectOptions.root());
    } else {
      RecordPrinter.human(out, err, record);
    }
    return ExitCodes.of(record.status(), interrupts.signalDuringRun());
  }

  /** The input, refused before anything starts when it is over the input limit. */
  private String inputText(long maxBytes) {
    if (input == null) {
      return "{}";
    }
    if (input.json != null) {
      if (input.json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
        throw new UsageError(
            "--input is larger than " + Quantities.bytesText(maxBytes) + ", " + INPUT_LIMIT);
      }
      return input.json;
    }
    BoundedFile.Read read =
        BoundedFile.read(projectOptions.fromHere(input.file), maxBytes, INPUT_LIMIT);
    if (read instanceof BoundedFile.Read.Refused refused) {
      throw new UsageError("--input-file " + input.file + " " + refused.reason());
    }
    byte[] bytes = ((BoundedFile.Read.Content) read).bytes();
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new UsageError("the input file " + input.file + " is not valid UTF-8");
    }
  }
}
