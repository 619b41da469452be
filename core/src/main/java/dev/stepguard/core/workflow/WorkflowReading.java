package dev.stepguard.core.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.stepguard.core.execution.Sizes;
import dev.stepguard.core.model.LimitValues;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowAllowance;
import dev.stepguard.core.model.WorkflowStep;
import dev.stepguard.core.workflow.WorkflowParser.Problem;
import dev.stepguard.core.workflow.WorkflowParser.Result;
import dev.stepguard.core.yaml.YamlSyntax;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One workflow file being read: its top level, then its defaults and steps. */
final class WorkflowReading {
  private static final Set<String> TOP = Set.of("name", "inputs", "defaults", "steps");
  private static final Set<String> DEFAULTS = Set.of("timeout", "limits", "env");

  private final String file;
  private final byte[] content;
  private final FieldReader fields;
  private final AllowedSettings settings;

  WorkflowReading(String file, byte[] content, WorkflowAllowance allowance) {
    this.file = file;
    this.content = content;
    this.fields = new FieldReader(file);
    this.settings = new AllowedSettings(fields, allowance);
  }

  Result read() {
    if (content.length > WorkflowParser.MAX_BYTES) {
      return invalid(
          1,
          1,
          "the file is larger than "
              + Sizes.bytes(WorkflowParser.MAX_BYTES)
              + ", far larger than any workflow; it is not read");
    }
    Optional<YamlSyntax.Problem> unreadable = YamlSyntax.check(content);
    if (unreadable.isPresent()) {
      YamlSyntax.Problem problem = unreadable.get();
      return invalid(problem.line(), problem.column(), problem.message());
    }
    YamlTree.Document document;
    try {
      document = YamlTree.read(content);
    } catch (YamlTree.TooDeep e) {
      YamlTree.At at = YamlTree.At.of(e.getLocation());
      return invalid(at.line(), at.column(), e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      YamlSyntax.Problem problem = YamlSyntax.of(e);
      return invalid(problem.line(), problem.column(), problem.message());
    } catch (IOException e) {
      return invalid(1, 1, e.getMessage());
    }
    document.duplicates().forEach(d -> fields.problem(d.at(), "duplicate key '" + d.key() + "'"));
    if (!(document.root() instanceof YamlTree.Mapping root)) {
      fields.problem(
          document.root() == null ? new YamlTree.At(1, 1) : document.root().at(),
          "a workflow file is a mapping with 'steps' (and optionally name, inputs, defaults)");
      return new Result.Invalid(fields.problems());
    }
    return workflow(root);
  }

  private Result workflow(YamlTree.Mapping root) {
    fields.keys(root, TOP, "workflow");
    String name = fields.text(root, "name").orElse(defaultName());
    if (name.length() > FieldReader.MAX_NAME) {
      fields.problem(
          fields.valueAt(root, "name"),
          "the name is "
              + name.length()
              + " characters long; the history keeps at most "
              + FieldReader.MAX_NAME);
    }
    List<String> inputs = fields.names(root.entries().get("inputs"), "input", FieldReader.NAME);
    YamlTree.Entry defaults = root.entries().get("defaults");
    Optional<Duration> defaultTimeout = Optional.empty();
    LimitValues defaultLimits = LimitValues.NONE;
    List<String> defaultEnv = List.of();
    if (defaults != null && fields.mapping(defaults.value(), "defaults")) {
      YamlTree.Mapping section = (YamlTree.Mapping) defaults.value();
      fields.keys(section, DEFAULTS, "defaults");
      defaultTimeout = settings.timeout(section);
      defaultLimits = settings.limits(section);
      defaultEnv = settings.env(section);
    }
    List<WorkflowStep> steps = new StepsReader(fields, settings).steps(root, inputs);
    if (!fields.problems().isEmpty()) {
      return new Result.Invalid(fields.problems());
    }
    return new Result.Valid(
        new Workflow(
            file, sha256(), name, inputs, defaultTimeout, defaultLimits, defaultEnv, steps));
  }

  private Result invalid(int line, int column, String message) {
    return new Result.Invalid(List.of(new Problem(file, line, column, message)));
  }

  /** A YAML parser's message on one line, without its copy of the file. */
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
