package dev.stepguard.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.model.LimitValues;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.model.WorkflowStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a workflow's {@code steps}: ids, scripts, inputs and their references, settings. */
final class StepsReader {
  private static final Set<String> STEP =
      Set.of("id", "script", "inputs", "timeout", "limits", "paths", "env");

  private final FieldReader fields;
  private final AllowedSettings settings;

  StepsReader(FieldReader fields, AllowedSettings settings) {
    this.fields = fields;
    this.settings = settings;
  }

  List<WorkflowStep> steps(YamlTree.Mapping root, List<String> inputs) {
    YamlTree.Entry entry = root.entries().get("steps");
    if (entry == null) {
      fields.problem(root.at(), "the workflow has no 'steps'");
      return List.of();
    }
    if (!(entry.value() instanceof YamlTree.Sequence listed) || listed.items().isEmpty()) {
      fields.problem(entry.value().at(), "'steps' must be a list of at least one step");
      return List.of();
    }
    List<WorkflowStep> steps = new ArrayList<>();
    Set<String> earlier = new LinkedHashSet<>();
    Set<String> all = new LinkedHashSet<>();
    for (YamlTree.Node item : listed.items()) {
      if (item instanceof YamlTree.Mapping mapping) {
        fields.text(mapping, "id").ifPresent(all::add);
      }
    }
    ReferenceCheck references = new ReferenceCheck(fields, inputs, earlier, all);
    for (YamlTree.Node item : listed.items()) {
      if (fields.mapping(item, "a step")) {
        step((YamlTree.Mapping) item, earlier, references).ifPresent(steps::add);
      }
    }
    return steps;
  }

  private Optional<WorkflowStep> step(
      YamlTree.Mapping step, Set<String> earlier, ReferenceCheck references) {
    fields.keys(step, STEP, "step");
    Optional<String> id = id(step, earlier);
    Optional<String> script = fields.text(step, "script");
    if (script.isEmpty() && !step.entries().containsKey("script")) {
      fields.problem(step.at(), "the step has no 'script'");
    }
    script
        .flatMap(ScriptPath::problemWith)
        .ifPresent(
            p ->
                fields.problem(
                    fields.valueAt(step, "script"), "the script path is not acceptable: " + p));
    JsonNode inputs = JsonNodeFactory.instance.objectNode();
    YamlTree.Entry inputsEntry = step.entries().get("inputs");
    if (inputsEntry != null && fields.mapping(inputsEntry.value(), "a step's 'inputs'")) {
      inputs = inputsEntry.value().json();
      // its id as written, even when it is refused (a duplicate), so that messages name it
      references.check(inputsEntry.value(), fields.text(step, "id").orElse(""));
    }
    Optional<Duration> timeout = settings.timeout(step);
    LimitValues limits = settings.limits(step);
    List<String> paths = fields.names(step.entries().get("paths"), "input", FieldReader.NAME);
    for (String path : paths) {
      if (!inputs.has(path)) {
        fields.problem(
            fields.valueAt(step, "paths"),
            "'paths' names '" + path + "', which is not an input of this step");
      }
    }
    List<String> env = settings.env(step);
    id.ifPresent(earlier::add);
    if (id.isEmpty() || script.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new WorkflowStep(id.get(), script.get(), inputs, timeout, limits, paths, env));
  }

  /** The step's id, when it has a valid one not used by an earlier step. */
  private Optional<String> id(YamlTree.Mapping step, Set<String> earlier) {
    Optional<String> id = fields.text(step, "id");
    if (id.isEmpty() && !step.entries().containsKey("id")) {
      fields.problem(step.at(), "the step has no 'id'");
    } else if (id.isPresent() && !FieldReader.NAME.matcher(id.get()).matches()) {
      fields.problem(
          fields.valueAt(step, "id"),
          "'" + id.get() + "' is not a step id: use letters, digits, _ and -");
      return Optional.empty();
    } else if (id.isPresent() && id.get().length() > FieldReader.MAX_NAME) {
      fields.problem(
          fields.valueAt(step, "id"),
          "the step id is "
              + id.get().length()
              + " characters long; the history keeps at most "
              + FieldReader.MAX_NAME);
      return Optional.empty();
    } else if (id.isPresent() && earlier.contains(id.get())) {
      fields.problem(fields.valueAt(step, "id"), "duplicate step id '" + id.get() + "'");
      return Optional.empty();
    }
    return id;
  }
}
