package dev.stepguard.core.workflow;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks that each reference in a step's inputs names a declared input or an earlier step. */
final class ReferenceCheck {
  private final FieldReader fields;
  private final List<String> declared;
  private final Set<String> earlier;
  private final Set<String> all;

  /**
   * @param declared the workflow's inputs
   * @param earlier the ids of the steps read so far, filled in as reading goes on
   * @param all the ids of every step in the file
   */
  ReferenceCheck(FieldReader fields, List<String> declared, Set<String> earlier, Set<String> all) {
    this.fields = fields;
    this.declared = declared;
    this.earlier = earlier;
    this.all = all;
  }

  void check(YamlTree.Node node, String step) {
    if (node instanceof YamlTree.Mapping mapping) {
      mapping.entries().values().forEach(e -> check(e.value(), step));
      return;
    }
    if (node instanceof YamlTree.Sequence sequence) {
      sequence.items().forEach(i -> check(i, step));
      return;
    }
    for (String inside : References.all(node.json())) {
      Optional<References.Reference> reference = References.parse(inside);
      if (reference.isEmpty()) {
        fields.problem(
            node.at(),
            "'${"
                + inside
                + "}' is not a reference: write ${inputs.NAME} or"
                + " ${steps.ID.output.FIELD}");
      } else if (reference.get() instanceof References.Reference.Input input) {
        String name = input.name();
        if (!declared.contains(name)) {
          fields.problem(
              node.at(),
              "'${"
                  + inside
                  + "}' names the input '"
                  + name
                  + "', which the workflow does not declare in 'inputs'");
        }
      } else {
        stepOutput(node, step, ((References.Reference.StepOutput) reference.get()).step());
      }
    }
  }

  private void stepOutput(YamlTree.Node node, String step, String target) {
    if (target.equals(step)) {
      fields.problem(node.at(), "step '" + step + "' cannot read its own output");
    } else if (!earlier.contains(target)) {
      fields.problem(
          node.at(),
          all.contains(target)
              ? "step '"
                  + target
                  + "' runs after "
                  + (step.isEmpty() ? "this step" : "step '" + step + "'")
                  + "; a step reads only steps before it"
              : "there is no step '" + target + "'");
    }
  }
}
