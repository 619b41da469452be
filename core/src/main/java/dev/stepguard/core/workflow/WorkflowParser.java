package dev.stepguard.core.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.execution.Sizes;
import dev.stepguard.core.model.EnvironmentNames;
import dev.stepguard.core.model.LimitOverrides;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Quantities;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowAllowance;
import dev.stepguard.core.model.WorkflowStep;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a workflow file (CONTRACT §6) and reports every problem in it, each with its line and
 * column, before any step could run: unknown keys, missing or duplicate step ids, bad durations and
 * limits, timeouts over the maximum, references to undeclared inputs or to steps that do not run
 * earlier, {@code paths} naming an input the step does not have.
 */
public final class WorkflowParser {
  /** The largest workflow file: far larger than any real one; a larger one is refused unread. */
  public static final int MAX_BYTES = 1 << 20;

  private static final Set<String> TOP = Set.of("name", "inputs", "defaults", "steps");
  private static final Set<String> DEFAULTS = Set.of("timeout", "limits", "env");
  private static final Set<String> STEP =
      Set.of("id", "script", "inputs", "timeout", "limits", "paths", "env");
  private static final Pattern NAME = Pattern.compile(References.NAME);
  private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final WorkflowAllowance allowance;

  /** A parser that refuses what {@code allowance} does not allow, each at its place. */
  public WorkflowParser(WorkflowAllowance allowance) {
    this.allowance = Objects.requireNonNull(allowance, "allowance");
  }

  /** One problem, at a place in the file. */
  public record Problem(String file, int line, int column, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ":" + column + ": " + message;
    }
  }

  /** A valid workflow, or everything wrong with the file. */
  public sealed interface Result {
    record Valid(Workflow workflow) implements Result {}

    /** The problems in the order they stand in the file. */
    record Invalid(List<Problem> problems) implements Result {
      public Invalid {
        problems =
            problems.stream()
                .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .toList();
      }
    }
  }

  public Result parse(String file, byte[] content) {
    return new Reading(file, content).read();
  }

  /** One file being read: the problems found so far. */
  private final class Reading {
    private final String file;
    private final byte[] content;
    private final List<Problem> problems = new ArrayList<>();

    Reading(String file, byte[] content) {
      this.file = file;
      this.content = content;
    }

    Result read() {
      if (content.length > MAX_BYTES) {
        return new Result.Invalid(
            List.of(
                new Problem(
                    file,
                    1,
                    1,
                    "the file is larger than "
                        + Sizes.bytes(MAX_BYTES)
                        + ", far larger than any workflow; it is not read")));
      }
      YamlTree.Document document;
      try {
        document = YamlTree.read(content);
      } catch (YamlTree.TooDeep e) {
        YamlTree.At at = YamlTree.At.of(e.getLocation());
        return new Result.Invalid(
            List.of(new Problem(file, at.line(), at.column(), e.getOriginalMessage())));
      } catch (JsonProcessingException e) {
        YamlTree.At at = YamlTree.At.of(e.getLocation());
        return new Result.Invalid(
            List.of(new Problem(file, at.line(), at.column(), syntax(e.getOriginalMessage()))));
      } catch (IOException e) {
        return new Result.Invalid(List.of(new Problem(file, 1, 1, e.getMessage())));
      }
      document.duplicates().forEach(d -> problem(d.at(), "duplicate key '" + d.key() + "'"));
      if (!(document.root() instanceof YamlTree.Mapping)) {
        problem(
            document.root() == null ? new YamlTree.At(1, 1) : document.root().at(),
            "a workflow file is a mapping with 'steps' (and optionally name, inputs, defaults)");
        return new Result.Invalid(problems);
      }
      YamlTree.Mapping root = (YamlTree.Mapping) document.root();
      keys(root, TOP, "workflow");
      String name = text(root, "name").orElse(defaultName());
      List<String> inputs = names(root.entries().get("inputs"), "input", NAME);
      YamlTree.Entry defaults = root.entries().get("defaults");
      Optional<Duration> defaultTimeout = Optional.empty();
      Map<String, String> defaultLimits = Map.of();
      List<String> defaultEnv = List.of();
      if (defaults != null && mapping(defaults.value(), "defaults")) {
        YamlTree.Mapping section = (YamlTree.Mapping) defaults.value();
        keys(section, DEFAULTS, "defaults");
        defaultTimeout = timeout(section);
        defaultLimits = limits(section);
        defaultEnv = env(section);
      }
      List<WorkflowStep> steps = steps(root, inputs);
      if (!problems.isEmpty()) {
        return new Result.Invalid(problems);
      }
      return new Result.Valid(
          new Workflow(
              file, sha256(), name, inputs, defaultTimeout, defaultLimits, defaultEnv, steps));
    }

    private List<WorkflowStep> steps(YamlTree.Mapping root, List<String> inputs) {
      YamlTree.Entry entry = root.entries().get("steps");
      if (entry == null) {
        problem(root.at(), "the workflow has no 'steps'");
        return List.of();
      }
      if (!(entry.value() instanceof YamlTree.Sequence)
          || ((YamlTree.Sequence) entry.value()).items().isEmpty()) {
        problem(entry.value().at(), "'steps' must be a list of at least one step");
        return List.of();
      }
      List<WorkflowStep> steps = new ArrayList<>();
      Set<String> earlier = new LinkedHashSet<>();
      Set<String> all = new LinkedHashSet<>();
      for (YamlTree.Node item : ((YamlTree.Sequence) entry.value()).items()) {
        if (item instanceof YamlTree.Mapping) {
          text((YamlTree.Mapping) item, "id").ifPresent(all::add);
        }
      }
      for (YamlTree.Node item : ((YamlTree.Sequence) entry.value()).items()) {
        if (mapping(item, "a step")) {
          step((YamlTree.Mapping) item, inputs, earlier, all).ifPresent(steps::add);
        }
      }
      return steps;
    }

    private Optional<WorkflowStep> step(
        YamlTree.Mapping step, List<String> declared, Set<String> earlier, Set<String> all) {
      keys(step, STEP, "step");
      Optional<String> id = text(step, "id");
      if (id.isEmpty() && !step.entries().containsKey("id")) {
        problem(step.at(), "the step has no 'id'");
      } else if (id.isPresent() && !NAME.matcher(id.get()).matches()) {
        problem(
            valueAt(step, "id"),
            "'" + id.get() + "' is not a step id: use letters, digits, _ and -");
        id = Optional.empty();
      } else if (id.isPresent() && earlier.contains(id.get())) {
        problem(valueAt(step, "id"), "duplicate step id '" + id.get() + "'");
        id = Optional.empty();
      }
      Optional<String> script = text(step, "script");
      if (script.isEmpty() && !step.entries().containsKey("script")) {
        problem(step.at(), "the step has no 'script'");
      }
      script
          .flatMap(ScriptPath::problemWith)
          .ifPresent(
              p -> problem(valueAt(step, "script"), "the script path is not acceptable: " + p));
      JsonNode inputs = JsonNodeFactory.instance.objectNode();
      YamlTree.Entry inputsEntry = step.entries().get("inputs");
      if (inputsEntry != null && mapping(inputsEntry.value(), "a step's 'inputs'")) {
        inputs = inputsEntry.value().json();
        references(inputsEntry.value(), declared, earlier, all, id.orElse("?"));
      }
      Optional<Duration> timeout = timeout(step);
      Map<String, String> limits = limits(step);
      List<String> paths = names(step.entries().get("paths"), "input", NAME);
      for (String path : paths) {
        if (!inputs.has(path)) {
          problem(
              valueAt(step, "paths"),
              "'paths' names '" + path + "', which is not an input of this step");
        }
      }
      List<String> env = env(step);
      id.ifPresent(earlier::add);
      if (id.isEmpty() || script.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new WorkflowStep(id.get(), script.get(), inputs, timeout, limits, paths, env));
    }

    private void references(
        YamlTree.Node node,
        List<String> declared,
        Set<String> earlier,
        Set<String> all,
        String step) {
      if (node instanceof YamlTree.Mapping) {
        ((YamlTree.Mapping) node)
            .entries()
            .values()
            .forEach(e -> references(e.value(), declared, earlier, all, step));
        return;
      }
      if (node instanceof YamlTree.Sequence) {
        ((YamlTree.Sequence) node)
            .items()
            .forEach(i -> references(i, declared, earlier, all, step));
        return;
      }
      for (String inside : References.all(node.json())) {
        Optional<References.Reference> reference = References.parse(inside);
        if (reference.isEmpty()) {
          problem(
              node.at(),
              "'${"
                  + inside
                  + "}' is not a reference: write ${inputs.NAME} or"
                  + " ${steps.ID.output.FIELD}");
        } else if (reference.get() instanceof References.Reference.Input) {
          String name = ((References.Reference.Input) reference.get()).name();
          if (!declared.contains(name)) {
            problem(
                node.at(),
                "'${"
                    + inside
                    + "}' names the input '"
                    + name
                    + "', which the workflow does not declare in 'inputs'");
          }
        } else {
          String target = ((References.Reference.StepOutput) reference.get()).step();
          if (target.equals(step)) {
            problem(node.at(), "step '" + step + "' cannot read its own output");
          } else if (!earlier.contains(target)) {
            problem(
                node.at(),
                all.contains(target)
                    ? "step '"
                        + target
                        + "' runs after step '"
                        + step
                        + "'; a step reads only steps before it"
                    : "there is no step '" + target + "'");
          }
        }
      }
    }

    private Optional<Duration> timeout(YamlTree.Mapping section) {
      Optional<String> text = text(section, "timeout");
      if (text.isEmpty()) {
        return Optional.empty();
      }
      try {
        Duration timeout = Quantities.duration(text.get());
        if (timeout.compareTo(allowance.maxTimeout()) > 0) {
          problem(
              valueAt(section, "timeout"),
              "the timeout "
                  + text.get()
                  + " is over the maximum of "
                  + allowance.maxTimeout().toSeconds()
                  + "s (maxTimeout, which the operator sets)");
          return Optional.empty();
        }
        return Optional.of(timeout);
      } catch (IllegalArgumentException | ArithmeticException e) {
        problem(valueAt(section, "timeout"), e.getMessage());
        return Optional.empty();
      }
    }

    private Map<String, String> limits(YamlTree.Mapping section) {
      YamlTree.Entry entry = section.entries().get("limits");
      if (entry == null || !mapping(entry.value(), "'limits'")) {
        return Map.of();
      }
      Map<String, String> limits = new LinkedHashMap<>();
      for (YamlTree.Entry limit : ((YamlTree.Mapping) entry.value()).entries().values()) {
        String value = limit.value().json().asText();
        Optional<String> problem =
            limit.value() instanceof YamlTree.Scalar
                ? LimitOverrides.problemWith(limit.key(), value).or(() -> overCeiling(limit, value))
                : Optional.of("the limit " + limit.key() + " needs a single value");
        if (problem.isPresent()) {
          problem(
              LimitOverrides.NAMES.contains(limit.key()) ? limit.value().at() : limit.keyAt(),
              problem.get());
        } else {
          limits.put(limit.key(), value);
        }
      }
      return limits;
    }

    /** Why a limit asks for more than the operator allows, or empty. */
    private Optional<String> overCeiling(YamlTree.Entry limit, String value) {
      Limits ceiling = allowance.ceiling();
      Limits wanted = LimitOverrides.apply(ceiling, Map.of(limit.key(), value));
      if (LimitOverrides.above(wanted, ceiling).isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          "the limit "
              + limit.key()
              + ": "
              + value
              + " is more than the operator allows; a step may only ask for less (limits in the"
              + " operator config or a trusted stepguard.yaml raise it)");
    }

    /** The {@code env} names of a section: valid, never reserved, and allowed by the operator. */
    private List<String> env(YamlTree.Mapping section) {
      YamlTree.Entry entry = section.entries().get("env");
      List<String> names = names(entry, "environment variable", ENV);
      if (entry == null || !(entry.value() instanceof YamlTree.Sequence)) {
        return names;
      }
      List<String> allowed = new ArrayList<>();
      for (YamlTree.Node item : ((YamlTree.Sequence) entry.value()).items()) {
        String name = item.json().asText();
        if (!names.contains(name) || allowed.contains(name)) {
          continue;
        }
        Optional<String> reserved = EnvironmentNames.problemWith(name);
        if (reserved.isPresent()) {
          problem(item.at(), reserved.get());
        } else if (!allowance.env().contains(name)) {
          problem(
              item.at(),
              "'"
                  + name
                  + "' is not an environment variable the operator allows; add it to env.allow"
                  + " in the operator config to pass it");
        } else {
          allowed.add(name);
        }
      }
      return allowed;
    }

    private List<String> names(YamlTree.Entry entry, String what, Pattern pattern) {
      if (entry == null) {
        return List.of();
      }
      if (!(entry.value() instanceof YamlTree.Sequence)) {
        problem(entry.value().at(), "'" + entry.key() + "' must be a list of names");
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (YamlTree.Node item : ((YamlTree.Sequence) entry.value()).items()) {
        String name = item.json().asText();
        if (!(item instanceof YamlTree.Scalar) || !pattern.matcher(name).matches()) {
          problem(item.at(), "'" + name + "' is not a valid " + what + " name");
        } else if (names.contains(name)) {
          problem(item.at(), "'" + name + "' is listed twice");
        } else {
          names.add(name);
        }
      }
      return names;
    }

    private void keys(YamlTree.Mapping mapping, Set<String> known, String what) {
      for (YamlTree.Entry entry : mapping.entries().values()) {
        if (!known.contains(entry.key())) {
          problem(
              entry.keyAt(),
              "unknown key '"
                  + entry.key()
                  + "' in the "
                  + what
                  + "; known keys: "
                  + known.stream().sorted().toList());
        }
      }
    }

    private boolean mapping(YamlTree.Node node, String what) {
      if (node instanceof YamlTree.Mapping) {
        return true;
      }
      problem(node.at(), what + " must be a mapping of keys to values");
      return false;
    }

    private Optional<String> text(YamlTree.Mapping mapping, String key) {
      YamlTree.Entry entry = mapping.entries().get(key);
      if (entry == null) {
        return Optional.empty();
      }
      if (!(entry.value() instanceof YamlTree.Scalar)
          || !entry.value().json().isValueNode()
          || entry.value().json().isNull()) {
        problem(entry.value().at(), "'" + key + "' must be a single value");
        return Optional.empty();
      }
      return Optional.of(entry.value().json().asText());
    }

    private YamlTree.At valueAt(YamlTree.Mapping mapping, String key) {
      return mapping.entries().get(key).value().at();
    }

    private void problem(YamlTree.At at, String message) {
      problems.add(new Problem(file, at.line(), at.column(), message));
    }

    /** A YAML parser's message on one line, without its copy of the file. */
    private String syntax(String message) {
      return "not valid YAML: "
          + message
              .lines()
              .map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("in '") && !line.equals("^"))
              .reduce((a, b) -> a + "; " + b)
              .orElse("unreadable");
    }

    private String defaultName() {
      String base = file.substring(file.lastIndexOf('/') + 1);
      int dot = base.lastIndexOf('.');
      return dot > 0 ? base.substring(0, dot) : base;
    }

    private String sha256() {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java has SHA-256", e);
      }
    }
  }
}
